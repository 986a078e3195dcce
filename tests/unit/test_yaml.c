#include "skilllite.h"
#include "test.h"

/* Parses NUL-terminated `text` with default options (typed when `typed` is 1). */
static sl_doc *yaml_parse(const char *text, int typed, sl_error *err)
{
    sl_yaml_options opt;

    sl_yaml_options_init(&opt);
    opt.typed = typed;
    return sl_yaml_parse(text, strlen(text), &opt, err);
}

/* String value at `key` of the root mapping of `doc`. */
static const char *yaml_get(sl_doc *doc, const char *key)
{
    return sl_value_cstr(sl_value_get(sl_doc_root(doc), key));
}

/* Asserts that `text` fails with `code` at 1-based `line` and `col`. */
#define CHECK_YAML_ERROR(text, want_code, want_line, want_col)                      \
    do {                                                                            \
        sl_error e_;                                                                \
        sl_doc *d_ = yaml_parse((text), 0, &e_);                                    \
        CHECK(d_ == NULL);                                                          \
        CHECK_INT(e_.code, (want_code));                                            \
        CHECK_INT(e_.line, (want_line));                                            \
        CHECK_INT(e_.column, (want_col));                                           \
        sl_doc_free(d_);                                                            \
    } while (0)

/* Frontmatter of a corpus SKILL.md: the text between the first `---` line and the next
 * `---` line, parsed with base_offset/base_line so positions are positions in the file. */
typedef struct corpus_doc {
    sl_doc *doc;
    sl_error err;
    int found;
} corpus_doc;

static corpus_doc corpus_load(const char *skill, int typed)
{
    char path[512];
    corpus_doc c;
    sl_yaml_options opt;
    char *data = NULL;
    size_t len = 0;
    size_t start;
    size_t end;

    memset(&c, 0, sizeof(c));
    snprintf(path, sizeof(path), "../shared/corpus/skills/%s/SKILL.md", skill);
    if (sl_file_read(path, 1 << 20, NULL, &data, &len, NULL) != SL_OK) {
        return c;
    }
    c.found = 1;
    start = (size_t)(strchr(data, '\n') - data) + 1;
    for (end = start; end < len; end = (size_t)(strchr(data + end, '\n') - data) + 1) {
        if (strncmp(data + end, "---\n", 4) == 0 || strncmp(data + end, "---\r\n", 5) == 0) {
            break;
        }
    }
    sl_yaml_options_init(&opt);
    opt.typed = typed;
    opt.base_offset = start;
    opt.base_line = 2;
    c.doc = sl_yaml_parse(data + start, end - start, &opt, &c.err);
    sl_free(NULL, data, len + 1);
    return c;
}

#define CORPUS_LOAD(var, skill)                                                     \
    corpus_doc var = corpus_load((skill), 0);                                       \
    if (!var.found) {                                                               \
        SKIP("corpus file missing: ../shared/corpus/skills/" skill);                \
    }

#define TNT "thereisnotime__skills-collection/"
#define JL TNT "jeremylongshore--claude-code-plugins-plus-skills__"

/* ------------------------------------------------------------- block structure --- */

TEST(yaml_block_mapping_nested)
{
    sl_error err;
    sl_doc *doc = yaml_parse("name: x\nmetadata:\n  author: me\n  deep:\n    k: v\nlast: 1\n",
                             0, &err);
    sl_value *root;
    sl_value *meta;

    REQUIRE(doc != NULL);
    root = sl_doc_root(doc);
    CHECK_INT(sl_value_kind(root), SL_VALUE_OBJECT);
    CHECK_INT(sl_value_count(root), 3);
    CHECK_STR(yaml_get(doc, "name"), "x");
    meta = sl_value_get(root, "metadata");
    CHECK_INT(sl_value_count(meta), 2);
    CHECK_STR(sl_value_cstr(sl_value_get(meta, "author")), "me");
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_get(meta, "deep"), "k")), "v");
    CHECK_STR(yaml_get(doc, "last"), "1");
    CHECK_STR(sl_value_cstr(sl_value_key_at(root, 2)), "last");

    /* Positions of keys and values. */
    CHECK_INT(sl_value_line(meta), 3);
    CHECK_INT(sl_value_column(meta), 3);
    CHECK_INT(sl_value_offset(meta), 20);
    CHECK_INT(sl_value_line(sl_value_key_at(root, 1)), 2);
    CHECK_INT(sl_value_column(sl_value_key_at(root, 1)), 1);
    CHECK_INT(sl_value_offset(sl_value_key_at(root, 1)), 8);
    CHECK_INT(sl_value_line(sl_value_get(meta, "author")), 3);
    CHECK_INT(sl_value_column(sl_value_get(meta, "author")), 11);
    CHECK_INT(sl_value_offset(sl_value_get(meta, "author")), 28);
    CHECK_INT(sl_value_line(sl_value_get(root, "last")), 6);
    CHECK_INT(sl_value_column(sl_value_get(root, "last")), 7);
    sl_doc_free(doc);
}

TEST(yaml_indentless_sequence)
{
    sl_error err;
    sl_doc *doc = yaml_parse("tags:\n- saas\n- ai\nnext: 1\n", 0, &err);
    sl_value *tags;

    REQUIRE(doc != NULL);
    tags = sl_value_get(sl_doc_root(doc), "tags");
    CHECK_INT(sl_value_kind(tags), SL_VALUE_ARRAY);
    CHECK_INT(sl_value_count(tags), 2);
    CHECK_STR(sl_value_cstr(sl_value_at(tags, 1)), "ai");
    CHECK_INT(sl_value_line(tags), 2);
    CHECK_INT(sl_value_column(tags), 1);
    CHECK_INT(sl_value_column(sl_value_at(tags, 1)), 3);
    CHECK_STR(yaml_get(doc, "next"), "1");
    sl_doc_free(doc);
}

TEST(yaml_sequence_of_mappings)
{
    sl_error err;
    sl_doc *doc = yaml_parse("install:\n  - name: x\n    kind: y\n  - name: z\n    bins:\n    "
                             "- a\n    - b\n  -\n    k: v\n",
                             0, &err);
    sl_value *list;

    REQUIRE(doc != NULL);
    list = sl_value_get(sl_doc_root(doc), "install");
    CHECK_INT(sl_value_count(list), 3);
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_at(list, 0), "kind")), "y");
    CHECK_INT(sl_value_column(sl_value_at(list, 0)), 5);
    CHECK_INT(sl_value_count(sl_value_get(sl_value_at(list, 1), "bins")), 2);
    CHECK_STR(sl_value_cstr(sl_value_at(sl_value_get(sl_value_at(list, 1), "bins"), 1)), "b");
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_at(list, 2), "k")), "v");
    sl_doc_free(doc);
}

TEST(yaml_nested_sequences)
{
    sl_error err;
    sl_doc *doc = yaml_parse("- - a\n  - b\n-\n  - c\n- - - d\n-\n- e\n", 0, &err);
    sl_value *root;

    REQUIRE(doc != NULL);
    root = sl_doc_root(doc);
    CHECK_INT(sl_value_count(root), 5);
    CHECK_INT(sl_value_count(sl_value_at(root, 0)), 2);
    CHECK_STR(sl_value_cstr(sl_value_at(sl_value_at(root, 0), 1)), "b");
    CHECK_STR(sl_value_cstr(sl_value_at(sl_value_at(root, 1), 0)), "c");
    CHECK_STR(sl_value_cstr(sl_value_at(sl_value_at(sl_value_at(root, 2), 0), 0)), "d");
    CHECK_INT(sl_value_kind(sl_value_at(root, 3)), SL_VALUE_NULL);
    CHECK_STR(sl_value_cstr(sl_value_at(root, 4)), "e");
    sl_doc_free(doc);
}

