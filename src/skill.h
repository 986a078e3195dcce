/* ======================================================================= skill ===
 *
 * SKILL.md loading: split the frontmatter from the Markdown body, read the frontmatter with
 * the YAML subset, validate it against the Agent Skills specification, find the skill's
 * entry-point script and its language, and discover skill folders below a root.
 *
 * Loading is lenient, as the Agent Skills client guide recommends: a skill that breaks a
 * rule but is still usable loads with WARNING diagnostics, and only a skill that cannot be
 * used fails with an ERROR. Every diagnostic carries the SKILL.md path, line, column and
 * byte offset of the field it is about (the key for a wrong key, the value for a wrong
 * value, the first frontmatter line for a missing field).
 *
 *   case                                               severity  check
 *   -------------------------------------------------  --------  -------------------------
 *   SKILL.md missing in the folder                     (return code SL_ESKILL_NOT_SKILL only)
 *   SKILL.md unreadable or larger than max_bytes       (return code SL_EIO / SL_ELIMIT only)
 *   no `---` first line                                ERROR     SL_SKILL_CHECK_FRONTMATTER
 *   no closing `---` or `...` line                     ERROR     SL_SKILL_CHECK_FRONTMATTER
 *   YAML invalid, lenient line reader recovered        WARNING   SL_SKILL_CHECK_YAML
 *   YAML invalid, lenient reader found no `key:` line  ERROR     SL_SKILL_CHECK_YAML
 *   frontmatter empty or not a mapping                 ERROR     SL_SKILL_CHECK_FRONTMATTER
 *   name missing, empty or not a string; the folder    WARNING   SL_SKILL_CHECK_NAME
 *     name is used instead
 *   name missing and no folder name to fall back on    ERROR     SL_SKILL_CHECK_NAME
 *   name not lowercase a-z 0-9 and single hyphens,     WARNING   SL_SKILL_CHECK_NAME
 *     leading or trailing hyphen, over 64 characters
 *   name differs from the folder name                  WARNING   SL_SKILL_CHECK_NAME_DIR
 *   description missing, empty, blank or not a string  WARNING   SL_SKILL_CHECK_DESCRIPTION
 *   description over 1024 code points                  WARNING   SL_SKILL_CHECK_DESCRIPTION
 *   compatibility not a string, empty, over 500        WARNING   SL_SKILL_CHECK_COMPATIBILITY
 *   license not a string                               WARNING   SL_SKILL_CHECK_LICENSE
 *   metadata not a mapping, or a value not a string    WARNING   SL_SKILL_CHECK_METADATA
 *   allowed-tools a list (accepted) or another type    WARNING   SL_SKILL_CHECK_ALLOWED_TOOLS
 *   a known misspelling (`user-invokable`, ...)        WARNING   SL_SKILL_CHECK_SPELLING
 *   entry_point absolute, with `..`, or a symlink      ERROR     SL_SKILL_CHECK_ENTRY_POINT
 *     that leaves the skill folder
 *   entry_point names a missing or non-regular file    WARNING   SL_SKILL_CHECK_ENTRY_POINT
 *   entry point whose language is not recognised       WARNING   SL_SKILL_CHECK_LANGUAGE
 *   invalid UTF-8 in the body                          WARNING   SL_SKILL_CHECK_ENCODING
 *   any warning when SL_SKILL_STRICT is set            the load fails with SL_ESKILL_FIELD
 *
 * Other top-level keys are vendor extensions and are kept without a diagnostic. Scalars are
 * read as text (the YAML reader's untyped mode), so `version: 1.10` stays "1.10" and a
 * metadata value such as `github_stars: 69661` is a string, as the specification wants.
 *
 * NOTE: the name check is ASCII-only, like the Anthropic and OpenAI validators, so a
 * non-ASCII lowercase name that the reference validator accepts gets a warning here.
 *
 * Thread safety: a loaded sl_skill is read-only and may be read from several threads.
 */

/* Script language of a skill's entry point. */
typedef enum sl_language {
    SL_LANGUAGE_UNKNOWN = 0,
    SL_LANGUAGE_PYTHON = 1,  /* .py, or a python/python3 shebang */
    SL_LANGUAGE_NODE = 2,    /* .js .mjs .cjs, or a node/nodejs shebang */
    SL_LANGUAGE_BASH = 3     /* .sh .bash, or a bash/sh shebang */
} sl_language;

