"""Scores a dataset with a small model. The model's eval() switches off dropout."""
import json


class Model:
    def __init__(self):
        self.training = True

    def eval(self):
        self.training = False
        return self

    def predict(self, x):
        return sum(x) / max(len(x), 1)


def run(rows):
    model = Model()
    model.eval()
    return [model.predict(r) for r in rows]


print(json.dumps(run([[1, 2], [3, 4]])))
