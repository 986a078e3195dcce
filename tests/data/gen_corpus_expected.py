#!/usr/bin/env python3
"""Write tests/data/corpus_expected.json: what PyYAML reads from every SKILL.md of the
shared skill corpus, for tests/unit/test_skill_corpus.c to compare against.

The corpus is ../shared/corpus/skills relative to the repository root (override with
--corpus). Every file whose name is SKILL.md in any letter case is included; a skill whose
SKILL.md was a git symlink is stored as SYMLINK.txt and is therefore not a file here.

Per file the JSON records:
  path            relative to the corpus root, with "/" separators
  dir             the name of the folder holding the file (the name to validate against)
  frontmatter     "ok", "none" (no `---` first line) or "unterminated"
  yaml_ok         whether yaml.safe_load accepted the frontmatter (only when "ok")
  yaml_error_line 1-based SKILL.md line of PyYAML's error mark (only when it failed)
  has_name_line   whether a top-level `name:` line with a value exists (only when it failed)
  mapping         whether the frontmatter loaded as a mapping
  name, description, license, compatibility
                  the field's text as PyYAML's composer gives it, i.e. before YAML 1.1
                  typing. For a string this equals safe_load's value. For a typed scalar
                  (`version: 1.0`, `user-invocable: true`) safe_load returns a float or
                  bool, but the scalar text is what an untyped reader returns, so the text
                  is recorded and the tag goes in "<field>_tag".
  skipped         field -> reason, for fields whose value is a list, a mapping or empty,
                  which have no string to compare.

The frontmatter is cut the way src/skill.c cuts it: an optional UTF-8 BOM, a first line
`---`, and the next line that is exactly `---` or `...`, trailing spaces, tabs and CR
ignored on both fence lines.

Usage: python3 tests/data/gen_corpus_expected.py [--corpus DIR] [--out FILE]
"""

import argparse
import json
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIELDS = ("name", "description", "license", "compatibility")
NAME_LINE = re.compile(rb"^name:[ \t]*\S", re.M)


def is_fence(line, fence):
    return line.rstrip(b" \t\r") == fence


def split_frontmatter(data):
    """Return (status, yaml_bytes, first_yaml_line) for SKILL.md bytes."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    if not is_fence(lines[0], b"---"):
        return "none", None, 0
    for i in range(1, len(lines)):
        if is_fence(lines[i], b"---") or is_fence(lines[i], b"..."):
            text = b"\n".join(lines[1:i])
            if i > 1:
                text += b"\n"
            return "ok", text, 2
    return "unterminated", None, 0


def scalar_text(node):
    """Return (text, tag) of a scalar node, or (None, reason) for other nodes."""
    if isinstance(node, yaml.ScalarNode):
        tag = node.tag.rsplit(":", 1)[-1]
        if tag == "null":
            return None, "empty value (null)"
        return node.value, tag
    if isinstance(node, yaml.SequenceNode):
        return None, "a list; no string to compare"
    return None, "a mapping; no string to compare"


def describe(path, rel):
    with open(path, "rb") as f:
        data = f.read()
    entry = {"path": rel, "dir": os.path.basename(os.path.dirname(path))}

    status, text, first_line = split_frontmatter(data)
    entry["frontmatter"] = status
    if status != "ok":
        return entry
    try:
        loaded = yaml.safe_load(text.decode("utf-8"))
        node = yaml.compose(text.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        entry["yaml_ok"] = False
        mark = getattr(e, "problem_mark", None)
        if mark is not None:
            entry["yaml_error_line"] = mark.line + first_line
        entry["has_name_line"] = NAME_LINE.search(text) is not None
        return entry

    entry["yaml_ok"] = True
    entry["mapping"] = isinstance(loaded, dict) and isinstance(node, yaml.MappingNode)
    if not entry["mapping"]:
        return entry

    skipped = {}
    for key_node, value_node in node.value:
        key = key_node.value
        if key not in FIELDS or key in entry:
            continue
        value, tag = scalar_text(value_node)
        if value is None:
            skipped[key] = tag
            continue
        # Cross-check: for a str-typed scalar the composer's text is safe_load's value.
        if tag == "str" and loaded.get(key) != value:
            raise SystemExit(f"{rel}: composer and loader disagree on {key!r}")
        entry[key] = value
        if tag != "str":
            entry[key + "_tag"] = tag
    if skipped:
        entry["skipped"] = skipped
    return entry


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus",
                                                          "skills"))
    parser.add_argument("--out", default=os.path.join(ROOT, "tests", "data",
                                                      "corpus_expected.json"))
    args = parser.parse_args()
    corpus = os.path.normpath(args.corpus)
    if not os.path.isdir(corpus):
        sys.exit(f"corpus folder {corpus} not found; pass --corpus DIR")

    files = []
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if name.lower() == "skill.md" and os.path.isfile(path) and not os.path.islink(path):
                rel = os.path.relpath(path, corpus).replace(os.sep, "/")
                files.append(describe(path, rel))
    files.sort(key=lambda e: e["path"])
    result = {
        "generator": "tests/data/gen_corpus_expected.py",
        "pyyaml_version": yaml.__version__,
        "corpus": "../shared/corpus/skills",
        "count": len(files),
        "files": files,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1, sort_keys=False)
        f.write("\n")
    failed = sum(1 for e in files if e.get("yaml_ok") is False)
    print(f"{len(files)} files, {failed} rejected by PyYAML, written to {args.out}")


if __name__ == "__main__":
    main()
