#include "skilllite.h"
#include "test.h"

#include <float.h>
#include <locale.h>
#include <math.h>

/* ------------------------------------------------------------------------ helpers --- */

static sl_doc *parse_text(const char *text)
{
    return sl_json_parse(text, strlen(text), NULL, NULL);
}

/* Parses `len` bytes and checks that it fails with `code` at the given position, or that
 * it succeeds when `code` is SL_OK. Failures are reported at the caller's line. */
static void expect_error_at(const char *file, int line_no, const char *text, size_t len,
                            const sl_json_options *opt, int code, size_t offset, int line,
                            int column)
{
    sl_error err;
    sl_doc *doc = sl_json_parse(text, len, opt, &err);

    if (code == SL_OK) {
        if (doc == NULL) {
            sl_test_fail(file, line_no, "parse of \"%.*s\" failed: %s", (int)len, text,
                         err.message);
        }
        sl_doc_free(doc);
        return;
    }
    if (doc != NULL) {
        sl_test_fail(file, line_no, "parse of \"%.*s\" succeeded, expected code %d",
                     (int)len, text, code);
        sl_doc_free(doc);
        return;
    }
    if (err.code != code || err.offset != offset || err.line != line || err.column != column) {
        sl_test_fail(file, line_no,
                     "parse of \"%.*s\": code %d offset %zu at %d:%d (%s), expected code %d "
                     "offset %zu at %d:%d", (int)len, text, err.code, err.offset, err.line,
                     err.column, err.message, code, offset, line, column);
    }
}

/* The input is a string literal, so sizeof keeps embedded NUL bytes. */
#define EXPECT_ERROR(text, code, offset, line, column)                                     \
    expect_error_at(__FILE__, __LINE__, text, sizeof(text) - 1, NULL, code, offset, line,  \
                    column)

static void expect_message_at(const char *file, int line_no, const char *text,
                              const char *message)
{
    sl_error err;
    sl_doc *doc = sl_json_parse(text, strlen(text), NULL, &err);

    sl_doc_free(doc);
    if (doc != NULL || strcmp(err.message, message) != 0) {
        sl_test_fail(file, line_no, "parse of \"%s\": message \"%s\", expected \"%s\"", text,
                     doc != NULL ? "(success)" : err.message, message);
    }
}

#define EXPECT_MESSAGE(text, message) expect_message_at(__FILE__, __LINE__, text, message)

/* Parses `text` and writes the root back with `flags`; returns a static copy or
 * "(error N)". */
static const char *rewrite(const char *text, size_t len, int flags)
{
    static char out[4096];
    sl_doc *doc = sl_json_parse(text, len, NULL, NULL);
    size_t n = 0;
    char *s;

    if (doc == NULL) {
        return "(parse error)";
    }
    s = sl_json_to_string(sl_doc_root(doc), flags, NULL, &n, NULL);
    sl_doc_free(doc);
    if (s == NULL) {
        return "(write error)";
    }
    snprintf(out, sizeof(out), "%s", s);
    CHECK_INT(strlen(out), n);
    sl_free(NULL, s, n + 1);
    return out;
}

static const char *write_real(double d)
{
    static char out[64];
    sl_doc *doc = sl_doc_new(NULL);
    size_t n = 0;
    char *s = sl_json_to_string(sl_value_new_real(doc, d), 0, NULL, &n, NULL);

    snprintf(out, sizeof(out), "%s", s != NULL ? s : "(write error)");
    sl_free(NULL, s, n + 1);
    sl_doc_free(doc);
    return out;
}

/* Returns `n` opening brackets followed by `n` closing ones, in malloc'd memory. */
static char *nested_arrays(size_t n)
{
    char *s = (char *)malloc(2 * n + 1);

    memset(s, '[', n);
    memset(s + n, ']', n);
    s[2 * n] = '\0';
    return s;
}

/* ------------------------------------------------------------------ scalar values --- */

TEST(json_top_level_scalars)
{
    sl_doc *doc;

    doc = parse_text("1");
    REQUIRE(doc != NULL);
    CHECK_INT(sl_value_kind(sl_doc_root(doc)), SL_VALUE_INT);
    CHECK_INT(sl_value_int(sl_doc_root(doc)), 1);
    sl_doc_free(doc);

    doc = parse_text(" \t\r\n\"x\"\n ");
    REQUIRE(doc != NULL);
    CHECK_INT(sl_value_kind(sl_doc_root(doc)), SL_VALUE_STRING);
    CHECK_STR(sl_value_cstr(sl_doc_root(doc)), "x");
    CHECK_INT(sl_value_offset(sl_doc_root(doc)), 4);
    CHECK_INT(sl_value_line(sl_doc_root(doc)), 2); /* CRLF is one line break */
    CHECK_INT(sl_value_column(sl_doc_root(doc)), 1);
    sl_doc_free(doc);

    doc = parse_text("null");
    REQUIRE(doc != NULL);
    REQUIRE(sl_doc_root(doc) != NULL);
    CHECK_INT(sl_value_kind(sl_doc_root(doc)), SL_VALUE_NULL);
    sl_doc_free(doc);

    doc = parse_text("true");
    REQUIRE(doc != NULL);
    CHECK_INT(sl_value_kind(sl_doc_root(doc)), SL_VALUE_BOOL);
    CHECK_INT(sl_value_bool(sl_doc_root(doc)), 1);
    sl_doc_free(doc);

    doc = parse_text("false");
    REQUIRE(doc != NULL);
    CHECK_INT(sl_value_kind(sl_doc_root(doc)), SL_VALUE_BOOL);
    CHECK_INT(sl_value_bool(sl_doc_root(doc)), 0);
    sl_doc_free(doc);
}

TEST(json_integer_limits)
{
    sl_doc *doc;
    sl_value *a;

    doc = parse_text("[9223372036854775807, 9223372036854775808, -9223372036854775808, "
                     "-9223372036854775809, -0, 0, 12]");
    REQUIRE(doc != NULL);
    a = sl_doc_root(doc);
    CHECK_INT(sl_value_kind(sl_value_at(a, 0)), SL_VALUE_INT);
    CHECK(sl_value_int(sl_value_at(a, 0)) == INT64_MAX);
    CHECK_INT(sl_value_kind(sl_value_at(a, 1)), SL_VALUE_REAL);
    CHECK(sl_value_real(sl_value_at(a, 1)) == 9223372036854775808.0);
    CHECK_INT(sl_value_kind(sl_value_at(a, 2)), SL_VALUE_INT);
    CHECK(sl_value_int(sl_value_at(a, 2)) == INT64_MIN);
    CHECK_INT(sl_value_kind(sl_value_at(a, 3)), SL_VALUE_REAL);
    CHECK(sl_value_real(sl_value_at(a, 3)) == -9223372036854775808.0);
    CHECK_INT(sl_value_kind(sl_value_at(a, 4)), SL_VALUE_INT);
    CHECK_INT(sl_value_int(sl_value_at(a, 4)), 0);
    CHECK_INT(sl_value_kind(sl_value_at(a, 5)), SL_VALUE_INT);
    CHECK_INT(sl_value_int(sl_value_at(a, 6)), 12);
    sl_doc_free(doc);
}

