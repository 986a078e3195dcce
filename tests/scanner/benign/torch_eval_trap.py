import torch

model = torch.nn.Linear(4, 2)
model.eval()
with torch.no_grad():
    out = model(torch.zeros(1, 4))
print(out.shape)
