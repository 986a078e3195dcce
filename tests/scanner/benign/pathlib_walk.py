from pathlib import Path

total = 0
for p in Path(".").rglob("*.py"):
    total += p.stat().st_size
print(f"{total} bytes of python")