TEST(json_real_numbers)
{
    sl_doc *doc;
    sl_value *a;

    doc = parse_text("[1.5, 1E2, -0.0, 1e-400, 0.1, 1.7976931348623157e308, 4.9e-324, "
                     "123456789012345678901234567890, 2.5e+3, 1e-2]");
    REQUIRE(doc != NULL);
    a = sl_doc_root(doc);
    CHECK_INT(sl_value_kind(sl_value_at(a, 0)), SL_VALUE_REAL);
    CHECK(sl_value_real(sl_value_at(a, 0)) == 1.5);
    CHECK_INT(sl_value_kind(sl_value_at(a, 1)), SL_VALUE_REAL);
    CHECK(sl_value_real(sl_value_at(a, 1)) == 100.0);
    CHECK(sl_value_real(sl_value_at(a, 2)) == 0.0);
    CHECK(signbit(sl_value_real(sl_value_at(a, 2))));
    CHECK(sl_value_real(sl_value_at(a, 3)) == 0.0);
    CHECK(sl_value_real(sl_value_at(a, 4)) == 0.1);
    CHECK(sl_value_real(sl_value_at(a, 5)) == DBL_MAX);
    CHECK(sl_value_real(sl_value_at(a, 6)) == 4.9406564584124654e-324);
    CHECK(sl_value_real(sl_value_at(a, 7)) == 1.2345678901234568e+29);
    CHECK(sl_value_real(sl_value_at(a, 8)) == 2500.0);
    CHECK(sl_value_real(sl_value_at(a, 9)) == 0.01);
    sl_doc_free(doc);
}

TEST(json_long_number_text)
{
    char text[700];
    sl_doc *doc;

    /* 600 digits after the point go through the heap buffer of the conversion. */
    memcpy(text, "0.", 2);
    memset(text + 2, '0', 600);
    memcpy(text + 602, "15e601", 7);
    doc = parse_text(text);
    REQUIRE(doc != NULL);
    CHECK(sl_value_real(sl_doc_root(doc)) == 1.5);
    sl_doc_free(doc);
}

TEST(json_string_escapes)
{
    sl_doc *doc;
    sl_str s;

    doc = parse_text("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"\\u00e9\\u20AC\", \"\\ud800\\udc00\", "
                     "\"\\uD83D\\uDE00\", \"a\\u0000b\", \"\\u0000\", \"\"]");
    REQUIRE(doc != NULL);
    s = sl_value_str(sl_value_at(sl_doc_root(doc), 0));
    CHECK_MEM(s.ptr, s.len, "\"\\/\b\f\n\r\t");
    s = sl_value_str(sl_value_at(sl_doc_root(doc), 1));
    CHECK_MEM(s.ptr, s.len, "\xC3\xA9\xE2\x82\xAC");
    s = sl_value_str(sl_value_at(sl_doc_root(doc), 2));
    CHECK_MEM(s.ptr, s.len, "\xF0\x90\x80\x80");
    s = sl_value_str(sl_value_at(sl_doc_root(doc), 3));
    CHECK_MEM(s.ptr, s.len, "\xF0\x9F\x98\x80");
    s = sl_value_str(sl_value_at(sl_doc_root(doc), 4));
    CHECK_INT(s.len, 3);
    CHECK(memcmp(s.ptr, "a\0b", 3) == 0);
    s = sl_value_str(sl_value_at(sl_doc_root(doc), 5));
    CHECK_INT(s.len, 1);
    CHECK_INT(s.ptr[0], 0);
    CHECK_INT(s.ptr[1], 0); /* still NUL-terminated after the content */
    s = sl_value_str(sl_value_at(sl_doc_root(doc), 6));
    CHECK_INT(s.len, 0);
    sl_doc_free(doc);
}

