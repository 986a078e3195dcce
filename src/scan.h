/* ======================================================================== scan ===
 *
 * Static security scanner for a skill's files: Python, JavaScript/TypeScript and shell
 * scripts, plus the Markdown of SKILL.md and references/. Each script is read by a
 * tokenizer (never by regular expressions over raw text), so comments and plain string
 * literals do not trigger rules (`model.eval()`, `re.compile`, a comment that mentions
 * exec) while a string that reaches an executing call does.
 *
 * What the analysis follows, per file:
 *   - import aliases (`import subprocess as sp`, `from os import system as run`,
 *     `const { exec } = require("node:child_process")`, `import * as cp from ...`);
 *   - names built at run time: `__import__`, `importlib.import_module`, `getattr(builtins,
 *     "ex" + "ec")`, `globals()["eval"]`, `global["ev" + "al"]`, computed members;
 *   - constant folding of string literals: `+`, `"".join([...])`, `chr()` sequences,
 *     `String.fromCharCode`, `[::-1]` and `.split("").reverse().join("")`, and cheap
 *     decoders (`bytes.fromhex`, base64, rot13, `atob`, `Buffer.from(s, "base64")`);
 *   - which values came from a decoder or from the network, through variables, so
 *     `exec(base64.b64decode(blob))` and `eval(requests.get(url).text)` are distinguished
 *     from a plain `eval`;
 *   - shell pipelines, `$(...)`, backticks, `eval`, `sh -c`, heredocs fed to an
 *     interpreter, and command strings handed to a shell from Python or JavaScript (they
 *     are scanned as shell in turn).
 *
 * Rules have stable ids (`py-exec-shell`, `js-dynamic-code`, `sh-download-exec`, ...), a
 * category, a severity and a message; sl_scanner_rule_count and sl_scanner_rule_at list
 * them (the project's docs/SCANNER.md also gives the measured recall and false-positive
 * rate). A YAML rule file
 * can add token or substring rules, disable rules and change severities.
 *
 * Confirmation flow: a report carries the SHA-256 of exactly what was scanned. A
 * registry issues a scan id bound to that hash, which expires (300 s by default) and can
 * be consumed once. sl_scan_gate is the one call a runner makes before executing a skill:
 *
 *     sl_scan_gate_options gate;
 *     sl_scan_report *report = NULL;
 *     sl_scan_gate_options_init(&gate);
 *     gate.confirm = ask_user;              // int ask_user(void *, const sl_scan_report *)
 *     gate.registry = registry;             // optional, with gate.scan_id from an earlier scan
 *     gate.scan_id = scan_id;
 *     rc = sl_scan_gate(&gate, "skills/weather", &report, &err);
 *     // SL_OK: run it. SL_ESCAN_BLOCKED, SL_ESCAN_EXPIRED, SL_ESCAN_MISMATCH: do not.
 *     sl_scan_report_free(report);
 *
 * SECURITY: the scanner is a tripwire for careless or plainly hostile skills, not a proof
 * of safety. Code can hide behavior in ways a static reader cannot follow (data read at
 * run time, deep indirection), so the sandbox stays the boundary that contains a skill.
 *
 * Thread safety: a scanner is read-only during scans and may be shared by threads once its
 * rules are loaded. A report is read-only. A registry is not synchronised: a host that
 * uses one from several threads must lock around each call.
 */

/* Severity of a finding. Values are ordered, so `severity >= SL_SCAN_HIGH` works. */
typedef enum sl_scan_severity {
    SL_SCAN_LOW = 1,       /* worth knowing; the default gate does not ask about it */
    SL_SCAN_MEDIUM = 2,    /* capability a reviewer should see (network, subprocess) */
    SL_SCAN_HIGH = 3,      /* dangerous capability; a run needs the host's confirmation */
    SL_SCAN_CRITICAL = 4   /* clearly hostile pattern; a run needs confirmation AND override */
} sl_scan_severity;

/* Returns "low", "medium", "high" or "critical"; "unknown" for other values. */
SKILLLITE_API const char *sl_scan_severity_name(int severity);