TEST(yaml_empty_values_are_null)
{
    sl_error err;
    sl_doc *doc = yaml_parse("a:\nb:   # note\nc: ''\nd: \"\"\n", 0, &err);
    sl_value *root;

    REQUIRE(doc != NULL);
    root = sl_doc_root(doc);
    CHECK_INT(sl_value_kind(sl_value_get(root, "a")), SL_VALUE_NULL);
    CHECK_INT(sl_value_line(sl_value_get(root, "a")), 1);
    CHECK_INT(sl_value_column(sl_value_get(root, "a")), 3);
    CHECK_INT(sl_value_kind(sl_value_get(root, "b")), SL_VALUE_NULL);
    CHECK_INT(sl_value_kind(sl_value_get(root, "c")), SL_VALUE_STRING);
    CHECK_INT(sl_value_str(sl_value_get(root, "c")).len, 0);
    CHECK_INT(sl_value_kind(sl_value_get(root, "d")), SL_VALUE_STRING);
    sl_doc_free(doc);
}

/* ------------------------------------------------------------------------ flow --- */

TEST(yaml_flow_collections)
{
    sl_error err;
    sl_doc *doc = yaml_parse("m:\n  {\n    \"neuro\":\n      {\n        \"emoji\": \"x\",\n"
                             "        \"bins\": [\"op\", ],\n        list: [ [], {}, [a, [b]] ],"
                             "\n      },\n  }\nj: {\"a\":1,\"b\":[true,null]}\ne: []\nf: {}\n"
                             "p: [a: b, c]\nq: {a, b: , c: d}\n",
                             0, &err);
    sl_value *root;
    sl_value *neuro;
    sl_value *list;

    REQUIRE(doc != NULL);
    root = sl_doc_root(doc);
    neuro = sl_value_get(sl_value_get(root, "m"), "neuro");
    CHECK_INT(sl_value_count(neuro), 3);
    CHECK_STR(sl_value_cstr(sl_value_get(neuro, "emoji")), "x");
    CHECK_INT(sl_value_count(sl_value_get(neuro, "bins")), 1);
    CHECK_INT(sl_value_flags(sl_value_key_at(neuro, 0)), SL_VALUE_QUOTED);
    list = sl_value_get(neuro, "list");
    CHECK_INT(sl_value_count(list), 3);
    CHECK_INT(sl_value_kind(sl_value_at(list, 0)), SL_VALUE_ARRAY);
    CHECK_INT(sl_value_kind(sl_value_at(list, 1)), SL_VALUE_OBJECT);
    CHECK_STR(sl_value_cstr(sl_value_at(sl_value_at(sl_value_at(list, 2), 1), 0)), "b");
    CHECK_INT(sl_value_line(sl_value_get(root, "m")), 2);
    CHECK_INT(sl_value_column(sl_value_get(root, "m")), 3);

    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_get(root, "j"), "a")), "1");
    CHECK_STR(sl_value_cstr(sl_value_at(sl_value_get(sl_value_get(root, "j"), "b"), 1)),
              "null");
    CHECK_INT(sl_value_count(sl_value_get(root, "e")), 0);
    CHECK_INT(sl_value_kind(sl_value_get(root, "e")), SL_VALUE_ARRAY);
    CHECK_INT(sl_value_kind(sl_value_get(root, "f")), SL_VALUE_OBJECT);
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_at(sl_value_get(root, "p"), 0), "a")), "b");
    CHECK_STR(sl_value_cstr(sl_value_at(sl_value_get(root, "p"), 1)), "c");
    CHECK_INT(sl_value_count(sl_value_get(root, "q")), 3);
    CHECK_INT(sl_value_kind(sl_value_get(sl_value_get(root, "q"), "a")), SL_VALUE_NULL);
    CHECK_INT(sl_value_kind(sl_value_get(sl_value_get(root, "q"), "b")), SL_VALUE_NULL);
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_get(root, "q"), "c")), "d");
    sl_doc_free(doc);
}

TEST(yaml_flow_plain_scalars)
{
    sl_error err;
    sl_doc *doc = yaml_parse("a: [http://x.com/a?b=c, a:b, torch>=2.0 # pin\n  , two\n  words, "
                             "x#y]\nb: {k:v, url: https://h:80/}\n",
                             0, &err);
    sl_value *a;
    sl_value *b;

    REQUIRE(doc != NULL);
    a = sl_value_get(sl_doc_root(doc), "a");
    CHECK_INT(sl_value_count(a), 5);
    CHECK_STR(sl_value_cstr(sl_value_at(a, 0)), "http://x.com/a?b=c");
    CHECK_STR(sl_value_cstr(sl_value_at(a, 1)), "a:b");
    CHECK_STR(sl_value_cstr(sl_value_at(a, 2)), "torch>=2.0");
    CHECK_STR(sl_value_cstr(sl_value_at(a, 3)), "two words");
    CHECK_STR(sl_value_cstr(sl_value_at(a, 4)), "x#y");
    b = sl_value_get(sl_doc_root(doc), "b");
    CHECK_INT(sl_value_kind(sl_value_get(b, "k:v")), SL_VALUE_NULL);
    CHECK_STR(sl_value_cstr(sl_value_get(b, "url")), "https://h:80/");
    sl_doc_free(doc);
}

/* -------------------------------------------------------------- plain scalars --- */

TEST(yaml_plain_multiline_folding)
{
    sl_error err;
    sl_doc *doc = yaml_parse("d: one  \n  two\n\n  three\n\n\n  four   \nnext: x\n", 0, &err);

    REQUIRE(doc != NULL);
    CHECK_STR(yaml_get(doc, "d"), "one two\nthree\n\nfour");
    CHECK_STR(yaml_get(doc, "next"), "x");
    sl_doc_free(doc);

    doc = yaml_parse("- a\n  b\n-  c # note\n", 0, &err);
    REQUIRE(doc != NULL);
    CHECK_STR(sl_value_cstr(sl_value_at(sl_doc_root(doc), 0)), "a b");
    CHECK_STR(sl_value_cstr(sl_value_at(sl_doc_root(doc), 1)), "c");
    CHECK_INT(sl_value_column(sl_value_at(sl_doc_root(doc), 1)), 4);
    sl_doc_free(doc);
}