TEST(json_raw_utf8_and_del_accepted)
{
    sl_doc *doc = parse_text("\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\x7F\xF4\x8F\xBF\xBF\"");
    sl_str s;

    REQUIRE(doc != NULL);
    s = sl_value_str(sl_doc_root(doc));
    CHECK_MEM(s.ptr, s.len, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\x7F\xF4\x8F\xBF\xBF");
    sl_doc_free(doc);
}

TEST(json_text_without_nul_terminator)
{
    const char text[3] = { '1', '2', '3' };
    sl_doc *doc = sl_json_parse(text, 2, NULL, NULL);

    REQUIRE(doc != NULL);
    CHECK_INT(sl_value_int(sl_doc_root(doc)), 12);
    sl_doc_free(doc);
}

/* ---------------------------------------------------------------------- positions --- */

TEST(json_value_positions)
{
    const char *text = "{\n  \"a\": [1, \"x\"],\r\n  \"b\": null,\r  \"\xC3\xA9\": true\n}";
    sl_doc *doc = parse_text(text);
    sl_value *root;
    sl_value *a;

    REQUIRE(doc != NULL);
    root = sl_doc_root(doc);
    CHECK_INT(sl_value_offset(root), 0);
    CHECK_INT(sl_value_line(root), 1);
    CHECK_INT(sl_value_column(root), 1);

    CHECK_INT(sl_value_offset(sl_value_key_at(root, 0)), 4);
    CHECK_INT(sl_value_line(sl_value_key_at(root, 0)), 2);
    CHECK_INT(sl_value_column(sl_value_key_at(root, 0)), 3);
    a = sl_value_get(root, "a");
    CHECK_INT(sl_value_offset(a), 9);
    CHECK_INT(sl_value_column(a), 8);
    CHECK_INT(sl_value_offset(sl_value_at(a, 1)), 13);
    CHECK_INT(sl_value_line(sl_value_at(a, 1)), 2);
    CHECK_INT(sl_value_column(sl_value_at(a, 1)), 12);

    CHECK_INT(sl_value_offset(sl_value_key_at(root, 1)), 22);
    CHECK_INT(sl_value_line(sl_value_key_at(root, 1)), 3);
    CHECK_INT(sl_value_column(sl_value_key_at(root, 1)), 3);
    CHECK_INT(sl_value_line(sl_value_get(root, "b")), 3);
    CHECK_INT(sl_value_column(sl_value_get(root, "b")), 8);

    /* After a lone CR; the key has a 2-byte character, counted as one column. */
    CHECK_INT(sl_value_line(sl_value_key_at(root, 2)), 4);
    CHECK_INT(sl_value_column(sl_value_key_at(root, 2)), 3);
    CHECK_INT(sl_value_offset(sl_value_get(root, "\xC3\xA9")), 41);
    CHECK_INT(sl_value_column(sl_value_get(root, "\xC3\xA9")), 8);
    sl_doc_free(doc);
}

/* --------------------------------------------------------------------------- errors --- */

TEST(json_error_empty_and_eof)
{
    EXPECT_ERROR("", SL_EJSON_EOF, 0, 1, 1);
    EXPECT_ERROR("   ", SL_EJSON_EOF, 3, 1, 4);
    EXPECT_ERROR("[", SL_EJSON_EOF, 1, 1, 2);
    EXPECT_ERROR("{", SL_EJSON_EOF, 1, 1, 2);
    EXPECT_ERROR("[1", SL_EJSON_EOF, 2, 1, 3);
    EXPECT_ERROR("[1,", SL_EJSON_EOF, 3, 1, 4);
    EXPECT_ERROR("{\"a\"", SL_EJSON_EOF, 4, 1, 5);
    EXPECT_ERROR("{\"a\":", SL_EJSON_EOF, 5, 1, 6);
    EXPECT_ERROR("{\"a\":1", SL_EJSON_EOF, 6, 1, 7);
    EXPECT_ERROR("\"abc", SL_EJSON_EOF, 4, 1, 5);
    EXPECT_ERROR("\"ab\\", SL_EJSON_EOF, 4, 1, 5);
    EXPECT_ERROR("\"\\u12", SL_EJSON_EOF, 5, 1, 6);
    EXPECT_ERROR("\"\\ud800", SL_EJSON_EOF, 7, 1, 8);
    EXPECT_ERROR("\"\\ud800\\", SL_EJSON_EOF, 8, 1, 9);
    EXPECT_ERROR("tru", SL_EJSON_EOF, 3, 1, 4);
    EXPECT_ERROR("-", SL_EJSON_EOF, 1, 1, 2);
    EXPECT_ERROR("1.", SL_EJSON_EOF, 2, 1, 3);
    EXPECT_ERROR("1e+", SL_EJSON_EOF, 3, 1, 4);
    EXPECT_ERROR("[\n", SL_EJSON_EOF, 2, 2, 1);
    EXPECT_MESSAGE("", "empty input: expected a JSON value");
}

TEST(json_error_syntax)
{
    EXPECT_ERROR("[1,]", SL_EJSON_SYNTAX, 3, 1, 4);
    EXPECT_ERROR("{\"a\":1,}", SL_EJSON_SYNTAX, 7, 1, 8);
    EXPECT_ERROR("[,1]", SL_EJSON_SYNTAX, 1, 1, 2);
    EXPECT_ERROR("[1 2]", SL_EJSON_SYNTAX, 3, 1, 4);
    EXPECT_ERROR("{\"a\" 1}", SL_EJSON_SYNTAX, 5, 1, 6);
    EXPECT_ERROR("{1:2}", SL_EJSON_SYNTAX, 1, 1, 2);
    EXPECT_ERROR("{'a':1}", SL_EJSON_SYNTAX, 1, 1, 2);
    EXPECT_ERROR("{\"a\":1 \"b\":2}", SL_EJSON_SYNTAX, 7, 1, 8);
    EXPECT_ERROR("]", SL_EJSON_SYNTAX, 0, 1, 1);
    EXPECT_ERROR("True", SL_EJSON_SYNTAX, 0, 1, 1);
    EXPECT_ERROR("trux", SL_EJSON_SYNTAX, 3, 1, 4);
    EXPECT_ERROR("[nul]", SL_EJSON_SYNTAX, 4, 1, 5);
    EXPECT_ERROR("[\xC3\xA9]", SL_EJSON_SYNTAX, 1, 1, 2);
    EXPECT_ERROR("\xEF\xBB\xBF{}", SL_EJSON_SYNTAX, 0, 1, 1);
    EXPECT_ERROR("[\"a\" : 1]", SL_EJSON_SYNTAX, 5, 1, 6);
    EXPECT_ERROR("\x00", SL_EJSON_SYNTAX, 0, 1, 1);
    EXPECT_ERROR("[1,\r\r 2 x]", SL_EJSON_SYNTAX, 8, 3, 4);
    EXPECT_ERROR("[\"\xC3\xA9\", x]", SL_EJSON_SYNTAX, 7, 1, 7);
}

TEST(json_error_messages)
{
    EXPECT_MESSAGE("{\"name\" = 1}", "expected ':' after object key \"name\", found '='");
    EXPECT_MESSAGE("[\"\\x\"]", "invalid escape '\\x' in string; valid escapes are \\\" \\\\ \\/ "
                                "\\b \\f \\n \\r \\t and \\uXXXX");
    EXPECT_MESSAGE("[1,]", "expected a value after ',', found ']'; remove the trailing comma");
    EXPECT_MESSAGE("{\"a\":1,}",
                   "expected an object key after ',', found '}'; remove the trailing comma");
    EXPECT_MESSAGE("[1 2]", "expected ',' or ']' after an array element, found '2'");
    EXPECT_MESSAGE("[01]", "invalid number: a leading zero must not be followed by a digit");
    EXPECT_MESSAGE("1e400", "number 1e400 is out of range for a double (about 1.8e308)");
    EXPECT_MESSAGE("\"a\nb\"", "raw control character 0x0A in string; escape it as \\n");
    EXPECT_MESSAGE("\"\x01\"", "raw control character 0x01 in string; escape it as \\u0001");
    EXPECT_MESSAGE("1 2", "unexpected '2' after the JSON value; a JSON text holds exactly one "
                          "value");
    EXPECT_MESSAGE("\xEF\xBB\xBF{}", "unexpected UTF-8 byte order mark (EF BB BF) at the start "
                                     "of the JSON text; save the file as UTF-8 without a BOM");
    EXPECT_MESSAGE("[\xC3\xA9]", "expected a value (object, array, string, number, true, false "
                                 "or null), found U+00E9");
    EXPECT_MESSAGE("{\"a\":1,\"a\":2}", "duplicate object key \"a\" (first at line 1, column "
                                        "2); remove one or set allow_duplicate_keys");
}

TEST(json_error_numbers)
{
    EXPECT_ERROR("[01]", SL_EJSON_NUMBER, 2, 1, 3);
    EXPECT_ERROR("[-01]", SL_EJSON_NUMBER, 3, 1, 4);
    EXPECT_ERROR("[-]", SL_EJSON_NUMBER, 2, 1, 3);
    EXPECT_ERROR("[1.]", SL_EJSON_NUMBER, 3, 1, 4);
    EXPECT_ERROR("[.5]", SL_EJSON_NUMBER, 1, 1, 2);
    EXPECT_ERROR("[+1]", SL_EJSON_NUMBER, 1, 1, 2);
    EXPECT_ERROR("[1e]", SL_EJSON_NUMBER, 3, 1, 4);
    EXPECT_ERROR("[1e+]", SL_EJSON_NUMBER, 4, 1, 5);
    EXPECT_ERROR("[1.e5]", SL_EJSON_NUMBER, 3, 1, 4);
    EXPECT_ERROR("0x1F", SL_EJSON_NUMBER, 1, 1, 2);
    EXPECT_ERROR("1.5.3", SL_EJSON_NUMBER, 3, 1, 4);
    EXPECT_ERROR("1e5e", SL_EJSON_NUMBER, 3, 1, 4);
    EXPECT_ERROR("[NaN]", SL_EJSON_NUMBER, 1, 1, 2);
    EXPECT_ERROR("[Infinity]", SL_EJSON_NUMBER, 1, 1, 2);
    EXPECT_ERROR("[-Infinity]", SL_EJSON_NUMBER, 2, 1, 3);
    EXPECT_ERROR("[- 1]", SL_EJSON_NUMBER, 2, 1, 3);
    EXPECT_ERROR("1e400", SL_EJSON_NUMBER, 0, 1, 1);
    EXPECT_ERROR("[0, -1e400]", SL_EJSON_NUMBER, 4, 1, 5);
    EXPECT_ERROR("[1000000000000000000000000000000000000000000000000000000000000000000000000000"
                 "000000000000000000000000000000000000000000000000000000000000000000000000000000"
                 "000000000000000000000000000000000000000000000000000000000000000000000000000000"
                 "000000000000000000000000000000000000000000000000000000000000000000000000000000"
                 "0000000000]", SL_EJSON_NUMBER, 1, 1, 2);
}

TEST(json_error_escapes)
{
    EXPECT_ERROR("[\"\\ud800\"]", SL_EJSON_ESCAPE, 2, 1, 3);
    EXPECT_ERROR("[\"\\udc00\"]", SL_EJSON_ESCAPE, 2, 1, 3);
    EXPECT_ERROR("[\"\\ud800\\u0041\"]", SL_EJSON_ESCAPE, 2, 1, 3);
    EXPECT_ERROR("[\"\\ud800\\ud800\"]", SL_EJSON_ESCAPE, 2, 1, 3);
    EXPECT_ERROR("[\"\\ud800\\\"\"]", SL_EJSON_ESCAPE, 2, 1, 3);
    EXPECT_ERROR("[\"\\ud800x\"]", SL_EJSON_ESCAPE, 2, 1, 3);
    EXPECT_ERROR("[\"ab\\x\"]", SL_EJSON_ESCAPE, 4, 1, 5);
    EXPECT_ERROR("[\"\\u12G4\"]", SL_EJSON_ESCAPE, 6, 1, 7);
    EXPECT_ERROR("[\"\\ud800\\u12G4\"]", SL_EJSON_ESCAPE, 12, 1, 13);
    EXPECT_ERROR("[\"\\U0041\"]", SL_EJSON_ESCAPE, 2, 1, 3);
    EXPECT_ERROR("[\"\\'\"]", SL_EJSON_ESCAPE, 2, 1, 3);
    EXPECT_ERROR("[\"\\\xC3\xA9\"]", SL_EJSON_ESCAPE, 2, 1, 3);
}

TEST(json_error_control_characters)
{
    EXPECT_ERROR("[\"a\tb\"]", SL_EJSON_CONTROL, 3, 1, 4);
    EXPECT_ERROR("[\"a\nb\"]", SL_EJSON_CONTROL, 3, 1, 4);
    EXPECT_ERROR("\"\x01\"", SL_EJSON_CONTROL, 1, 1, 2);
    EXPECT_ERROR("\"\x1F\"", SL_EJSON_CONTROL, 1, 1, 2);
    EXPECT_ERROR("\"a\x00\"", SL_EJSON_CONTROL, 2, 1, 3);
}

TEST(json_error_utf8)
{
    EXPECT_ERROR("\"\xC0\xAF\"", SL_EJSON_UTF8, 1, 1, 2);          /* overlong '/' */
    EXPECT_ERROR("\"\xE0\x80\xAF\"", SL_EJSON_UTF8, 1, 1, 2);      /* overlong, 3 bytes */
    EXPECT_ERROR("\"\xF0\x80\x80\xAF\"", SL_EJSON_UTF8, 1, 1, 2);  /* overlong, 4 bytes */
    EXPECT_ERROR("\"\xED\xA0\x80\"", SL_EJSON_UTF8, 1, 1, 2);      /* U+D800 in UTF-8 */
    EXPECT_ERROR("\"\xED\xBF\xBF\"", SL_EJSON_UTF8, 1, 1, 2);      /* U+DFFF in UTF-8 */
    EXPECT_ERROR("\"\xF4\x90\x80\x80\"", SL_EJSON_UTF8, 1, 1, 2);  /* U+110000 */
    EXPECT_ERROR("\"\xF5\x80\x80\x80\"", SL_EJSON_UTF8, 1, 1, 2);
    EXPECT_ERROR("\"ab\xE2\x82\"", SL_EJSON_UTF8, 3, 1, 4);        /* truncated */
    EXPECT_ERROR("\"\xE2\x82", SL_EJSON_UTF8, 1, 1, 2);            /* truncated at the end */
    EXPECT_ERROR("\"\x80\"", SL_EJSON_UTF8, 1, 1, 2);              /* stray continuation */
    EXPECT_ERROR("\"\xFF\"", SL_EJSON_UTF8, 1, 1, 2);
    EXPECT_ERROR("\"\xC3\xA9\xC3\"", SL_EJSON_UTF8, 3, 1, 3);
    EXPECT_ERROR("[\xFF]", SL_EJSON_UTF8, 1, 1, 2);
    EXPECT_ERROR("{\"\xC3\xA9\":1, \"\xFE\":2}", SL_EJSON_UTF8, 10, 1, 10);
}

TEST(json_error_trailing)
{
    EXPECT_ERROR("1 2", SL_EJSON_TRAILING, 2, 1, 3);
    EXPECT_ERROR("{} x", SL_EJSON_TRAILING, 3, 1, 4);
    EXPECT_ERROR("[1]]", SL_EJSON_TRAILING, 3, 1, 4);
    EXPECT_ERROR("truex", SL_EJSON_TRAILING, 4, 1, 5);
    EXPECT_ERROR("nullnull", SL_EJSON_TRAILING, 4, 1, 5);
    EXPECT_ERROR("\"a\"\"b\"", SL_EJSON_TRAILING, 3, 1, 4);
    EXPECT_ERROR("[]\r\n\r\n,", SL_EJSON_TRAILING, 6, 3, 1);
    EXPECT_ERROR("1\x00", SL_EJSON_TRAILING, 1, 1, 2);
}

TEST(json_error_crlf_positions)
{
    EXPECT_ERROR("{\r\n  \"a\": 1,\r\n  \"a\": 2\r\n}", SL_EJSON_DUPLICATE, 16, 3, 3);
    EXPECT_ERROR("[\r\n  1,\r\n  2\r\n  3\r\n]", SL_EJSON_SYNTAX, 16, 4, 3);
    EXPECT_ERROR("[\r\n\"\xC3\xA9\xC3\xA9\", tru", SL_EJSON_EOF, 14, 2, 10);
    EXPECT_ERROR("[\r\n\"\xC3\xA9\xC3\xA9\", tru]", SL_EJSON_SYNTAX, 14, 2, 10);
}

/* --------------------------------------------------------------------------- depth --- */

TEST(json_depth_limit_default)
{
    char *ok = nested_arrays(512);
    char *deep = nested_arrays(513);
    sl_error err;
    sl_doc *doc;

    doc = sl_json_parse(ok, strlen(ok), NULL, &err);
    CHECK(doc != NULL);
    sl_doc_free(doc);

    doc = sl_json_parse(deep, strlen(deep), NULL, &err);
    CHECK(doc == NULL);
    CHECK_INT(err.code, SL_EJSON_DEPTH);
    CHECK_INT(err.offset, 512);
    CHECK_INT(err.line, 1);
    CHECK_INT(err.column, 513);
    free(ok);
    free(deep);
}

TEST(json_depth_limit_custom)
{
    sl_json_options opt;

    sl_json_options_init(&opt);
    CHECK_INT(opt.max_depth, 512);
    CHECK_INT(opt.max_bytes, 0);
    CHECK_INT(opt.allow_duplicate_keys, 0);
    CHECK(opt.alloc == NULL);

    opt.max_depth = 3;
    expect_error_at(__FILE__, __LINE__, "[[[1]]]", 7, &opt, SL_OK, 0, 0, 0);
    expect_error_at(__FILE__, __LINE__, "[[[[1]]]]", 9, &opt, SL_EJSON_DEPTH, 3, 1, 4);
    opt.max_depth = 2;
    expect_error_at(__FILE__, __LINE__, "{\"a\":{\"b\":{}}}", 14, &opt, SL_EJSON_DEPTH, 10, 1,
                    11);
    opt.max_depth = 1;
    expect_error_at(__FILE__, __LINE__, "[1, [2]]", 8, &opt, SL_EJSON_DEPTH, 4, 1, 5);
}

TEST(json_deep_nesting_is_iterative)
{
    /* 200000 levels would overflow a recursive parser's stack. The writer stops at 10000. */
    size_t n = 200000;
    char *deep = nested_arrays(n);
    sl_json_options opt;
    sl_error err;
    sl_doc *doc;
    sl_buf out;

    sl_json_options_init(&opt);
    opt.max_depth = (int)n;
    doc = sl_json_parse(deep, 2 * n, &opt, &err);
    REQUIRE(doc != NULL);
    sl_buf_init(&out, NULL);
    CHECK_INT(sl_json_write(sl_doc_root(doc), 0, &out, &err), SL_EJSON_DEPTH);
    CHECK_INT(err.code, SL_EJSON_DEPTH);
    CHECK_INT(out.len, 0);
    sl_buf_free(&out);
    sl_doc_free(doc);
    free(deep);
}

TEST(json_max_bytes_limit)
{
    sl_json_options opt;
    sl_error err;
    sl_doc *doc;

    sl_json_options_init(&opt);
    opt.max_bytes = 4;
    doc = sl_json_parse("[1,2]", 5, &opt, &err);
    CHECK(doc == NULL);
    CHECK_INT(err.code, SL_ELIMIT);
    opt.max_bytes = 5;
    doc = sl_json_parse("[1,2]", 5, &opt, &err);
    CHECK(doc != NULL);
    CHECK_INT(err.code, SL_OK);
    sl_doc_free(doc);
}

TEST(json_null_text)
{
    sl_error err;

    CHECK(sl_json_parse(NULL, 3, NULL, &err) == NULL);
    CHECK_INT(err.code, SL_EINVAL);
    CHECK(sl_json_parse(NULL, 0, NULL, &err) == NULL);
    CHECK_INT(err.code, SL_EJSON_EOF);
    CHECK_INT(err.offset, 0);
}

/* ------------------------------------------------------------------ duplicate keys --- */

TEST(json_duplicate_keys)
{
    sl_json_options opt;
    sl_doc *doc;

    EXPECT_ERROR("{\"a\":1,\"b\":2,\"a\":3}", SL_EJSON_DUPLICATE, 13, 1, 14);
    EXPECT_ERROR("{\"a\":1,\"\\u0061\":2}", SL_EJSON_DUPLICATE, 7, 1, 8);
    EXPECT_ERROR("{\"a\\u0000b\":1,\"a\\u0000b\":2}", SL_EJSON_DUPLICATE, 14, 1, 15);
    EXPECT_ERROR("{\"a\":{\"a\":1},\"b\":{\"a\":1,\"a\":2}}", SL_EJSON_DUPLICATE, 24, 1, 25);

    doc = parse_text("{\"a\\u0000b\":1,\"a\\u0000c\":2,\"a\":{\"a\":1}}");
    CHECK(doc != NULL);
    sl_doc_free(doc);

    sl_json_options_init(&opt);
    opt.allow_duplicate_keys = 1;
    doc = sl_json_parse("{\"a\":1,\"b\":2,\"a\":3}", 19, &opt, NULL);
    REQUIRE(doc != NULL);
    CHECK_INT(sl_value_count(sl_doc_root(doc)), 3);
    CHECK_INT(sl_value_int(sl_value_get(sl_doc_root(doc), "a")), 1);
    CHECK_INT(sl_value_int(sl_value_at(sl_doc_root(doc), 2)), 3);
    sl_doc_free(doc);
}

/* Builds {"k0":0,"k1":1,...} with `n` members, plus `extra` before the closing brace. */
static char *big_object(size_t n, const char *extra, size_t *len)
{
    sl_buf b;
    size_t i;

    sl_buf_init(&b, NULL);
    sl_buf_putc(&b, '{');
    for (i = 0; i < n; i++) {
        sl_buf_appendf(&b, "%s\"k%zu\":%zu", i > 0 ? "," : "", i, i);
    }
    sl_buf_append_str(&b, extra);
    sl_buf_putc(&b, '}');
    return sl_buf_detach(&b, len);
}

TEST(json_duplicate_keys_large_object)
{
    size_t len = 0;
    char *text = big_object(100000, "", &len);
    sl_error err;
    sl_doc *doc;

    REQUIRE(text != NULL);
    doc = sl_json_parse(text, len, NULL, &err);
    REQUIRE(doc != NULL);
    CHECK_INT(sl_value_count(sl_doc_root(doc)), 100000);
    CHECK_INT(sl_value_int(sl_value_get(sl_doc_root(doc), "k99999")), 99999);
    sl_doc_free(doc);
    sl_free(NULL, text, len + 1);

    text = big_object(100000, ",\"k77777\":0", &len);
    REQUIRE(text != NULL);
    doc = sl_json_parse(text, len, NULL, &err);
    CHECK(doc == NULL);
    CHECK_INT(err.code, SL_EJSON_DUPLICATE);
    CHECK_INT(err.offset, len - 11);
    CHECK(strstr(err.message, "\"k77777\"") != NULL);
    sl_free(NULL, text, len + 1);
}

/* -------------------------------------------------------------------------- writer --- */

TEST(json_write_compact)
{
    const char *text = "{ \"a\" : [1, 2.5, true, false, null, \"s\", -7], \"b\": {}, \"c\": [],"
                       " \"d\": {\"e\": [[]]} }";

    CHECK_STR(rewrite(text, strlen(text), 0),
              "{\"a\":[1,2.5,true,false,null,\"s\",-7],\"b\":{},\"c\":[],\"d\":{\"e\":[[]]}}");
    CHECK_STR(rewrite("[]", 2, 0), "[]");
    CHECK_STR(rewrite("{}", 2, SL_JSON_PRETTY), "{}");
    CHECK_STR(rewrite("\"x\"", 3, SL_JSON_PRETTY), "\"x\"");
    CHECK_STR(rewrite("-9223372036854775808", 20, 0), "-9223372036854775808");
}

TEST(json_write_pretty)
{
    const char *text = "{\"a\":[1,{\"b\":null}],\"c\":{},\"d\":[],\"e\":{\"f\":\"g\"}}";

    CHECK_STR(rewrite(text, strlen(text), SL_JSON_PRETTY),
              "{\n"
              "  \"a\": [\n"
              "    1,\n"
              "    {\n"
              "      \"b\": null\n"
              "    }\n"
              "  ],\n"
              "  \"c\": {},\n"
              "  \"d\": [],\n"
              "  \"e\": {\n"
              "    \"f\": \"g\"\n"
              "  }\n"
              "}");
}

TEST(json_write_escapes)
{
    const char *text = "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\\u2028\\u2029\xC3\xA9\"";

    CHECK_STR(rewrite(text, strlen(text), 0),
              "\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\\u2028\\u2029\xC3\xA9\"");
    CHECK_STR(rewrite("\"\\u0000\"", 8, 0), "\"\\u0000\"");
}

TEST(json_write_ascii)
{
    const char *text = "\"a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"";

    CHECK_STR(rewrite(text, strlen(text), SL_JSON_ASCII),
              "\"a\\u00e9\\u20ac\\ud83d\\ude00\"");
    CHECK_STR(rewrite(text, strlen(text), 0), text);
    CHECK_STR(rewrite("{\"\xC3\xA9\":[1]}", 10, SL_JSON_ASCII | SL_JSON_PRETTY),
              "{\n  \"\\u00e9\": [\n    1\n  ]\n}");
}

TEST(json_write_invalid_utf8_as_replacement)
{
    sl_doc *doc = sl_doc_new(NULL);
    sl_value *obj = sl_value_new_object(doc);
    size_t n = 0;
    char *s;

    CHECK_INT(sl_value_setn(doc, obj, "k\0\xFF", 3,
                            sl_value_new_strn(doc, "a\xFF" "b\xE2\x82\xED\xA0\x80", 8)),
              SL_OK);
    s = sl_json_to_string(obj, 0, NULL, &n, NULL);
    REQUIRE(s != NULL);
    CHECK_STR(s, "{\"k\\u0000\xEF\xBF\xBD\":\"a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD"
                 "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"}");
    sl_free(NULL, s, n + 1);

    s = sl_json_to_string(obj, SL_JSON_ASCII, NULL, &n, NULL);
    REQUIRE(s != NULL);
    CHECK_STR(s, "{\"k\\u0000\\ufffd\":\"a\\ufffdb\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"}");
    sl_free(NULL, s, n + 1);
    sl_doc_free(doc);
}

TEST(json_write_doubles)
{
    CHECK_STR(write_real(1.0), "1.0");
    CHECK_STR(write_real(100.0), "100.0");
    CHECK_STR(write_real(-2.0), "-2.0");
    CHECK_STR(write_real(0.1), "0.1");
    CHECK_STR(write_real(2.5), "2.5");
    CHECK_STR(write_real(-0.0), "-0.0");
    CHECK_STR(write_real(0.0), "0.0");
    CHECK_STR(write_real(1.0 / 3.0), "0.3333333333333333");
    CHECK_STR(write_real(0.1 + 0.2), "0.30000000000000004");
    CHECK_STR(write_real(1e300), "1e+300");
    CHECK_STR(write_real(1e-300), "1e-300");
    CHECK_STR(write_real(1e15), "1e+15");
    CHECK_STR(write_real(1e14), "100000000000000.0");
    CHECK_STR(write_real(1e16), "1e+16");
    CHECK_STR(write_real(123456.789), "123456.789");
    CHECK_STR(write_real(DBL_MAX), "1.7976931348623157e+308");
    /* 15 digits already read back as the smallest subnormal, so 17 are not needed. */
    CHECK_STR(write_real(4.9406564584124654e-324), "4.94065645841247e-324");
    CHECK_STR(write_real(9223372036854775808.0), "9.223372036854776e+18");
}

TEST(json_write_nan_and_infinity)
{
    sl_doc *doc = sl_doc_new(NULL);
    sl_value *arr = sl_value_new_array(doc);
    sl_error err;
    sl_buf out;

    CHECK_INT(sl_value_push(doc, arr, sl_value_new_int(doc, 1)), SL_OK);
    CHECK_INT(sl_value_push(doc, arr, sl_value_new_real(doc, NAN)), SL_OK);
    sl_buf_init(&out, NULL);
    CHECK_INT(sl_buf_append_str(&out, "prefix"), SL_OK);
    CHECK_INT(sl_json_write(arr, SL_JSON_PRETTY, &out, &err), SL_EJSON_TYPE);
    CHECK_INT(err.code, SL_EJSON_TYPE);
    CHECK_STR(err.message, "cannot write NaN as JSON: JSON has no NaN or infinity; store null "
                           "or a string instead");
    CHECK_STR(sl_buf_cstr(&out), "prefix");
    CHECK_INT(out.failed, 0);

    CHECK_INT(sl_json_write(sl_value_new_real(doc, INFINITY), 0, &out, &err), SL_EJSON_TYPE);
    CHECK_INT(sl_json_write(sl_value_new_real(doc, -INFINITY), 0, &out, &err), SL_EJSON_TYPE);
    CHECK(sl_json_to_string(arr, 0, NULL, NULL, &err) == NULL);
    CHECK_INT(err.code, SL_EJSON_TYPE);

    CHECK_INT(sl_json_write(sl_value_new_int(doc, 5), 0, &out, &err), SL_OK);
    CHECK_INT(err.code, SL_OK);
    CHECK_STR(sl_buf_cstr(&out), "prefix5");
    sl_buf_free(&out);
    sl_doc_free(doc);
}

TEST(json_write_depth_limit)
{
    sl_doc *doc = sl_doc_new(NULL);
    sl_value *root = sl_value_new_array(doc);
    sl_value *inner = root;
    sl_error err;
    size_t n = 0;
    char *s;
    int i;

    for (i = 1; i < 10000; i++) {
        sl_value *child = sl_value_new_array(doc);
        REQUIRE(sl_value_push(doc, inner, child) == SL_OK);
        inner = child;
    }
    REQUIRE(sl_value_push(doc, inner, sl_value_new_int(doc, 1)) == SL_OK);
    s = sl_json_to_string(root, 0, NULL, &n, &err);
    REQUIRE(s != NULL);
    CHECK_INT(n, 20001);
    CHECK_INT(s[10000], '1');
    sl_free(NULL, s, n + 1);
    sl_doc_free(doc);
}

TEST(json_write_depth_limit_plus_one)
{
    sl_doc *doc = sl_doc_new(NULL);
    sl_value *root = sl_value_new_array(doc);
    sl_value *inner = root;
    sl_error err;
    int i;

    for (i = 1; i < 10001; i++) {
        sl_value *child = sl_value_new_array(doc);
        REQUIRE(sl_value_push(doc, inner, child) == SL_OK);
        inner = child;
    }
    REQUIRE(sl_value_push(doc, inner, sl_value_new_int(doc, 1)) == SL_OK);
    CHECK(sl_json_to_string(root, 0, NULL, NULL, &err) == NULL);
    CHECK_INT(err.code, SL_EJSON_DEPTH);
    sl_doc_free(doc);
}

TEST(json_write_invalid_arguments)
{
    sl_doc *doc = sl_doc_new(NULL);
    sl_error err;
    sl_buf out;

    sl_buf_init(&out, NULL);
    CHECK_INT(sl_json_write(NULL, 0, &out, &err), SL_EINVAL);
    CHECK_INT(sl_json_write(sl_value_new_null(doc), 0, NULL, &err), SL_EINVAL);
    CHECK_INT(sl_json_write(sl_value_new_null(doc), 4, &out, &err), SL_EINVAL);
    CHECK_INT(sl_json_write(sl_value_new_null(doc), 0, &out, NULL), SL_OK);
    CHECK_STR(sl_buf_cstr(&out), "null");
    sl_buf_free(&out);
    sl_doc_free(doc);
}

TEST(json_write_buffer_limit)
{
    sl_doc *doc = parse_text("[1,2,3]");
    sl_error err;
    sl_buf out;

    REQUIRE(doc != NULL);
    sl_buf_init(&out, NULL);
    out.max = 5;
    CHECK_INT(sl_buf_append_str(&out, "ab"), SL_OK);
    CHECK_INT(sl_json_write(sl_doc_root(doc), 0, &out, &err), SL_ELIMIT);
    CHECK_INT(err.code, SL_ELIMIT);
    CHECK_STR(sl_buf_cstr(&out), "ab");
    CHECK_INT(out.failed, 0);
    out.max = 0;
    CHECK_INT(sl_json_write(sl_doc_root(doc), 0, &out, &err), SL_OK);
    CHECK_STR(sl_buf_cstr(&out), "ab[1,2,3]");
    sl_buf_free(&out);
    sl_doc_free(doc);
}

TEST(json_locale_independent)
{
    const char *locales[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8" };
    const char *found = NULL;
    sl_doc *doc;
    size_t i;

    for (i = 0; i < sizeof(locales) / sizeof(locales[0]) && found == NULL; i++) {
        found = setlocale(LC_NUMERIC, locales[i]);
    }
    if (found == NULL || strcmp(localeconv()->decimal_point, ",") != 0) {
        setlocale(LC_NUMERIC, "C");
        SKIP("no locale with a ',' decimal separator (de_DE.UTF-8, fr_FR.UTF-8) is installed");
    }

    doc = parse_text("[1.5, 2.25e1, 0.1]");
    CHECK(doc != NULL);
    CHECK(sl_value_real(sl_value_at(sl_doc_root(doc), 0)) == 1.5);
    CHECK(sl_value_real(sl_value_at(sl_doc_root(doc), 1)) == 22.5);
    CHECK_STR(rewrite("[1.5, 2.25e1, 0.1, 1e300]", 25, 0), "[1.5,22.5,0.1,1e+300]");
    CHECK_STR(write_real(1.0 / 3.0), "0.3333333333333333");
    sl_doc_free(doc);
    setlocale(LC_NUMERIC, "C");
}

/* ---------------------------------------------------------------------- round trip --- */

TEST(json_round_trips)
{
    static const char *const inputs[] = {
        "null", "true", "0", "-1", "1.5", "-0.0", "1e-400", "\"\"", "[]", "{}",
        "{\"a\":[1,2,{\"b\":[null,true,false]}],\"c\":\"\\u0000\\n\\u2028\"}",
        "[0.1,0.2,0.30000000000000004,1e300,-1e-300,5e-324,1.7976931348623157e308]",
        "[9223372036854775807,-9223372036854775808,9223372036854775808]",
        "[\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\x7F\",\"\\ud83d\\ude00\",\"\\\\\\\"\"]",
        "{\"\":{\"\":[[[[]]]]}}",
        "  [ 1 , 2 ]  ",
    };
    static const int flags[] = { 0, SL_JSON_PRETTY, SL_JSON_ASCII, SL_JSON_PRETTY | SL_JSON_ASCII };
    size_t i;
    size_t f;

    for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        sl_doc *a = parse_text(inputs[i]);

        REQUIRE(a != NULL);
        for (f = 0; f < sizeof(flags) / sizeof(flags[0]); f++) {
            size_t n = 0;
            char *s = sl_json_to_string(sl_doc_root(a), flags[f], NULL, &n, NULL);
            sl_doc *b;

            REQUIRE(s != NULL);
            b = sl_json_parse(s, n, NULL, NULL);
            if (b == NULL || !sl_value_equal(sl_doc_root(a), sl_doc_root(b))) {
                sl_test_fail(__FILE__, __LINE__, "round trip of %s with flags %d gave %s",
                             inputs[i], flags[f], s);
            }
            sl_doc_free(b);
            sl_free(NULL, s, n + 1);
        }
        sl_doc_free(a);
    }
}

/* ---------------------------------------------------------------- allocation failure --- */

/* Allocator that fails call number `fail_at` (counting alloc and realloc) and tracks the
 * bytes alive, so every failure path can be checked for SL_ENOMEM without a leak. */
typedef struct failing_allocator {
    long calls;
    long fail_at;
    size_t live;
} failing_allocator;

static void *failing_alloc(void *user, size_t size)
{
    failing_allocator *f = (failing_allocator *)user;
    void *p;

    if (++f->calls == f->fail_at) {
        return NULL;
    }
    p = malloc(size);
    if (p != NULL) {
        f->live += size;
    }
    return p;
}

static void *failing_realloc(void *user, void *ptr, size_t old_size, size_t new_size)
{
    failing_allocator *f = (failing_allocator *)user;
    void *p;

    if (++f->calls == f->fail_at) {
        return NULL;
    }
    p = realloc(ptr, new_size);
    if (p != NULL) {
        f->live = f->live - old_size + new_size;
    }
    return p;
}

static void failing_free(void *user, void *ptr, size_t size)
{
    failing_allocator *f = (failing_allocator *)user;

    f->live -= size;
    free(ptr);
}

/* Input that reaches every allocation of the reader: escapes, a hashed object, more than
 * 16 nested levels, a number longer than the conversion's stack buffer, many arena blocks. */
static char *allocation_test_input(size_t *len)
{
    sl_buf b;
    int i;

    sl_buf_init(&b, NULL);
    sl_buf_append_str(&b, "{\"s\":\"a\\n\\u00e9\\ud83d\\ude00\",\"deep\":");
    for (i = 0; i < 20; i++) {
        sl_buf_putc(&b, '[');
    }
    for (i = 0; i < 20; i++) {
        sl_buf_putc(&b, ']');
    }
    sl_buf_append_str(&b, ",\"n\":1.");
    for (i = 0; i < 300; i++) {
        sl_buf_putc(&b, '0');
    }
    sl_buf_putc(&b, '1');
    for (i = 0; i < 600; i++) {
        sl_buf_appendf(&b, ",\"key%d\":[\"value %d\",%d.5]", i, i, i);
    }
    sl_buf_putc(&b, '}');
    return sl_buf_detach(&b, len);
}

TEST(json_parse_allocation_failures)
{
    sl_allocator a = { failing_alloc, failing_realloc, failing_free, NULL };
    failing_allocator state;
    sl_json_options opt;
    size_t len = 0;
    char *text = allocation_test_input(&len);
    sl_doc *doc = NULL;
    long n;

    REQUIRE(text != NULL);
    a.user = &state;
    sl_json_options_init(&opt);
    opt.alloc = &a;
    for (n = 1; n < 100000 && doc == NULL; n++) {
        sl_error err;

        memset(&state, 0, sizeof(state));
        state.fail_at = n;
        doc = sl_json_parse(text, len, &opt, &err);
        if (doc == NULL && (err.code != SL_ENOMEM || state.live != 0)) {
            sl_test_fail(__FILE__, __LINE__, "failing allocation %ld: code %d, %zu bytes leaked",
                         n, err.code, state.live);
            break;
        }
    }
    REQUIRE(doc != NULL);
    CHECK(n > 10);
    CHECK_INT(sl_value_count(sl_doc_root(doc)), 603);
    CHECK(state.live > 0);
    sl_doc_free(doc);
    CHECK_INT(state.live, 0);
    sl_free(NULL, text, len + 1);
}

TEST(json_write_allocation_failures)
{
    sl_allocator a = { failing_alloc, failing_realloc, failing_free, NULL };
    failing_allocator state;
    size_t len = 0;
    char *text = allocation_test_input(&len);
    sl_doc *doc = sl_json_parse(text, len, NULL, NULL);
    char *s = NULL;
    size_t n_out = 0;
    long n;

    REQUIRE(doc != NULL);
    a.user = &state;
    for (n = 1; n < 100000 && s == NULL; n++) {
        sl_error err;

        memset(&state, 0, sizeof(state));
        state.fail_at = n;
        s = sl_json_to_string(sl_doc_root(doc), SL_JSON_PRETTY, &a, &n_out, &err);
        if (s == NULL && (err.code != SL_ENOMEM || state.live != 0)) {
            sl_test_fail(__FILE__, __LINE__, "failing allocation %ld: code %d, %zu bytes leaked",
                         n, err.code, state.live);
            break;
        }
    }
    REQUIRE(s != NULL);
    CHECK(n > 3);
    CHECK_INT(state.live, n_out + 1);
    sl_free(&a, s, n_out + 1);
    CHECK_INT(state.live, 0);
    sl_doc_free(doc);
    sl_free(NULL, text, len + 1);
}
