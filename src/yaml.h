/* ======================================================================== yaml ===
 *
 * The subset of YAML that SKILL.md frontmatter uses, read into the same value tree as JSON:
 * block mappings and sequences (indentless `key:\n- item` too), flow sequences and
 * mappings over several lines with trailing commas, plain, single- and double-quoted
 * scalars with every escape and line folding, literal and folded block scalars with
 * chomping and indentation indicators, comments, CRLF, a UTF-8 BOM.
 *
 * Scalars stay strings unless `typed` is set, so `version: 1.10` keeps its text. An empty
 * value (`key:` with nothing after it) is null in both modes. Anchors, aliases, tags,
 * directives and a second document are errors with line and column, never a misparse.
 */

typedef struct sl_yaml_options {
    const sl_allocator *alloc;  /* NULL: default allocator */
    int typed;                  /* 1: YAML 1.2 core schema (null, bool, int, float); default 0 */
    int max_depth;              /* maximum nesting; default 64 */
    size_t max_bytes;           /* maximum input length; default 1 MiB; 0 means no limit */
    int allow_duplicate_keys;   /* 1: keep the first of a repeated key; default 0 (error) */
    size_t base_offset;         /* added to every reported offset (text cut from a file) */
    int base_line;              /* line number of the text's first line; default 1 */
} sl_yaml_options;

/* Fills `opt` with the defaults above. */
SKILLLITE_API void sl_yaml_options_init(sl_yaml_options *opt);

/* Parses one YAML document of `len` bytes. `opt` may be NULL for the defaults. Returns the
 * document (its root is an object for frontmatter, but any node type is accepted; an empty
 * text gives a NULL root), or NULL with `err` filled (code, offset, line, column). */
SKILLLITE_API sl_doc *sl_yaml_parse(const char *text, size_t len, const sl_yaml_options *opt,
                                    sl_error *err);