/* Parses a severity name of `len` bytes (case-insensitive). Returns the sl_scan_severity
 * value, or 0 when the name is not one of the four. */
SKILLLITE_API int sl_scan_severity_parse(const char *name, size_t len);

/* Language a file is scanned as. */
typedef enum sl_scan_language {
    SL_SCAN_LANG_NONE = 0,    /* hashed but not scanned (binary, data, unknown type) */
    SL_SCAN_LANG_PYTHON = 1,
    SL_SCAN_LANG_JS = 2,      /* JavaScript and TypeScript */
    SL_SCAN_LANG_SHELL = 3,   /* sh and bash */
    SL_SCAN_LANG_TEXT = 4     /* Markdown and plain text: SKILL.md, references/ */
} sl_scan_language;

/* Returns "none", "python", "javascript", "shell" or "text"; "none" when out of range. */
SKILLLITE_API const char *sl_scan_language_name(int language);

/* Picks the language of a file from its extension (.py, .js .mjs .cjs .ts .tsx .jsx,
 * .sh .bash, .md .markdown .txt .rst), else from a `#!` line in `text` (may be NULL).
 * Text with a NUL byte in its first 8 KiB is binary: SL_SCAN_LANG_NONE. */
SKILLLITE_API int sl_scan_language_detect(const char *path, const char *text, size_t len);

/* One finding. Every string is NUL-terminated and owned by the report. */
typedef struct sl_scan_finding {
    const char *rule_id;   /* stable id, e.g. "py-exec-shell" */
    const char *category;  /* e.g. "process", "network", "secrets" */
    int severity;          /* sl_scan_severity, after any override from a rule file */
    const char *message;   /* what the code does and why it matters */
    const char *path;      /* file path as given (relative to the skill folder for a scan
                              of a folder) */
    int line;              /* 1-based */
    int column;            /* 1-based, in UTF-8 code points */
    size_t offset;         /* byte offset in the file */
    const char *snippet;   /* the source line, trimmed, at most 160 bytes */
} sl_scan_finding;

/* A rule as the scanner stores it (built in or from a rule file). */
typedef struct sl_scan_rule_info {
    const char *id;
    const char *category;
    int severity;          /* current severity, after overrides */
    int language;          /* sl_scan_language it applies to; SL_SCAN_LANG_NONE for rules
                              about files themselves (binaries, symlinks) and for custom
                              rules, whose `languages:` list may name several */
    const char *message;
    int enabled;           /* 0 when a rule file disabled it */
    int custom;            /* 1 for a rule from a rule file */
} sl_scan_rule_info;

/* Scanner settings. Fill with sl_scan_config_init, then edit. */
typedef struct sl_scan_config {
    const sl_allocator *alloc;  /* NULL: default allocator */
    size_t max_file_bytes;      /* a larger file fails the scan with SL_ELIMIT; default 8 MiB */
    size_t max_total_bytes;     /* all files of one scan together; default 64 MiB */
    size_t max_files;           /* files (and symlinks) in one folder scan; default 4096 */
    size_t max_findings;        /* findings kept per report; more are only counted;
                                   default 1000 */
    int min_severity;           /* findings below this are dropped; default SL_SCAN_LOW */
} sl_scan_config;

/* Fills `config` with the defaults above. NULL does nothing. */
SKILLLITE_API void sl_scan_config_init(sl_scan_config *config);

typedef struct sl_scanner sl_scanner;
typedef struct sl_scan_report sl_scan_report;

/* Creates a scanner with the built-in rules. `config` may be NULL for the defaults.
 * Returns SL_OK with `*out` set (free with sl_scanner_free), SL_EINVAL or SL_ENOMEM. */
SKILLLITE_API int sl_scanner_new(const sl_scan_config *config, sl_scanner **out, sl_error *err);

/* Frees the scanner and its rules. Reports made with it stay valid. NULL does nothing. */
SKILLLITE_API void sl_scanner_free(sl_scanner *scanner);