TEST(yaml_plain_colons_and_comments)
{
    sl_error err;
    sl_doc *doc = yaml_parse("tools: Bash(git:*) Read\nurl: https://x.io/a#frag\n"
                             "c: look at PR #N, or review\nk:v: w\nend: a:\n",
                             0, &err);

    CHECK(doc == NULL);
    CHECK_INT(err.code, SL_EYAML_SYNTAX);
    CHECK_INT(err.line, 5);
    CHECK_INT(err.column, 7);
    sl_doc_free(doc);

    doc = yaml_parse("tools: Bash(git:*) Read\nurl: https://x.io/a#frag\n"
                     "c: look at PR #N, or review\nk:v: w\n",
                     0, &err);
    REQUIRE(doc != NULL);
    CHECK_STR(yaml_get(doc, "tools"), "Bash(git:*) Read");
    CHECK_STR(yaml_get(doc, "url"), "https://x.io/a#frag");
    CHECK_STR(yaml_get(doc, "c"), "look at PR");
    CHECK_STR(yaml_get(doc, "k:v"), "w");
    sl_doc_free(doc);
}

TEST(yaml_plain_colon_space_error)
{
    sl_error err;
    sl_doc *doc = yaml_parse("name: x\ndescription: Reorder orders. Triggers: order food\n",
                             0, &err);

    CHECK(doc == NULL);
    CHECK_INT(err.code, SL_EYAML_SYNTAX);
    CHECK_INT(err.line, 2);
    CHECK_INT(err.column, 38);
    CHECK_INT(err.offset, 45);
    CHECK(strstr(err.message, "\"description\" contains \": \"") != NULL);
    CHECK(strstr(err.message, "description: >-") != NULL);

    /* On a continuation line the message also suggests unindenting. */
    CHECK_YAML_ERROR("a: x\n  y: z\n", SL_EYAML_SYNTAX, 2, 4);
    doc = yaml_parse("a: x\n  y: z\n", 0, &err);
    CHECK(strstr(err.message, "unindent") != NULL);
    CHECK_YAML_ERROR("a: \xF0\x9F\x94\x90 x: y\n", SL_EYAML_SYNTAX, 1, 7);
}

TEST(yaml_indicator_start_errors)
{
    sl_error err;
    sl_doc *doc = yaml_parse("description: @Observable state\n", 0, &err);

    CHECK(doc == NULL);
    CHECK_INT(err.code, SL_EYAML_SYNTAX);
    CHECK_INT(err.column, 14);
    CHECK(strstr(err.message, "'@'") != NULL);
    CHECK(strstr(err.message, "quote the value") != NULL);

    CHECK_YAML_ERROR("a: `cmd`\n", SL_EYAML_SYNTAX, 1, 4);
    CHECK_YAML_ERROR("a: %x\n", SL_EYAML_SYNTAX, 1, 4);
    CHECK_YAML_ERROR("a: [|x]\n", SL_EYAML_SYNTAX, 1, 5);
    CHECK_YAML_ERROR("a: [>x]\n", SL_EYAML_SYNTAX, 1, 5);
    CHECK_YAML_ERROR("a: , x\n", SL_EYAML_SYNTAX, 1, 4);
    CHECK_YAML_ERROR("a: - b\n", SL_EYAML_SYNTAX, 1, 4);
}

TEST(yaml_anchor_alias_tag_unsupported)
{
    sl_error err;
    sl_doc *doc = yaml_parse("name: x\ndescription: **TuleBank** wallet\n", 0, &err);

    CHECK(doc == NULL);
    CHECK_INT(err.code, SL_EYAML_UNSUPPORTED);
    CHECK_INT(err.line, 2);
    CHECK_INT(err.column, 14);
    CHECK(strstr(err.message, "alias") != NULL);
    CHECK(strstr(err.message, "quote the value") != NULL);

    CHECK_YAML_ERROR("a: &anchor b\n", SL_EYAML_UNSUPPORTED, 1, 4);
    CHECK_YAML_ERROR("a: b\nc: *ref\n", SL_EYAML_UNSUPPORTED, 2, 4);
    CHECK_YAML_ERROR("a: !!str b\n", SL_EYAML_UNSUPPORTED, 1, 4);
    CHECK_YAML_ERROR("a: [x, *y]\n", SL_EYAML_UNSUPPORTED, 1, 8);
    CHECK_YAML_ERROR("- !t x\n", SL_EYAML_UNSUPPORTED, 1, 3);
}

/* -------------------------------------------------------------- quoted scalars --- */

TEST(yaml_single_quoted)
{
    sl_error err;
    sl_doc *doc = yaml_parse("a: 'it''s: # fine'\nb: 'one\n  two\n\n  three\n\n\n  four  '\n"
                             "c: 'x  \n  y'\n",
                             0, &err);

    REQUIRE(doc != NULL);
    CHECK_STR(yaml_get(doc, "a"), "it's: # fine");
    CHECK_STR(yaml_get(doc, "b"), "one two\nthree\n\nfour  ");
    CHECK_STR(yaml_get(doc, "c"), "x y");
    CHECK_INT(sl_value_flags(sl_value_get(sl_doc_root(doc), "a")), SL_VALUE_QUOTED);
    CHECK_INT(sl_value_column(sl_value_get(sl_doc_root(doc), "a")), 4);
    sl_doc_free(doc);
}

TEST(yaml_double_quoted_escapes)
{
    static const char expected[] = "\0\a\b\t\t\n\v\f\r\x1b \"/\\"
                                   "\xC2\x85\xC2\xA0\xE2\x80\xA8\xE2\x80\xA9"
                                   "A\xC3\xA9\xF0\x9F\x98\x80\xF0\x9F\x98\x80";
    sl_error err;
    sl_doc *doc = yaml_parse("a: \"\\0\\a\\b\\t\\\t\\n\\v\\f\\r\\e\\ \\\"\\/\\\\\\N\\_\\L\\P"
                             "\\x41\\u00e9\\U0001F600\\ud83d\\ude00\"\n",
                             0, &err);
    sl_str s;

    REQUIRE(doc != NULL);
    s = sl_value_str(sl_value_get(sl_doc_root(doc), "a"));
    CHECK_INT(s.len, sizeof(expected) - 1);
    REQUIRE(s.len == sizeof(expected) - 1);
    CHECK(memcmp(s.ptr, expected, s.len) == 0);
    sl_doc_free(doc);
}

TEST(yaml_double_quoted_folding)
{
    sl_error err;
    sl_doc *doc = yaml_parse("a: \"one\\\n  \\ two\\\n  three\n  four\n\n  five \\\n\n  six\"\n",
                             0, &err);

    REQUIRE(doc != NULL);
    CHECK_STR(yaml_get(doc, "a"), "one twothree four\nfive \nsix");
    sl_doc_free(doc);
}

TEST(yaml_quoted_errors)
{
    CHECK_YAML_ERROR("a: 'open\nb: c\n", SL_EYAML_SCALAR, 1, 4);
    CHECK_YAML_ERROR("x: 1\na: \"open", SL_EYAML_SCALAR, 2, 4);
    CHECK_YAML_ERROR("a: \"bad \\q escape\"\n", SL_EYAML_SCALAR, 1, 9);
    CHECK_YAML_ERROR("a: \"\\x4\"\n", SL_EYAML_SCALAR, 1, 5);
    CHECK_YAML_ERROR("a: \"\\ud800\"\n", SL_EYAML_SCALAR, 1, 5);
    CHECK_YAML_ERROR("a: \"\\U00110000\"\n", SL_EYAML_SCALAR, 1, 5);
    CHECK_YAML_ERROR("a: \"x\n---\n\"\n", SL_EYAML_SCALAR, 2, 1);
    CHECK_YAML_ERROR("a: \"x\" y\n", SL_EYAML_SYNTAX, 1, 8);
    CHECK_YAML_ERROR("a: \"x\": y\n", SL_EYAML_SYNTAX, 1, 7);
}

