def apply(rules, record):
    """Apply each rule to the record.

    Rules are plain functions. Unlike a plugin system built on exec() or eval(),
    nothing here runs code from strings, and os.system is never called.
    """
    for rule in rules:
        record = rule(record)
    return record


print(apply([str.strip, str.title], "  hello world "))
