import json
import operator
import sys

OPS = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv}


def main():
    req = json.load(sys.stdin)
    fn = OPS.get(req.get("operation"))
    if fn is None:
        print(json.dumps({"error": "unknown operation"}))
        return 1
    print(json.dumps({"result": fn(req["a"], req["b"])}))
    return 0


sys.exit(main())
