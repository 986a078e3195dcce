#!/usr/bin/env python3
"""Build skilllite.h from the modules in src/.

The header is the prologue comment, then every module's declarations (src/*.h) inside the
include guard and one extern "C" block, then every module's implementation (src/*.c) under
SKILLLITE_IMPLEMENTATION, then the license. Modules appear in MODULES order, so a module may
use only the ones listed before it.

Usage:
  amalgamate.py                       write skilllite.h
  amalgamate.py --check               exit 1 when skilllite.h differs from what src/ gives
  amalgamate.py --line -o build/x.h   emit #line directives (sanitizer traces point into src/)
  amalgamate.py --modules core,value -o build/partial.h
                                      only these modules (for working on one module)
"""

import argparse
import difflib
import os
import re
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(ROOT, "src")

# Each module is src/NAME.h plus the listed implementation files, in dependency order.
MODULES = [
    ("core", ["core.c"]),
    ("value", ["value.c"]),
    ("json", ["json.c"]),
    ("yaml", ["yaml.c"]),
    ("skill", ["skill.c"]),
    ("scan", ["scan_lex.c", "scan_rules.c", "scan.c"]),
    ("sandbox", ["sandbox.c", "sandbox_seccomp.c", "sandbox_landlock.c", "sandbox_cgroup.c",
                 "sandbox_output.c", "sandbox_gate.c", "sandbox_linux.c", "sandbox_pool.c"]),
]

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


class AmalgamationError(Exception):
    pass


def read_source(name):
    path = os.path.join(SRC, name)
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        raise AmalgamationError(f"src/{name}: file not found (listed in amalgamate.py MODULES)")


def inline_file(name, known_headers, emit_line):
    """Return the text of src/NAME with local includes resolved.

    A quoted include of a src/ header that the amalgamation already contains is dropped,
    because the declarations part contains every header once. Any other quoted include is an
    error: the single header must not depend on files beside it.
    """
    out = [f"/* Begin file src/{name} */\n"]
    if emit_line:
        out.append(f'#line 1 "src/{name}"\n')
    text = read_source(name)
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        match = INCLUDE_RE.match(line)
        if match:
            target = match.group(1)
            if target not in known_headers:
                raise AmalgamationError(
                    f"src/{name}:{number}: unresolved include \"{target}\": only headers of "
                    f"modules listed before this file can be included")
            if emit_line:
                out.append(f'#line {number + 1} "src/{name}"\n')
            continue
        out.append(line)
    if not text.endswith("\n"):
        out.append("\n")
    out.append(f"/* End file src/{name} */\n")
    return "".join(out)


def build(modules, emit_line):
    headers = [f"{m}.h" for m, _ in modules]
    parts = [read_source("prologue.txt")]
    parts.append(
        "\n#if defined(SKILLLITE_IMPLEMENTATION) && !defined(SKILLLITE_IMPLEMENTATION_INCLUDED)\n"
        "/* The implementation needs Linux and POSIX declarations that glibc hides unless\n"
        " * _GNU_SOURCE is set before the first system header, hence this comes first. */\n"
        "#if defined(__linux__) && !defined(_GNU_SOURCE)\n"
        "#define _GNU_SOURCE 1\n"
        "#endif\n"
        "#endif\n\n"
        "#ifndef SKILLLITE_H\n"
        "#define SKILLLITE_H\n\n"
        "#include <stddef.h>\n"
        "#include <stdint.h>\n\n"
        "#ifdef __cplusplus\n"
        "extern \"C\" {\n"
        "#endif\n\n")
    known = set()
    for header in headers:
        parts.append(inline_file(header, known, emit_line))
        parts.append("\n")
        known.add(header)
    parts.append(
        "#ifdef __cplusplus\n"
        "}\n"
        "#endif\n\n"
        "#endif /* SKILLLITE_H */\n\n"
        "#if defined(SKILLLITE_IMPLEMENTATION) && !defined(SKILLLITE_IMPLEMENTATION_INCLUDED)\n"
        "#define SKILLLITE_IMPLEMENTATION_INCLUDED\n\n"
        "#ifdef __cplusplus\n"
        "#error \"skilllite.h: compile the implementation (SKILLLITE_IMPLEMENTATION) in a C "
        "file; C++ files include the declarations only\"\n"
        "#endif\n"
        "#if !defined(__linux__)\n"
        "#error \"skilllite.h: this version implements Linux only; macOS (Seatbelt) is planned\"\n"
        "#endif\n\n")
    for _, sources in modules:
        for source in sources:
            parts.append(inline_file(source, set(headers), emit_line))
            parts.append("\n")
    parts.append("#endif /* SKILLLITE_IMPLEMENTATION */\n\n")
    with open(os.path.join(ROOT, "LICENSE"), encoding="utf-8") as f:
        license_text = f.read().rstrip("\n")
    parts.append("/*\n" + "\n".join(("   " + l).rstrip() for l in license_text.splitlines()))
    parts.append("\n*/\n")
    return "".join(parts)


def select_modules(names):
    if names is None:
        return MODULES
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    known = {m for m, _ in MODULES}
    for n in wanted:
        if n not in known:
            raise AmalgamationError(f"unknown module '{n}'; known: {', '.join(sorted(known))}")
    return [m for m in MODULES if m[0] in wanted]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", default=os.path.join(ROOT, "skilllite.h"),
                        help="output path (default: skilllite.h beside this script)")
    parser.add_argument("--check", action="store_true",
                        help="compare with the output file instead of writing it")
    parser.add_argument("--line", action="store_true", help="emit #line directives")
    parser.add_argument("--modules", help="comma-separated subset of modules, in any order")
    args = parser.parse_args()

    try:
        text = build(select_modules(args.modules), args.line)
    except AmalgamationError as e:
        print(f"amalgamate.py: error: {e}", file=sys.stderr)
        return 2

    if args.check:
        try:
            with open(args.output, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            print(f"amalgamate.py: {args.output} is missing; run ./amalgamate.py", file=sys.stderr)
            return 1
        if current != text:
            diff = difflib.unified_diff(current.splitlines(), text.splitlines(),
                                        "skilllite.h (committed)", "skilllite.h (from src/)",
                                        lineterm="", n=1)
            for i, line in enumerate(diff):
                if i >= 40:
                    print("...", file=sys.stderr)
                    break
                print(line, file=sys.stderr)
            print("amalgamate.py: skilllite.h is out of date with src/; run ./amalgamate.py "
                  "and commit the result", file=sys.stderr)
            return 1
        return 0

    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
