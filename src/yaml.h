/* ======================================================================== yaml ===
 *
 * The subset of YAML that SKILL.md frontmatter uses, read into the same value tree as
 * JSON. It covers:
 * - block mappings and sequences at any depth, indentless `key:\n- item` sequences and
 *   compact `- key: value` entries;
 * - flow sequences and mappings, nested and over several lines, with trailing commas and
 *   JSON-style quoted keys (`{"a":1}`);
 * - plain scalars folded over several lines, with `:` allowed where no space follows it
 *   (URLs, `Bash(git:*)`);
 * - single- and double-quoted scalars with line folding and every YAML escape;
 * - literal and folded block scalars with chomping and indentation indicators;
 * - comments, blank lines, CRLF line ends, a UTF-8 BOM and one leading `---`.
 *
 * Scalars stay strings unless `typed` is set, so `version: 1.10` keeps its text. An empty
 * value (`key:` with nothing after it) is null in both modes. Anchors, aliases, tags,
 * directives, complex keys (`? `) and a second document are SL_EYAML_UNSUPPORTED errors
 * with line and column, never a misparse.
 *
 * A plain value that contains ": " is an error, as in every conforming YAML parser
 * (`description: Triggers: x`). The message names the key and the fix: quote the value
 * or use a block scalar (`description: >-`).
 *
 * Where YAML 1.2 and PyYAML differ, this reader follows YAML 1.2. It accepts `?` inside
 * plain scalars in flow collections, tabs as separation inside flow collections and in
 * blank lines, and joins a JSON-style \uD83D\uDE00 surrogate pair into one character.
 */

typedef struct sl_yaml_options {
    const sl_allocator *alloc;  /* NULL: default allocator */
    int typed;                  /* 1: YAML 1.2 core schema (null, bool, int, float); default 0 */
    int max_depth;              /* maximum nesting; default 64 (values <= 0 mean 64) */
    size_t max_bytes;           /* maximum input length; default 1 MiB; 0 means no limit */
    int allow_duplicate_keys;   /* 1: keep the first of a repeated key; default 0 (error) */
    size_t base_offset;         /* added to every reported offset (text cut from a file) */
    int base_line;              /* line number of the text's first line; default 1 */
} sl_yaml_options;

/* Fills `opt` with the defaults above. NULL does nothing. */
SKILLLITE_API void sl_yaml_options_init(sl_yaml_options *opt);

/* Parses one YAML document of `len` bytes (`text` need not be NUL-terminated, and may be
 * NULL when `len` is 0). `opt` may be NULL for the defaults; `err` may be NULL.
 *
 * Returns a new document that the caller frees with sl_doc_free. Its root is usually an
 * object for frontmatter, but any node type is accepted, and a text without content gives
 * a NULL root. Every value and key records its position: the byte offset plus
 * `base_offset`, the line counted from `base_line`, and the column in code points.
 * Quoted and block scalars carry the SL_VALUE_QUOTED flag.
 *
 * On failure returns NULL and fills `err` with the code, message, offset, line and
 * column:
 *   SL_EYAML_SYNTAX       structure error, ": " in a plain value, a reserved character
 *                         (`@`, backtick, `%`) starting a plain value, unterminated flow
 *   SL_EYAML_INDENT       a line indented inconsistently with the lines around it
 *   SL_EYAML_UNSUPPORTED  anchor, alias, tag, directive, complex key, second document
 *   SL_EYAML_DUPLICATE    a mapping repeats a key (reported at the second one)
 *   SL_EYAML_SCALAR       unterminated quote, invalid escape, bad block scalar header
 *   SL_EYAML_UTF8         invalid UTF-8
 *   SL_EYAML_TAB          a tab used as indentation
 *   SL_EYAML_DEPTH        nesting deeper than `max_depth`
 *   SL_ELIMIT             `len` above `max_bytes`
 *   SL_ENOMEM, SL_EINVAL  out of memory; NULL `text` with a nonzero `len`
 *
 * NOTE: nesting recurses, a few stack frames per level, so a very large `max_depth` lets
 * hostile input exhaust the stack.
 *
 * Thread safety: parallel calls are safe, because each one works on its own document.
 *
 *     sl_error err;
 *     sl_doc *doc = sl_yaml_parse(text, len, NULL, &err);
 *     if (doc == NULL) {
 *         fprintf(stderr, "SKILL.md:%d:%d: %s\n", err.line, err.column, err.message);
 *         return err.code;
 *     }
 *     name = sl_value_cstr(sl_value_get(sl_doc_root(doc), "name"));
 */
SKILLLITE_API sl_doc *sl_yaml_parse(const char *text, size_t len, const sl_yaml_options *opt,
                                    sl_error *err);
