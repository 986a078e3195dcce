import pandas as pd

df = pd.read_csv("sales.csv")
summary = df.groupby("region")["amount"].agg(["sum", "mean"])
summary.to_csv("output/summary.csv")
print(df.eval("amount * 2").head())