/* Returns "unknown", "python", "node" or "bash"; "unknown" for out-of-range values. */
SKILLLITE_API const char *sl_language_name(sl_language language);

/* Severity of a diagnostic. A WARNING leaves the skill usable; an ERROR fails the load. */
typedef enum sl_severity {
    SL_SEVERITY_WARNING = 1,
    SL_SEVERITY_ERROR = 2
} sl_severity;

/* What a diagnostic is about. Values are only ever appended. */
typedef enum sl_skill_check {
    SL_SKILL_CHECK_FRONTMATTER = 1,    /* fences, or the frontmatter is not a mapping */
    SL_SKILL_CHECK_YAML = 2,           /* the YAML reader rejected the frontmatter */
    SL_SKILL_CHECK_NAME = 3,           /* `name` missing or malformed */
    SL_SKILL_CHECK_NAME_DIR = 4,       /* `name` differs from the folder name */
    SL_SKILL_CHECK_DESCRIPTION = 5,    /* `description` missing, empty or too long */
    SL_SKILL_CHECK_COMPATIBILITY = 6,  /* `compatibility` not a string or too long */
    SL_SKILL_CHECK_LICENSE = 7,        /* `license` not a string */
    SL_SKILL_CHECK_METADATA = 8,       /* `metadata` not a map of strings */
    SL_SKILL_CHECK_ALLOWED_TOOLS = 9,  /* `allowed-tools` not a string */
    SL_SKILL_CHECK_SPELLING = 10,      /* a known misspelling of a field name */
    SL_SKILL_CHECK_ENTRY_POINT = 11,   /* `entry_point` unsafe, missing or not a file */
    SL_SKILL_CHECK_LANGUAGE = 12,      /* the entry point's language is not recognised */
    SL_SKILL_CHECK_ENCODING = 13       /* invalid UTF-8 in the body */
} sl_skill_check;

/* Returns a short stable identifier for `check` ("frontmatter", "yaml", "name",
 * "name-dir", ...) for tools that print or filter diagnostics; "unknown" when out of range. */
SKILLLITE_API const char *sl_skill_check_name(int check);

/* One finding about a SKILL.md. All strings live as long as the skill that owns it. */
typedef struct sl_diagnostic {
    sl_severity severity;
    int check;            /* an sl_skill_check value */
    int result;           /* the sl_result behind it: SL_OK for a plain rule violation, the
                             SL_EYAML_* code for YAML, SL_ESKILL_* for an ERROR */
    const char *message;  /* English sentence naming the field, the problem and the fix */
    const char *path;     /* SKILL.md path (sl_skill_md_path) */
    int line;             /* 1-based line in SKILL.md; always >= 1 */
    int column;           /* 1-based column in code points; always >= 1 */
    size_t offset;        /* byte offset in SKILL.md */
} sl_diagnostic;

/* Option flags for sl_skill_options.flags. */
#define SL_SKILL_STRICT 1         /* any WARNING fails the load with SL_ESKILL_FIELD */
#define SL_SKILL_KEEP_ON_ERROR 2  /* on failure still return the skill, so a validator can
                                     list every diagnostic; the return code stays the error */
#define SL_SKILL_NO_LENIENT 4     /* no line-based fallback when the YAML is invalid */

typedef struct sl_skill_options {
    const sl_allocator *alloc;  /* NULL: default allocator */
    size_t max_bytes;           /* maximum SKILL.md size; default 1 MiB (1048576) */
    int flags;                  /* SL_SKILL_* flags; default 0 */
    size_t max_dirs;            /* discovery: maximum folders examined; default 10000 */
} sl_skill_options;

/* Fills `opt` with the defaults above. NULL does nothing. */
SKILLLITE_API void sl_skill_options_init(sl_skill_options *opt);

typedef struct sl_skill sl_skill;