/* Loads a rule file (the YAML subset of the yaml module) of `len` bytes. `source_name`
 * (may be NULL) names it in error messages. The format:
 *
 *     rules:                        # new rules
 *       - id: acme-telemetry        # lowercase letters, digits and '-'; must be new
 *         severity: high            # low, medium, high or critical
 *         category: network         # free text; default "custom"
 *         message: Sends usage data to the vendor.
 *         languages: [python, javascript]   # python, javascript, shell, text, any;
 *                                           # default any
 *         pattern: telemetry . send (       # either: tokens separated by spaces, matched
 *                                           # in order against the code's tokens;
 *                                           # $STRING and $ANY match any string or token
 *         substring: telemetry.example.com  # or: bytes matched anywhere in the file,
 *                                           # comments included
 *     disable: [py-network, js-network]     # rule ids to switch off
 *     severity:                             # new severities for existing rules
 *       py-exec-process: low
 *
 * Several files may be loaded; later ones win. On error nothing of the file is applied
 * and the call returns SL_ESCAN_RULES with the line and column of the bad value (an
 * unknown key, an unknown rule id, a bad severity, a pattern and a substring together),
 * or SL_ENOMEM. */
SKILLLITE_API int sl_scanner_load_rules(sl_scanner *scanner, const char *text, size_t len,
                                        const char *source_name, sl_error *err);

/* Reads a rule file from `path` (at most 1 MiB) and loads it as above. Adds SL_ENOTFOUND,
 * SL_EIO and SL_ELIMIT for the read. */
SKILLLITE_API int sl_scanner_load_rules_file(sl_scanner *scanner, const char *path,
                                             sl_error *err);

/* Number of rules (built in, then custom) and rule `index` copied into `*info`. The
 * strings stay valid until sl_scanner_free. Returns 0 past the end, else 1. */
SKILLLITE_API size_t sl_scanner_rule_count(const sl_scanner *scanner);
SKILLLITE_API int sl_scanner_rule_at(const sl_scanner *scanner, size_t index,
                                     sl_scan_rule_info *info);

/* One in-memory file to scan. */
typedef struct sl_scan_source {
    const char *path;   /* name used in findings and in the hash; not NULL */
    const char *text;   /* content, `len` bytes; need not be NUL-terminated */
    size_t len;
    int language;       /* sl_scan_language, or -1 to detect from path and content */
} sl_scan_source;

/* Scans `count` sources in the given order. `scanner` may be NULL for the built-in rules
 * with default limits. The report's hash covers every source, in order, with its path.
 * Returns SL_OK with `*out` set (free with sl_scan_report_free), SL_EINVAL, SL_ELIMIT (a
 * file or the total over its limit) or SL_ENOMEM. */
SKILLLITE_API int sl_scanner_scan_sources(const sl_scanner *scanner,
                                          const sl_scan_source *sources, size_t count,
                                          sl_scan_report **out, sl_error *err);

/* Scans one in-memory file; sugar for sl_scanner_scan_sources with one source. */
SKILLLITE_API int sl_scanner_scan_text(const sl_scanner *scanner, const char *path,
                                       const char *text, size_t len, int language,
                                       sl_scan_report **out, sl_error *err);

/* Scans every file below folder `dir`: SKILL.md, scripts/, references/, and everything
 * else, because all of it ships with the skill. Files are taken in byte order of their
 * path relative to `dir` ("SKILL.md", "references/api.md", "scripts/main.py"), and `.git`
 * folders are skipped. Symlinks are not followed: their target text is hashed, and one
 * that leaves the folder is a finding. Files whose language is unknown are hashed
 * without being scanned.
 *
 * The hash is SHA-256 over, for each entry in that order: the relative path, a 0 byte,
 * the type byte ('f' file, 'l' symlink), the content length as 8 bytes big-endian, and
 * the content (the link target for a symlink), after the 18 bytes "skilllite-scan-v1" NUL.
 * sl_scanner_scan_sources uses the same layout with type 'f'.
 *
 * Returns the codes of sl_scanner_scan_sources plus SL_ENOTFOUND (no folder) and SL_EIO. */
SKILLLITE_API int sl_scanner_scan_dir(const sl_scanner *scanner, const char *dir,
                                      sl_scan_report **out, sl_error *err);