/* -------------------------------------------------------------- block scalars --- */

TEST(yaml_block_scalars)
{
    sl_error err;
    sl_doc *doc = yaml_parse("lit: |\n  a\n    b\n\n  c\n\nfold: >\n  a\n  b\n\n  c\n    d\n  e\n"
                             "strip: |-\n  x\n\n\nkeep: |+\n  x\n\n\nclip: >\n  x\n\n\n"
                             "ind: |2-\n    x\n   y\nind2: >-1\n  z\nlead: |\n\n  \n  x\n"
                             "hdr: >- # comment\n  q\n  r\nempty: |\nlast: x\n",
                             0, &err);

    REQUIRE(doc != NULL);
    CHECK_STR(yaml_get(doc, "lit"), "a\n  b\n\nc\n");
    CHECK_STR(yaml_get(doc, "fold"), "a b\nc\n  d\ne\n");
    CHECK_STR(yaml_get(doc, "strip"), "x");
    CHECK_STR(yaml_get(doc, "keep"), "x\n\n\n");
    CHECK_STR(yaml_get(doc, "clip"), "x\n");
    CHECK_STR(yaml_get(doc, "ind"), "  x\n y");
    CHECK_STR(yaml_get(doc, "ind2"), " z");
    CHECK_STR(yaml_get(doc, "lead"), "\n\nx\n");
    CHECK_STR(yaml_get(doc, "hdr"), "q r");
    CHECK_INT(sl_value_kind(sl_value_get(sl_doc_root(doc), "empty")), SL_VALUE_STRING);
    CHECK_STR(yaml_get(doc, "empty"), "");
    CHECK_STR(yaml_get(doc, "last"), "x");
    CHECK_INT(sl_value_flags(sl_value_get(sl_doc_root(doc), "lit")), SL_VALUE_QUOTED);
    CHECK_INT(sl_value_line(sl_value_get(sl_doc_root(doc), "fold")), 7);
    CHECK_INT(sl_value_column(sl_value_get(sl_doc_root(doc), "fold")), 7);
    sl_doc_free(doc);

    /* Colons, comments and CJK inside a block scalar are text. */
    doc = yaml_parse("- |\n  Security: x # y\n  \xE4\xB8\xAD\xE6\x96\x87\n- >-\n  z\n", 0, &err);
    REQUIRE(doc != NULL);
    CHECK_STR(sl_value_cstr(sl_value_at(sl_doc_root(doc), 0)),
              "Security: x # y\n\xE4\xB8\xAD\xE6\x96\x87\n");
    CHECK_STR(sl_value_cstr(sl_value_at(sl_doc_root(doc), 1)), "z");
    sl_doc_free(doc);

    CHECK_YAML_ERROR("a: |0\n  x\n", SL_EYAML_SCALAR, 1, 5);
    CHECK_YAML_ERROR("a: | text\n", SL_EYAML_SCALAR, 1, 6);
    CHECK_YAML_ERROR("a: |\n    x\n  y\n", SL_EYAML_INDENT, 3, 3);
}

/* ---------------------------------------------------- comments, line ends, BOM --- */

TEST(yaml_comments_and_blank_lines)
{
    sl_error err;
    sl_doc *doc = yaml_parse("# top\n\nname: x # trailing\n  # indented comment\n\n"
                             "list: # after key\n  - a # after item\n\n  - b\n# end\n",
                             0, &err);

    REQUIRE(doc != NULL);
    CHECK_STR(yaml_get(doc, "name"), "x");
    CHECK_INT(sl_value_count(sl_value_get(sl_doc_root(doc), "list")), 2);
    CHECK_STR(sl_value_cstr(sl_value_at(sl_value_get(sl_doc_root(doc), "list"), 0)), "a");
    CHECK_INT(sl_value_line(sl_value_key_at(sl_doc_root(doc), 0)), 3);
    sl_doc_free(doc);
}

TEST(yaml_crlf_line_ends)
{
    sl_error err;
    sl_doc *doc = yaml_parse("a: one\r\n  two\r\nb: |\r\n  x\r\n  y\r\nc: 'p\r\n\r\n  q'\r\n"
                             "d: \"r\\\r\n  s\"\r\ne: [1,\r\n 2]\r\nf: >-\r\n  g\r\n  h\r\n",
                             0, &err);

    REQUIRE(doc != NULL);
    CHECK_STR(yaml_get(doc, "a"), "one two");
    CHECK_STR(yaml_get(doc, "b"), "x\ny\n");
    CHECK_STR(yaml_get(doc, "c"), "p\nq");
    CHECK_STR(yaml_get(doc, "d"), "rs");
    CHECK_STR(sl_value_cstr(sl_value_at(sl_value_get(sl_doc_root(doc), "e"), 1)), "2");
    CHECK_STR(yaml_get(doc, "f"), "g h");
    CHECK_INT(sl_value_line(sl_value_get(sl_doc_root(doc), "f")), 13);
    CHECK_INT(sl_value_column(sl_value_get(sl_doc_root(doc), "f")), 4);
    sl_doc_free(doc);
}

TEST(yaml_bom_and_document_start)
{
    sl_error err;
    sl_doc *doc = yaml_parse("\xEF\xBB\xBFname: x\n", 0, &err);

    REQUIRE(doc != NULL);
    CHECK_STR(yaml_get(doc, "name"), "x");
    CHECK_INT(sl_value_column(sl_value_key_at(sl_doc_root(doc), 0)), 1);
    CHECK_INT(sl_value_offset(sl_value_key_at(sl_doc_root(doc), 0)), 3);
    sl_doc_free(doc);

    doc = yaml_parse("# c\n---\nname: y\n", 0, &err);
    REQUIRE(doc != NULL);
    CHECK_STR(yaml_get(doc, "name"), "y");
    sl_doc_free(doc);

    doc = yaml_parse("--- [a]\n", 0, &err);
    REQUIRE(doc != NULL);
    CHECK_INT(sl_value_count(sl_doc_root(doc)), 1);
    sl_doc_free(doc);

    doc = yaml_parse("---\n# only a comment\n", 0, &err);
    REQUIRE(doc != NULL);
    CHECK(sl_doc_root(doc) == NULL);
    sl_doc_free(doc);
}

TEST(yaml_empty_input)
{
    sl_error err;
    sl_doc *doc = sl_yaml_parse(NULL, 0, NULL, &err);

    REQUIRE(doc != NULL);
    CHECK(sl_doc_root(doc) == NULL);
    CHECK_INT(err.code, SL_OK);
    sl_doc_free(doc);

    doc = yaml_parse("\n  \n# x\n", 0, &err);
    REQUIRE(doc != NULL);
    CHECK(sl_doc_root(doc) == NULL);
    sl_doc_free(doc);

    CHECK(sl_yaml_parse(NULL, 3, NULL, &err) == NULL);
    CHECK_INT(err.code, SL_EINVAL);
}

