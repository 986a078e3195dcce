#!/usr/bin/env python3
"""Calculator skill: reads {"operation", "a", "b"} as JSON on stdin, writes {"result"}.

Exit status: 0 on success, 1 when the arithmetic fails (division by zero, overflow),
2 when the input is invalid. Every outcome is one JSON object on stdout.
"""

import json
import math
import sys

MAX_INPUT_BYTES = 1 << 20
OPERATIONS = ("add", "subtract", "multiply", "divide")

EXIT_ARITHMETIC = 1
EXIT_INVALID_INPUT = 2


class SkillError(Exception):
    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


def reject_constant(name):
    # json.loads accepts NaN and Infinity, which RFC 8259 does not allow.
    raise ValueError(f"{name} is not valid JSON; write a finite number")


def read_request():
    data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise SkillError(f"input is larger than {MAX_INPUT_BYTES} bytes", EXIT_INVALID_INPUT)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SkillError(f"input is not valid UTF-8 at byte {exc.start}", EXIT_INVALID_INPUT)
    try:
        request = json.loads(text, parse_constant=reject_constant)
    except json.JSONDecodeError as exc:
        raise SkillError(f"input is not valid JSON: {exc.msg} at line {exc.lineno} "
                         f"column {exc.colno}", EXIT_INVALID_INPUT)
    except ValueError as exc:
        raise SkillError(str(exc), EXIT_INVALID_INPUT)
    if not isinstance(request, dict):
        raise SkillError('input must be a JSON object such as '
                         '{"operation": "add", "a": 1, "b": 2}', EXIT_INVALID_INPUT)
    return request


def operand(request, key):
    if key not in request:
        raise SkillError(f'missing field "{key}": give a number', EXIT_INVALID_INPUT)
    value = request[key]
    # bool is a subclass of int in Python, but true/false are not numbers in JSON.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SkillError(f'field "{key}" must be a number, got {json.dumps(value)}',
                         EXIT_INVALID_INPUT)
    return value


def calculate(operation, a, b):
    if operation == "add":
        return a + b
    if operation == "subtract":
        return a - b
    if operation == "multiply":
        return a * b
    if b == 0:
        raise SkillError("division by zero", EXIT_ARITHMETIC)
    if isinstance(a, int) and isinstance(b, int) and a % b == 0:
        return a // b
    return a / b


def main():
    try:
        request = read_request()
        operation = request.get("operation")
        if operation not in OPERATIONS:
            raise SkillError(f'field "operation" must be one of {", ".join(OPERATIONS)}, '
                             f"got {json.dumps(operation)}", EXIT_INVALID_INPUT)
        a = operand(request, "a")
        b = operand(request, "b")
        try:
            result = calculate(operation, a, b)
        except OverflowError:
            result = math.inf
        if isinstance(result, float) and not math.isfinite(result):
            raise SkillError("result is not a finite number (the operation overflowed)",
                             EXIT_ARITHMETIC)
        try:
            text = json.dumps({"result": result})
        except ValueError:
            # Since 3.11, Python raises ValueError for an int of more than 4300 digits.
            raise SkillError("result has too many digits to write", EXIT_ARITHMETIC)
        sys.stdout.write(text + "\n")
        return 0
    except SkillError as exc:
        json.dump({"error": str(exc)}, sys.stdout)
        sys.stdout.write("\n")
        return exc.status


if __name__ == "__main__":
    sys.exit(main())