/* Frees a report. NULL does nothing. */
SKILLLITE_API void sl_scan_report_free(sl_scan_report *report);

/* Findings, sorted by path, then line, then column, then rule id. `at` returns NULL past
 * the end; the pointer stays valid until sl_scan_report_free. */
SKILLLITE_API size_t sl_scan_report_count(const sl_scan_report *report);
SKILLLITE_API const sl_scan_finding *sl_scan_report_at(const sl_scan_report *report,
                                                       size_t index);

/* Number of kept findings with exactly `severity`. */
SKILLLITE_API size_t sl_scan_report_count_severity(const sl_scan_report *report, int severity);

/* Highest severity among the findings, 0 when there are none. */
SKILLLITE_API int sl_scan_report_max_severity(const sl_scan_report *report);

/* Findings over max_findings that were counted but not kept. */
SKILLLITE_API size_t sl_scan_report_dropped(const sl_scan_report *report);

/* SHA-256 (64 lowercase hex digits, NUL-terminated) of what was scanned, as described at
 * sl_scanner_scan_dir; "" for NULL. Owned by the report. */
SKILLLITE_API const char *sl_scan_report_sha256(const sl_scan_report *report);

/* Number of files hashed and bytes read for the report. */
SKILLLITE_API size_t sl_scan_report_file_count(const sl_scan_report *report);
SKILLLITE_API size_t sl_scan_report_bytes(const sl_scan_report *report);

/* Writes "N findings: C critical, H high, M medium, L low" (no newline) into `out`,
 * always NUL-terminated and truncated to `size`. Returns `out`. */
SKILLLITE_API char *sl_scan_report_summary(const sl_scan_report *report, char *out,
                                           size_t size);

/* Report formats for sl_scan_report_write. */
typedef enum sl_scan_format {
    SL_SCAN_FORMAT_TEXT = 0,   /* "path:line:col: severity [rule] message", the snippet on
                                  the next line, then the summary line followed by
                                  " (N files, N bytes)" */
    SL_SCAN_FORMAT_JSON = 1,   /* {"sha256","files","bytes","summary":{...},"findings":[...]} */
    SL_SCAN_FORMAT_SARIF = 2   /* SARIF 2.1.0: one run, tool.driver.name "skilllite" */
} sl_scan_format;

/* Appends the report in `format` to `out`. `flags` takes SL_JSON_PRETTY for the JSON
 * formats. Returns SL_OK, SL_EINVAL (bad format) or SL_ENOMEM; on error `out` may hold a
 * partial report. */
SKILLLITE_API int sl_scan_report_write(const sl_scan_report *report, int format, int flags,
                                       sl_buf *out, sl_error *err);

/* ---------------------------------------------------------------- scan ids --- */

/* Size of a scan id buffer: "scan-" + 32 hex digits + NUL, rounded up. */
#define SL_SCAN_ID_SIZE 40

typedef struct sl_scan_registry sl_scan_registry;

/* Registry settings. Fill with sl_scan_registry_config_init, then edit. */
typedef struct sl_scan_registry_config {
    const sl_allocator *alloc;  /* NULL: default allocator */
    uint32_t ttl_seconds;       /* lifetime of an id; default 300 */
    size_t max_entries;         /* live ids at once; default 1024 */
    /* Clock in nanoseconds, monotonic; NULL: sl_time_now_ns. Tests pass a fake clock. */
    uint64_t (*clock)(void *user);
    void *clock_user;
} sl_scan_registry_config;

/* Fills `config` with the defaults above. NULL does nothing. */
SKILLLITE_API void sl_scan_registry_config_init(sl_scan_registry_config *config);

/* Creates an empty registry. `config` may be NULL. Returns SL_OK with `*out` set (free
 * with sl_scan_registry_free), SL_EINVAL or SL_ENOMEM. */
SKILLLITE_API int sl_scan_registry_new(const sl_scan_registry_config *config,
                                       sl_scan_registry **out, sl_error *err);

/* Frees the registry and every id in it. NULL does nothing. */
SKILLLITE_API void sl_scan_registry_free(sl_scan_registry *registry);