TEST(yaml_document_errors)
{
    CHECK_YAML_ERROR("a: 1\n---\nb: 2\n", SL_EYAML_UNSUPPORTED, 2, 1);
    CHECK_YAML_ERROR("---\na: 1\n---\n", SL_EYAML_UNSUPPORTED, 3, 1);
    CHECK_YAML_ERROR("a: 1\n...\n", SL_EYAML_UNSUPPORTED, 2, 1);
    CHECK_YAML_ERROR("%YAML 1.2\n---\na: 1\n", SL_EYAML_UNSUPPORTED, 1, 1);
    CHECK_YAML_ERROR("? a\n: b\n", SL_EYAML_UNSUPPORTED, 1, 1);
    CHECK_YAML_ERROR("a: {[x]: y}\n", SL_EYAML_UNSUPPORTED, 1, 5);
    CHECK_YAML_ERROR("a: b\n  - c: d\n", SL_EYAML_SYNTAX, 2, 6);
}

/* ------------------------------------------------------ indentation and limits --- */

TEST(yaml_tab_indentation)
{
    sl_error err;
    sl_doc *doc = yaml_parse("a:\n\tb: 1\n", 0, &err);

    CHECK(doc == NULL);
    CHECK_INT(err.code, SL_EYAML_TAB);
    CHECK_INT(err.line, 2);
    CHECK_INT(err.column, 1);
    CHECK(strstr(err.message, "spaces") != NULL);

    CHECK_YAML_ERROR("a:\n  \tb: 1\n", SL_EYAML_TAB, 2, 3);
    CHECK_YAML_ERROR("a: x\n \ty\n", SL_EYAML_TAB, 2, 2);

    /* Tabs after an indicator, in blank lines, in flow context and in text are fine. */
    doc = yaml_parse("a:\tb\t\n\t\nc: {\n\t\"d\": 1\n}\ne: |\n  \tf\n", 0, &err);
    REQUIRE(doc != NULL);
    CHECK_STR(yaml_get(doc, "a"), "b");
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_get(sl_doc_root(doc), "c"), "d")), "1");
    CHECK_STR(yaml_get(doc, "e"), "\tf\n");
    sl_doc_free(doc);
}

TEST(yaml_bad_indentation)
{
    CHECK_YAML_ERROR("a:\n    b: 1\n  c: 2\n", SL_EYAML_INDENT, 3, 3);
    CHECK_YAML_ERROR("a: 'x'\n  b: 2\n", SL_EYAML_INDENT, 2, 3);
    CHECK_YAML_ERROR("  a: 1\nb: 2\n", SL_EYAML_INDENT, 2, 1);
    CHECK_YAML_ERROR("a:\n  - x\n  y: 1\n", SL_EYAML_INDENT, 3, 3);
    CHECK_YAML_ERROR("list:\n  - a\n  - 'b'\n   - c\n", SL_EYAML_INDENT, 4, 4);
    CHECK_YAML_ERROR("a: x\n- b\n", SL_EYAML_SYNTAX, 2, 1);
    CHECK_YAML_ERROR("- a\nb: c\n", SL_EYAML_SYNTAX, 2, 1);
    CHECK_YAML_ERROR("a: 1\nplain line\n", SL_EYAML_SYNTAX, 2, 1);
}

TEST(yaml_unterminated_flow)
{
    sl_error err;
    sl_doc *doc = yaml_parse("a: 1\nb: [x,\n  y\n", 0, &err);

    CHECK(doc == NULL);
    CHECK_INT(err.code, SL_EYAML_SYNTAX);
    CHECK_INT(err.line, 2);
    CHECK_INT(err.column, 4);
    CHECK(strstr(err.message, "']'") != NULL);

    CHECK_YAML_ERROR("a: {b: c\n", SL_EYAML_SYNTAX, 1, 4);
    CHECK_YAML_ERROR("a: [b c d}\n", SL_EYAML_SYNTAX, 1, 10);
    CHECK_YAML_ERROR("a: [x, , y]\n", SL_EYAML_SYNTAX, 1, 8);
    CHECK_YAML_ERROR("a: [x] tail\n", SL_EYAML_SYNTAX, 1, 8);
    CHECK_YAML_ERROR("a: [x,\n---\n]\n", SL_EYAML_SYNTAX, 2, 1);
}

TEST(yaml_duplicate_keys)
{
    sl_error err;
    sl_yaml_options opt;
    const char *text = "name: a\nmeta:\n  x: 1\n  x: 2\n";
    sl_doc *doc = yaml_parse(text, 0, &err);

    CHECK(doc == NULL);
    CHECK_INT(err.code, SL_EYAML_DUPLICATE);
    CHECK_INT(err.line, 4);
    CHECK_INT(err.column, 3);
    CHECK_INT(err.offset, 23);
    CHECK(strstr(err.message, "\"x\"") != NULL);
    CHECK(strstr(err.message, "line 3") != NULL);

    CHECK_YAML_ERROR("a: 1\nb: 2\n'a': 3\n", SL_EYAML_DUPLICATE, 3, 1);
    CHECK_YAML_ERROR("a: {b: 1, \"b\": 2}\n", SL_EYAML_DUPLICATE, 1, 11);

    /* The same key in different mappings is fine. */
    doc = yaml_parse("a: {k: 1}\nb: {k: 2}\nk: 3\n", 0, &err);
    CHECK(doc != NULL);
    sl_doc_free(doc);

    sl_yaml_options_init(&opt);
    opt.allow_duplicate_keys = 1;
    doc = sl_yaml_parse(text, strlen(text), &opt, &err);
    REQUIRE(doc != NULL);
    CHECK_INT(sl_value_count(sl_value_get(sl_doc_root(doc), "meta")), 1);
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_get(sl_doc_root(doc), "meta"), "x")), "1");
    sl_doc_free(doc);
}

TEST(yaml_invalid_utf8)
{
    sl_error err;
    sl_doc *doc = yaml_parse("a: ok\nb: caf\xC3(\n", 0, &err);

    CHECK(doc == NULL);
    CHECK_INT(err.code, SL_EYAML_UTF8);
    CHECK_INT(err.offset, 12);
    CHECK_INT(err.line, 2);
    CHECK_INT(err.column, 7);

    CHECK_YAML_ERROR("a: \xED\xA0\x80\n", SL_EYAML_UTF8, 1, 4);
    CHECK_YAML_ERROR("a: \xC0\xAF\n", SL_EYAML_UTF8, 1, 4);
    CHECK_YAML_ERROR("a: b\x01\n", SL_EYAML_SYNTAX, 1, 5);
}

TEST(yaml_unicode_columns)
{
    sl_error err;
    sl_doc *doc = yaml_parse("a: \xF0\x9F\x94\x90\xF0\x9F\x94\x90 b\n"
                             "c: [\xE4\xB8\xAD\xE6\x96\x87, \xF0\x9F\x98\x80x]\n"
                             "\xE5\x90\x8D: \xE5\x80\xBC\n",
                             0, &err);
    sl_value *c;

    REQUIRE(doc != NULL);
    CHECK_STR(yaml_get(doc, "a"), "\xF0\x9F\x94\x90\xF0\x9F\x94\x90 b");
    c = sl_value_get(sl_doc_root(doc), "c");
    CHECK_INT(sl_value_offset(c), 17);
    CHECK_INT(sl_value_column(c), 4);
    CHECK_INT(sl_value_column(sl_value_at(c, 0)), 5);
    CHECK_INT(sl_value_offset(sl_value_at(c, 1)), 26);
    CHECK_INT(sl_value_column(sl_value_at(c, 1)), 9);
    CHECK_STR(yaml_get(doc, "\xE5\x90\x8D"), "\xE5\x80\xBC");
    CHECK_INT(sl_value_column(sl_value_get(sl_doc_root(doc), "\xE5\x90\x8D")), 4);
    sl_doc_free(doc);
}