/* Loads the skill in folder `dir`: finds its SKILL.md (`SKILL.md` first, else any case of
 * the name such as `skill.md` or `SKILL.MD`), parses and validates it with the folder's
 * name, and resolves the entry point inside the folder.
 *
 * Entry point: the frontmatter's `entry_point`, a relative path that must stay inside the
 * folder after resolving symlinks. Without it, `scripts/main.*`, then `scripts/index.*`
 * (extensions tried in the order .py .js .mjs .cjs .sh .bash), else the only script in
 * `scripts/`, meaning a file with one of those extensions or a recognised shebang. A skill
 * without any is still loaded, because instruction-only skills exist, and
 * sl_skill_entry_point returns "". A declared entry_point that is rejected is not replaced
 * by a guess.
 *
 * `opt` may be NULL for the defaults. On success returns SL_OK and stores a new skill in
 * `*out` (free with sl_skill_free). On failure returns SL_EINVAL (NULL argument),
 * SL_ESKILL_NOT_SKILL (no SKILL.md), SL_ENOTFOUND (no folder), SL_EIO, SL_ELIMIT,
 * SL_ENOMEM, or the result of the first ERROR diagnostic (SL_ESKILL_NO_FRONTMATTER,
 * SL_ESKILL_UNTERMINATED, SL_ESKILL_FRONTMATTER, SL_ESKILL_FIELD, an SL_EYAML_* code), with
 * `err` filled from it ("path:line:column: message" and its position). `*out` is then NULL
 * unless SL_SKILL_KEEP_ON_ERROR is set and the file could be read.
 *
 * Example:
 *     sl_skill *skill;
 *     sl_error err;
 *     if (sl_skill_load("skills/weather", NULL, &skill, &err) != SL_OK) {
 *         fprintf(stderr, "%s\n", err.message);
 *     } else {
 *         printf("%s: %s\n", sl_skill_name(skill), sl_skill_description(skill));
 *         sl_skill_free(skill);
 *     }
 */
SKILLLITE_API int sl_skill_load(const char *dir, const sl_skill_options *opt, sl_skill **out,
                                sl_error *err);

/* Parses SKILL.md text of `len` bytes from memory without touching the file system.
 * `dir_name` is the name of the folder the text came from, used to check and to stand in
 * for `name`; NULL or "" skips both. Diagnostics name the path "SKILL.md". The entry point
 * is only the frontmatter's `entry_point` (checked as a path, language from the extension)
 * and sl_skill_entry_path returns "". Returns the same codes as sl_skill_load except the
 * file-system ones; `text` need not be NUL-terminated and is copied. */
SKILLLITE_API int sl_skill_parse(const char *text, size_t len, const char *dir_name,
                                 const sl_skill_options *opt, sl_skill **out, sl_error *err);

/* Frees the skill and every string and value it returned. NULL does nothing. */
SKILLLITE_API void sl_skill_free(sl_skill *skill);

/* Field accessors. Each returns a NUL-terminated string owned by the skill, valid until
 * sl_skill_free, and "" (never NULL) when the field is absent or `skill` is NULL.
 * NOTE: a YAML value with an escaped NUL is cut short at it; read the frontmatter value
 * tree for the full bytes. */
/* `name` as written; the folder name when the frontmatter has no usable name. */
SKILLLITE_API const char *sl_skill_name(const sl_skill *skill);
/* `description` as the YAML reader produced it (a `|` block keeps its final newline). */
SKILLLITE_API const char *sl_skill_description(const sl_skill *skill);
SKILLLITE_API const char *sl_skill_license(const sl_skill *skill);
SKILLLITE_API const char *sl_skill_compatibility(const sl_skill *skill);

/* Returns 1 when the skill's `compatibility` text says it needs network access ("network",
 * "internet", "网络" or "联网", not preceded by "no", "without" or "offline"), else 0.
 * It is a hint for the host, which decides whether to grant sl_sandbox_policy.network;
 * the library never turns the network on by itself. */
SKILLLITE_API int sl_skill_wants_network(const sl_skill *skill);
/* Top-level `version`, else `metadata.version`. */
SKILLLITE_API const char *sl_skill_version(const sl_skill *skill);
/* Entry-point script relative to the skill folder ("scripts/main.py"), "" for none. */
SKILLLITE_API const char *sl_skill_entry_point(const sl_skill *skill);
/* Absolute host path of the entry-point script with symlinks resolved; "" for none or
 * when the skill was parsed from memory. NOTE: at level 2 the host path is not visible
 * inside the sandbox, where the skill folder is /skill: an argv built for sl_sandbox_spawn
 * or the pool names "/skill/" + sl_skill_entry_point(), with work_dir = sl_skill_dir(). */