/* Issues a new random id bound to the report's SHA-256, valid for ttl_seconds and one
 * consume, and writes it NUL-terminated to `id`. Returns SL_OK, SL_EINVAL, SL_ELIMIT
 * (max_entries live ids) or SL_EIO (no randomness from getrandom or /dev/urandom). */
SKILLLITE_API int sl_scan_registry_issue(sl_scan_registry *registry,
                                         const sl_scan_report *report,
                                         char id[SL_SCAN_ID_SIZE], sl_error *err);

/* Consumes `id` for content whose hash is `sha256_hex` (64 hex digits). The id is spent by
 * this call whatever the outcome, so a mismatch cannot be retried. Returns SL_OK,
 * SL_ESCAN_EXPIRED (unknown, expired or already used), SL_ESCAN_MISMATCH (bound to other
 * content) or SL_EINVAL. */
SKILLLITE_API int sl_scan_registry_consume(sl_scan_registry *registry, const char *id,
                                           const char *sha256_hex, sl_error *err);

/* Number of ids that are neither expired nor used. */
SKILLLITE_API size_t sl_scan_registry_live(sl_scan_registry *registry);

/* ------------------------------------------------------------------- gate --- */

/* Host confirmation. Receives the report of the content about to run; returns 1 to
 * approve, anything else to refuse. Called at most once per gate call. */
typedef int (*sl_scan_confirm_fn)(void *user, const sl_scan_report *report);

/* What sl_scan_gate decides with. Fill with sl_scan_gate_options_init, then edit. */
typedef struct sl_scan_gate_options {
    const sl_scanner *scanner;     /* NULL: built-in rules, default limits */
    sl_scan_registry *registry;    /* needed when scan_id is set */
    const char *scan_id;           /* NULL: no earlier scan; else it must be live and bound
                                      to exactly the content found now, and is consumed */
    sl_scan_confirm_fn confirm;    /* NULL: anything needing confirmation is blocked */
    void *confirm_user;
    int confirm_severity;          /* findings at or above this need confirm(); default
                                      SL_SCAN_HIGH */
    int allow_critical;            /* 1: critical findings may run when confirm() approves;
                                      0 (default): they are always blocked */
} sl_scan_gate_options;

/* Fills `opt` with the defaults above. NULL does nothing. */
SKILLLITE_API void sl_scan_gate_options_init(sl_scan_gate_options *opt);

/* Decides whether the skill in folder `dir` may run. Scans it (sl_scanner_scan_dir), then:
 *   1. with a scan id, consumes it against the report's hash: SL_ESCAN_EXPIRED or
 *      SL_ESCAN_MISMATCH when it is not live or the files changed since that scan;
 *   2. a critical finding without `allow_critical`: SL_ESCAN_BLOCKED, confirm() is not
 *      called;
 *   3. any finding at or above `confirm_severity` (critical included): confirm() must
 *      return 1, else SL_ESCAN_BLOCKED;
 *   4. otherwise SL_OK.
 * `opt` may be NULL for the defaults. `report` may be NULL; otherwise it receives the
 * report whenever the scan itself succeeded (also when blocked), to free with
 * sl_scan_report_free, and NULL on a scan error. Errors of the scan itself pass through.
 *
 * NOTE: the gate reads the files once, so a host that runs them later must make sure
 * they cannot change in between. The sandbox binds the folder read-only, but the host's
 * copy can still change before the bind. */
SKILLLITE_API int sl_scan_gate(const sl_scan_gate_options *opt, const char *dir,
                               sl_scan_report **report, sl_error *err);

/* Same decision for in-memory files (see sl_scanner_scan_sources). */
SKILLLITE_API int sl_scan_gate_sources(const sl_scan_gate_options *opt,
                                       const sl_scan_source *sources, size_t count,
                                       sl_scan_report **report, sl_error *err);

/* Same decision for a loaded skill: gates its folder, sl_skill_dir(skill). A skill parsed
 * from memory has no folder and gives SL_EINVAL. */
SKILLLITE_API int sl_scan_gate_skill(const sl_scan_gate_options *opt, const sl_skill *skill,
                                     sl_scan_report **report, sl_error *err);