TEST(yaml_base_offsets)
{
    sl_error err;
    sl_yaml_options opt;
    const char *text = "name: x\nbad: a: b\n";
    sl_doc *doc;

    sl_yaml_options_init(&opt);
    opt.base_offset = 100;
    opt.base_line = 10;
    doc = sl_yaml_parse(text, 8, &opt, &err);
    REQUIRE(doc != NULL);
    CHECK_INT(sl_value_offset(sl_value_get(sl_doc_root(doc), "name")), 106);
    CHECK_INT(sl_value_line(sl_value_get(sl_doc_root(doc), "name")), 10);
    CHECK_INT(sl_value_column(sl_value_get(sl_doc_root(doc), "name")), 7);
    sl_doc_free(doc);

    doc = sl_yaml_parse(text, strlen(text), &opt, &err);
    CHECK(doc == NULL);
    CHECK_INT(err.code, SL_EYAML_SYNTAX);
    CHECK_INT(err.offset, 114);
    CHECK_INT(err.line, 11);
    CHECK_INT(err.column, 7);
}

TEST(yaml_depth_limit)
{
    sl_error err;
    sl_yaml_options opt;
    char text[400];
    sl_doc *doc;
    int i;

    sl_yaml_options_init(&opt);
    opt.max_depth = 3;
    doc = sl_yaml_parse("a: {b: [c]}\n", 12, &opt, &err);
    CHECK(doc != NULL);
    sl_doc_free(doc);
    doc = sl_yaml_parse("a: {b: [[c]]}\n", 14, &opt, &err);
    CHECK(doc == NULL);
    CHECK_INT(err.code, SL_EYAML_DEPTH);
    CHECK_INT(err.column, 9);
    doc = sl_yaml_parse("a:\n b:\n  c:\n   d: 1\n", 20, &opt, &err);
    CHECK(doc == NULL);
    CHECK_INT(err.code, SL_EYAML_DEPTH);
    CHECK_INT(err.line, 4);

    /* The default limit (64) stops deep input long before the stack would. */
    for (i = 0; i < 300; i++) {
        text[i] = '[';
    }
    text[300] = '\0';
    doc = yaml_parse(text, 0, &err);
    CHECK(doc == NULL);
    CHECK_INT(err.code, SL_EYAML_DEPTH);
    CHECK_INT(err.column, 65);
}

TEST(yaml_max_bytes)
{
    sl_error err;
    sl_yaml_options opt;

    sl_yaml_options_init(&opt);
    CHECK_INT(opt.max_bytes, 1 << 20);
    CHECK_INT(opt.max_depth, 64);
    CHECK_INT(opt.base_line, 1);
    opt.max_bytes = 4;
    CHECK(sl_yaml_parse("a: bc", 5, &opt, &err) == NULL);
    CHECK_INT(err.code, SL_ELIMIT);
    CHECK(strstr(err.message, "max_bytes") != NULL);
    opt.max_bytes = 5;
    sl_doc_free(sl_yaml_parse("a: bc", 5, &opt, &err));
    CHECK_INT(err.code, SL_OK);
}

/* ----------------------------------------------------------------------- typing --- */

TEST(yaml_untyped_scalars_stay_strings)
{
    sl_error err;
    sl_doc *doc = yaml_parse("version: 1.10\ncount: 010\non: yes\nflag: true\nn: ~\nx: null\n",
                             0, &err);
    sl_value *root;

    REQUIRE(doc != NULL);
    root = sl_doc_root(doc);
    CHECK_STR(yaml_get(doc, "version"), "1.10");
    CHECK_STR(yaml_get(doc, "count"), "010");
    CHECK_STR(yaml_get(doc, "on"), "yes");
    CHECK_INT(sl_value_kind(sl_value_get(root, "flag")), SL_VALUE_STRING);
    CHECK_STR(yaml_get(doc, "n"), "~");
    CHECK_STR(yaml_get(doc, "x"), "null");
    CHECK_INT(sl_value_flags(sl_value_get(root, "version")), 0);
    sl_doc_free(doc);
}

TEST(yaml_typed_core_schema)
{
    sl_error err;
    sl_doc *doc = yaml_parse("version: 1.10\ncount: 010\non: yes\nt: True\nf: FALSE\nn: ~\n"
                             "n2: Null\ne:\nhex: 0x1F\noct: 0o17\nneg: -42\nbig: "
                             "99999999999999999999\nmin: -9223372036854775808\nexp: 1e3\n"
                             "inf: -.inf\nnan: .NaN\ndot: .5\nq: \"true\"\nb: |\n  1\n"
                             "ver: 1.0.0\ndate: 2025-01-15\nlist: [1, true, null, x]\n"
                             "bad: 0x\n",
                             1, &err);
    sl_value *root;
    sl_value *list;

    REQUIRE(doc != NULL);
    root = sl_doc_root(doc);
    CHECK_INT(sl_value_kind(sl_value_get(root, "version")), SL_VALUE_REAL);
    CHECK(sl_value_real(sl_value_get(root, "version")) == 1.1);
    CHECK_INT(sl_value_kind(sl_value_get(root, "count")), SL_VALUE_INT);
    CHECK_INT(sl_value_int(sl_value_get(root, "count")), 10);
    CHECK_STR(yaml_get(doc, "on"), "yes");
    CHECK_INT(sl_value_kind(sl_value_get(root, "t")), SL_VALUE_BOOL);
    CHECK_INT(sl_value_bool(sl_value_get(root, "t")), 1);
    CHECK_INT(sl_value_kind(sl_value_get(root, "f")), SL_VALUE_BOOL);
    CHECK_INT(sl_value_bool(sl_value_get(root, "f")), 0);
    CHECK_INT(sl_value_kind(sl_value_get(root, "n")), SL_VALUE_NULL);
    CHECK_INT(sl_value_kind(sl_value_get(root, "n2")), SL_VALUE_NULL);
    CHECK_INT(sl_value_kind(sl_value_get(root, "e")), SL_VALUE_NULL);
    CHECK_INT(sl_value_int(sl_value_get(root, "hex")), 31);
    CHECK_INT(sl_value_int(sl_value_get(root, "oct")), 15);
    CHECK_INT(sl_value_int(sl_value_get(root, "neg")), -42);
    CHECK_INT(sl_value_kind(sl_value_get(root, "big")), SL_VALUE_REAL);
    CHECK(sl_value_real(sl_value_get(root, "big")) == 1e20);
    CHECK_INT(sl_value_kind(sl_value_get(root, "min")), SL_VALUE_INT);
    CHECK(sl_value_int(sl_value_get(root, "min")) == INT64_MIN);
    CHECK(sl_value_real(sl_value_get(root, "exp")) == 1000.0);
    CHECK(sl_value_real(sl_value_get(root, "inf")) < -1e308);
    CHECK(sl_value_real(sl_value_get(root, "nan")) != sl_value_real(sl_value_get(root, "nan")));
    CHECK(sl_value_real(sl_value_get(root, "dot")) == 0.5);
    CHECK_INT(sl_value_kind(sl_value_get(root, "q")), SL_VALUE_STRING);
    CHECK_INT(sl_value_flags(sl_value_get(root, "q")), SL_VALUE_QUOTED);
    CHECK_STR(yaml_get(doc, "b"), "1\n");
    CHECK_STR(yaml_get(doc, "ver"), "1.0.0");
    CHECK_STR(yaml_get(doc, "date"), "2025-01-15");
    CHECK_STR(yaml_get(doc, "bad"), "0x");
    list = sl_value_get(root, "list");
    CHECK_INT(sl_value_kind(sl_value_at(list, 0)), SL_VALUE_INT);
    CHECK_INT(sl_value_kind(sl_value_at(list, 1)), SL_VALUE_BOOL);
    CHECK_INT(sl_value_kind(sl_value_at(list, 2)), SL_VALUE_NULL);
    CHECK_INT(sl_value_kind(sl_value_at(list, 3)), SL_VALUE_STRING);
    CHECK_INT(sl_value_line(sl_value_get(root, "neg")), 11);
    CHECK_INT(sl_value_column(sl_value_get(root, "neg")), 6);
    sl_doc_free(doc);

    /* Keys stay strings in typed mode. */
    doc = yaml_parse("1: a\ntrue: b\n", 1, &err);
    REQUIRE(doc != NULL);
    CHECK_STR(yaml_get(doc, "1"), "a");
    CHECK_STR(yaml_get(doc, "true"), "b");
    sl_doc_free(doc);
}