SKILLLITE_API const char *sl_skill_entry_path(const sl_skill *skill);
/* Absolute skill folder with symlinks resolved; "" for a skill parsed from memory. */
SKILLLITE_API const char *sl_skill_dir(const sl_skill *skill);
/* Path of SKILL.md (absolute after sl_skill_load, "SKILL.md" after sl_skill_parse). */
SKILLLITE_API const char *sl_skill_md_path(const sl_skill *skill);

/* Language of the entry point: from its extension, else its `#!` line. UNKNOWN when there
 * is no entry point or it is not recognised. */
SKILLLITE_API sl_language sl_skill_language(const sl_skill *skill);

/* Value trees, owned by the skill; NULL when absent. */
/* The whole frontmatter mapping (from the lenient reader when the YAML was invalid). */
SKILLLITE_API const sl_value *sl_skill_frontmatter(const sl_skill *skill);
SKILLLITE_API const sl_value *sl_skill_metadata(const sl_skill *skill);
/* `allowed-tools` as given: a string (space-separated per the specification) or a list. */
SKILLLITE_API const sl_value *sl_skill_allowed_tools(const sl_skill *skill);

/* Returns 1 when the YAML reader rejected the frontmatter and it was read after a repair:
 * either the offending top-level values were quoted and the YAML read again, or, when that
 * failed too, the lenient line reader took top-level `key: value` lines as strings. The
 * SL_SKILL_CHECK_YAML warning says which. */
SKILLLITE_API int sl_skill_is_lenient(const sl_skill *skill);

/* Markdown body after the closing fence, leading blank lines and trailing whitespace
 * removed; a view into the skill's copy of SKILL.md, NUL-terminated. */
SKILLLITE_API sl_str sl_skill_body(const sl_skill *skill);
/* Byte offset and 1-based line in SKILL.md where the body starts (0 for a NULL skill). */
SKILLLITE_API size_t sl_skill_body_offset(const sl_skill *skill);
SKILLLITE_API int sl_skill_body_line(const sl_skill *skill);

/* Diagnostics in the order found. `at` returns NULL past the end; the pointer stays valid
 * until sl_skill_free. */
SKILLLITE_API size_t sl_skill_diagnostic_count(const sl_skill *skill);
SKILLLITE_API const sl_diagnostic *sl_skill_diagnostic_at(const sl_skill *skill, size_t index);

/* A sorted list of skill folder paths from sl_skill_discover. */
typedef struct sl_skill_dir_list sl_skill_dir_list;

/* Finds skill folders under `root`: `root` itself when it contains a SKILL.md (any case of
 * the name), otherwise every child and grandchild folder that contains one. A skill folder is
 * not searched further, so files below it belong to it. Folders whose name starts with
 * `.` and `node_modules` are skipped (`root` itself may be a dot-folder), symlinked
 * folders below `root` are not followed, and paths are `root` + "/" + relative path in
 * byte order.
 *
 * `opt` may be NULL (only alloc and max_dirs are used). Returns SL_OK with a new list in
 * `*out` (possibly empty; free with sl_skill_dir_list_free), SL_EINVAL, SL_ENOTFOUND
 * (`root` is not a folder), SL_ELIMIT (more than max_dirs folders examined), SL_EIO or
 * SL_ENOMEM; `*out` is NULL on failure. */
SKILLLITE_API int sl_skill_discover(const char *root, const sl_skill_options *opt,
                                    sl_skill_dir_list **out, sl_error *err);

/* Number of folders in the list; 0 for NULL. */
SKILLLITE_API size_t sl_skill_dir_list_count(const sl_skill_dir_list *list);
/* Folder `index` as a NUL-terminated path owned by the list; NULL past the end. */
SKILLLITE_API const char *sl_skill_dir_list_at(const sl_skill_dir_list *list, size_t index);
/* Frees the list and its paths. NULL does nothing. */
SKILLLITE_API void sl_skill_dir_list_free(sl_skill_dir_list *list);
