import ast
import operator

ALLOWED = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}


def evaluate(node):
    """Evaluate arithmetic without eval(): walk the AST instead."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in ALLOWED:
        return ALLOWED[type(node.op)](evaluate(node.left), evaluate(node.right))
    raise ValueError("unsupported expression")


print(evaluate(ast.parse("2 * (3 + 4)", mode="eval").body))