/* ------------------------------------------------------------- allocation failure --- */

typedef struct fail_alloc {
    long allocations_left;
    long live;
} fail_alloc;

static void *fail_alloc_malloc(void *user, size_t size)
{
    fail_alloc *f = (fail_alloc *)user;
    void *p;

    if (f->allocations_left-- <= 0) {
        return NULL;
    }
    p = malloc(size);
    f->live += p != NULL;
    return p;
}

static void *fail_alloc_realloc(void *user, void *ptr, size_t old_size, size_t new_size)
{
    fail_alloc *f = (fail_alloc *)user;

    (void)old_size;
    if (f->allocations_left-- <= 0) {
        return NULL;
    }
    if (ptr == NULL) {
        f->live++;
    }
    return realloc(ptr, new_size);
}

static void fail_alloc_free(void *user, void *ptr, size_t size)
{
    fail_alloc *f = (fail_alloc *)user;

    (void)size;
    f->live -= ptr != NULL;
    free(ptr);
}

TEST(yaml_allocation_failure)
{
    char text[4096];
    size_t len;
    int n;
    int i;

    len = (size_t)snprintf(text, sizeof(text),
                           "name: x\ndescription: >-\n  folded\n  text\nq: 'a''b'\n"
                           "m: {\"k\": [1, 2, {x: y}]}\nl:\n- a\n- b: c\n");
    for (i = 0; i < 40; i++) {
        len += (size_t)snprintf(text + len, sizeof(text) - len, "key%d: value %d\n", i, i);
    }
    for (n = 0; n < 10000; n++) {
        fail_alloc f;
        sl_allocator a;
        sl_yaml_options opt;
        sl_error err;
        sl_doc *doc;

        f.allocations_left = n;
        f.live = 0;
        a.alloc = fail_alloc_malloc;
        a.realloc = fail_alloc_realloc;
        a.free = fail_alloc_free;
        a.user = &f;
        sl_yaml_options_init(&opt);
        opt.alloc = &a;
        doc = sl_yaml_parse(text, len, &opt, &err);
        if (doc != NULL) {
            CHECK_INT(sl_value_count(sl_doc_root(doc)), 45);
            sl_doc_free(doc);
            CHECK_INT(f.live, 0);
            break;
        }
        CHECK_INT(err.code, SL_ENOMEM);
        CHECK_INT(f.live, 0);
        if (sl_test_case_failed()) {
            break;
        }
    }
    CHECK(n > 3);
    CHECK(n < 10000);
}

TEST(yaml_long_inputs_are_linear)
{
    /* 20,000 keys in one mapping and 20,000 items in one flow sequence: quadratic work
     * here would take seconds, linear work takes milliseconds. */
    sl_buf buf;
    sl_error err;
    sl_doc *doc;
    int i;

    sl_buf_init(&buf, NULL);
    for (i = 0; i < 20000; i++) {
        sl_buf_appendf(&buf, "k%d: v\n", i);
    }
    sl_buf_append_str(&buf, "list: [");
    for (i = 0; i < 20000; i++) {
        sl_buf_append_str(&buf, "item, ");
    }
    sl_buf_append_str(&buf, "]\n");
    REQUIRE(!buf.failed);
    doc = sl_yaml_parse(buf.data, buf.len, NULL, &err);
    REQUIRE(doc != NULL);
    CHECK_INT(sl_value_count(sl_doc_root(doc)), 20001);
    CHECK_INT(sl_value_count(sl_value_get(sl_doc_root(doc), "list")), 20000);
    CHECK_INT(sl_value_line(sl_value_get(sl_doc_root(doc), "list")), 20001);
    sl_doc_free(doc);
    sl_buf_free(&buf);
}

/* ---------------------------------------------------------------- real SKILL.md --- */

TEST(yaml_corpus_flow_metadata_trailing_commas)
{
    CORPUS_LOAD(c, "INSTINCTx__neuro-skills/1password");
    sl_value *neuro;
    sl_value *install;

    REQUIRE(c.doc != NULL);
    neuro = sl_value_get(sl_value_get(sl_doc_root(c.doc), "metadata"), "neuro");
    CHECK_STR(sl_value_cstr(sl_value_get(neuro, "emoji")), "\xF0\x9F\x94\x90");
    CHECK_STR(sl_value_cstr(sl_value_at(sl_value_get(sl_value_get(neuro, "requires"), "bins"),
                                        0)),
              "op");
    install = sl_value_get(neuro, "install");
    CHECK_INT(sl_value_count(install), 1);
    CHECK_INT(sl_value_count(sl_value_at(install, 0)), 5);
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_at(install, 0), "label")),
              "Install 1Password CLI (brew)");
    CHECK_STR(yaml_get(c.doc, "homepage"), "https://developer.1password.com/docs/cli/get-started/");
    CHECK_INT(sl_value_line(sl_value_get(neuro, "emoji")), 9);
    CHECK_INT(sl_value_column(sl_value_get(neuro, "emoji")), 18);
    sl_doc_free(c.doc);
}

TEST(yaml_corpus_single_quoted_multiline)
{
    CORPUS_LOAD(c, JL "anth-policy-guardrails");
    sl_value *tags;

    REQUIRE(c.doc != NULL);
    CHECK_STR(yaml_get(c.doc, "description"),
              "Implement content policy guardrails, input/output validation,\nand usage "
              "governance for Claude API integrations.\nTrigger with phrases like \"anthropic "
              "guardrails\", \"claude content policy\",\n\"claude input validation\", "
              "\"anthropic safety rules\".\n");
    tags = sl_value_get(sl_doc_root(c.doc), "tags");
    CHECK_INT(sl_value_count(tags), 3);
    CHECK_STR(sl_value_cstr(sl_value_at(tags, 2)), "anthropic");
    CHECK_STR(yaml_get(c.doc, "version"), "1.0.0");
    sl_doc_free(c.doc);
}

