from dataclasses import dataclass, field
import json


@dataclass
class Item:
    name: str
    qty: int = 0
    tags: list = field(default_factory=list)


items = [Item("apple", 3, ["fruit"]), Item("pen", 10)]
print(json.dumps([i.__dict__ for i in items], indent=1))