TEST(yaml_corpus_double_quoted_continuation)
{
    CORPUS_LOAD(c, JL "clade-architecture-variants");

    REQUIRE(c.doc != NULL);
    CHECK_STR(yaml_get(c.doc, "description"),
              "Build different types of Claude-powered applications \xE2\x80\x94 chatbots, RAG "
              "systems,\nUse when working with architecture-variants patterns.\nagents, content "
              "pipelines, and code generation tools.\nTrigger with \"claude architecture\", "
              "\"anthropic rag\", \"build with claude\",\n\"claude agent pattern\", \"anthropic "
              "app design\".\n");
    CHECK_INT(sl_value_count(sl_value_get(sl_doc_root(c.doc), "tags")), 6);
    sl_doc_free(c.doc);
}

TEST(yaml_corpus_folded_strip)
{
    CORPUS_LOAD(c, "modelstudioai__skills/bailian-cli");
    sl_str d;

    REQUIRE(c.doc != NULL);
    d = sl_value_str(sl_value_get(sl_doc_root(c.doc), "description"));
    CHECK_INT(d.len, 510);
    CHECK(strncmp(d.ptr, "**[DEFAULT TOOL - HIGHEST PRIORITY]** Aliyun Model Studio CLI (`bl`) "
                         "is the PRIMARY tool for ALL AI tasks. ALWAYS use `bl` FIRST.", 129) == 0);
    CHECK(strstr(d.ptr, "local paths \xE2\x80\x94 auto-upload built-in; never ask for URLs. Full")
          != NULL);
    CHECK(strcmp(d.ptr + d.len - 21, "this skill directory.") == 0);
    CHECK_INT(sl_value_line(sl_value_get(sl_doc_root(c.doc), "description")), 3);
    CHECK_INT(sl_value_column(sl_value_get(sl_doc_root(c.doc), "description")), 14);
    sl_doc_free(c.doc);
}

TEST(yaml_corpus_literal_strip)
{
    CORPUS_LOAD(c, "anthropics__skills/claude-api");
    sl_str d;

    REQUIRE(c.doc != NULL);
    d = sl_value_str(sl_value_get(sl_doc_root(c.doc), "description"));
    CHECK_INT(d.len, 1078);
    CHECK(strncmp(d.ptr, "Reference for the Claude API / Anthropic SDK \xE2\x80\x94 model ids",
                  58) == 0);
    CHECK(strstr(d.ptr, "model migration.\nTRIGGER \xE2\x80\x94 read BEFORE") != NULL);
    CHECK(strcmp(d.ptr + d.len - 31, "named \xE2\x80\x94 don't Read the file).") == 0);
    CHECK_STR(yaml_get(c.doc, "license"), "Complete terms in LICENSE.txt");
    sl_doc_free(c.doc);
}

TEST(yaml_corpus_plain_multiline)
{
    CORPUS_LOAD(c, "EXboys__skilllite/agent-browser");

    REQUIRE(c.doc != NULL);
    CHECK_STR(yaml_get(c.doc, "description"),
              "Browser automation CLI for AI agents. Requires Node.js with agent-browser. Use "
              "when the user needs to interact with websites, including navigating pages, "
              "filling forms, clicking buttons, taking screenshots, extracting data, testing "
              "web apps, or automating any browser task. Triggers include requests to \"open a "
              "website\", \"fill out a form\", \"click a button\", \"take a screenshot\", "
              "\"scrape data from a page\", \"test this web app\", \"login to a site\", "
              "\"automate browser actions\", or any task requiring programmatic web "
              "interaction.");
    CHECK_STR(yaml_get(c.doc, "allowed-tools"), "Bash(agent-browser:*)");
    CHECK_INT(sl_value_line(sl_value_get(sl_doc_root(c.doc), "description")), 4);
    CHECK_INT(sl_value_column(sl_value_get(sl_doc_root(c.doc), "description")), 3);
    sl_doc_free(c.doc);
}

TEST(yaml_corpus_crlf_files)
{
    CORPUS_LOAD(a, TNT "Orchestra-Research--AI-research-SKILLs__ml-training-recipes");
    CORPUS_LOAD(b, TNT "varunr89--resume-tailoring-skill__resume-tailoring");
    sl_value *tags;
    sl_str d;

    REQUIRE(a.doc != NULL);
    CHECK_STR(yaml_get(a.doc, "name"), "ml-training-recipes");
    CHECK_STR(yaml_get(a.doc, "license"), "MIT");
    tags = sl_value_get(sl_doc_root(a.doc), "tags");
    CHECK_INT(sl_value_count(tags), 10);
    CHECK_STR(sl_value_cstr(sl_value_at(tags, 9)), "Debugging");
    CHECK_STR(sl_value_cstr(sl_value_at(sl_value_get(sl_doc_root(a.doc), "dependencies"), 0)),
              "torch>=2.0.0");
    d = sl_value_str(sl_value_get(sl_doc_root(a.doc), "description"));
    CHECK(memchr(d.ptr, '\r', d.len) == NULL);
    CHECK_INT(d.len, 416);
    CHECK(strcmp(d.ptr + d.len - 26, "optimizing GPU throughput.") == 0);
    CHECK_INT(sl_value_line(sl_value_get(sl_doc_root(a.doc), "version")), 4);
    sl_doc_free(a.doc);

    REQUIRE(b.doc != NULL);
    CHECK_STR(yaml_get(b.doc, "name"), "resume-tailoring");
    d = sl_value_str(sl_value_get(sl_doc_root(b.doc), "description"));
    CHECK_INT(d.len, 294);
    CHECK(strcmp(d.ptr + d.len - 17, "factual integrity") == 0);
    sl_doc_free(b.doc);
}

TEST(yaml_corpus_trailing_comment)
{
    CORPUS_LOAD(c, TNT "Orchestra-Research--AI-research-SKILLs__openvla-oft");
    sl_value *deps;

    REQUIRE(c.doc != NULL);
    deps = sl_value_get(sl_doc_root(c.doc), "dependencies");
    CHECK_INT(sl_value_count(deps), 10);
    CHECK_STR(sl_value_cstr(sl_value_at(deps, 0)), "torch==2.2.0");
    CHECK_STR(sl_value_cstr(sl_value_at(deps, 9)), "robosuite==1.4.0");
    CHECK_INT(sl_value_count(sl_value_get(sl_doc_root(c.doc), "tags")), 12);
    CHECK_STR(sl_value_cstr(sl_value_at(sl_value_get(sl_doc_root(c.doc), "tags"), 9)),
              "Action Chunking");
    sl_doc_free(c.doc);
}

TEST(yaml_corpus_colon_space_error)
{
    CORPUS_LOAD(c, "INSTINCTx__neuro-skills/food-order");

    CHECK(c.doc == NULL);
    CHECK_INT(c.err.code, SL_EYAML_SYNTAX);
    CHECK_INT(c.err.line, 3);
    CHECK_INT(c.err.column, 125);
    CHECK_INT(c.err.offset, 145);
    CHECK(strstr(c.err.message, "quote the whole value or use a block scalar") != NULL);
}
