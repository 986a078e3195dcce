#include "skilllite.h"
#include "test.h"

TEST(version_matches_header)
{
    CHECK_STR(sl_version_string(), SKILLLITE_VERSION_STRING);
    CHECK_INT(SKILLLITE_VERSION_NUMBER, 0x000100);
}

TEST(result_str_known_and_unknown)
{
    CHECK_STR(sl_result_str(SL_OK), "success");
    CHECK_STR(sl_result_str(SL_ESANDBOX_LANDLOCK), "Landlock unavailable");
    CHECK_STR(sl_result_str(12345), "unknown error");
}

TEST(locate_counts_code_points_and_crlf)
{
    const char *text = "ab\r\n\xe4\xbd\xa0\xe5\xa5\xbd: x\rz";
    int line = 0;
    int column = 0;

    sl_locate(text, strlen(text), 0, &line, &column);
    CHECK_INT(line, 1);
    CHECK_INT(column, 1);
    sl_locate(text, strlen(text), 10, &line, &column); /* the ':' after two CJK characters */
    CHECK_INT(line, 2);
    CHECK_INT(column, 3);
    sl_locate(text, strlen(text), strlen(text) - 1, &line, &column); /* after a lone CR */
    CHECK_INT(line, 3);
    CHECK_INT(column, 1);
    sl_locate(text, strlen(text), 9999, &line, &column); /* clamped to the end */
    CHECK_INT(line, 3);
    CHECK_INT(column, 2);
}

TEST(buf_appends_and_detaches)
{
    sl_buf b;
    char *s;
    size_t len = 0;
    int i;

    sl_buf_init(&b, NULL);
    CHECK_STR(sl_buf_cstr(&b), "");
    for (i = 0; i < 1000; i++) {
        CHECK_INT(sl_buf_appendf(&b, "%d,", i % 10), SL_OK);
    }
    CHECK_INT(b.len, 2000);
    CHECK_INT(sl_buf_putc(&b, 'x'), SL_OK);
    s = sl_buf_detach(&b, &len);
    REQUIRE(s != NULL);
    CHECK_INT(len, 2001);
    CHECK_INT(s[2000], 'x');
    CHECK_INT(s[2001], 0);
    CHECK(b.data == NULL);
    sl_free(NULL, s, len + 1);
}

TEST(buf_max_is_sticky)
{
    sl_buf b;

    sl_buf_init(&b, NULL);
    b.max = 4;
    CHECK_INT(sl_buf_append_str(&b, "abc"), SL_OK);
    CHECK_INT(sl_buf_append_str(&b, "de"), SL_ELIMIT);
    CHECK_INT(b.failed, 1);
    CHECK_STR(sl_buf_cstr(&b), "abc");
    CHECK_INT(sl_buf_append_str(&b, "x"), SL_ENOMEM);
    sl_buf_free(&b);
}

TEST(sha256_known_vectors)
{
    char hex[65];
    char million[1001];
    sl_sha256 ctx;
    unsigned char digest[32];
    int i;

    sl_sha256_hex("", 0, hex);
    CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sl_sha256_hex("abc", 3, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sl_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
    CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");

    /* One million 'a' fed in uneven pieces. */
    memset(million, 'a', sizeof(million));
    sl_sha256_init(&ctx);
    for (i = 0; i < 1000; i++) {
        sl_sha256_update(&ctx, million, (size_t)(i % 2 ? 999 : 1001));
    }
    sl_sha256_final(&ctx, digest);
    CHECK_INT(digest[0], 0xcd);
    CHECK_INT(digest[1], 0xc7);
    CHECK_INT(digest[31], 0xd0);
}

TEST(file_read_missing_and_limit)
{
    char *data = NULL;
    size_t len = 0;
    sl_error err;

    CHECK_INT(sl_file_read("/nonexistent/skilllite", 0, NULL, &data, &len, &err), SL_ENOTFOUND);
    CHECK_INT(err.code, SL_ENOTFOUND);
    CHECK_STR(err.stage, "open");
    CHECK(data == NULL);
    CHECK_INT(sl_file_read("Makefile", 10, NULL, &data, &len, &err), SL_ELIMIT);
    CHECK(strstr(err.message, "over the limit of 10 bytes") != NULL);
    CHECK(data == NULL);
    CHECK_INT(sl_file_read("Makefile", 0, NULL, &data, &len, &err), SL_OK);
    CHECK(len > 100);
    CHECK(data != NULL && data[len] == '\0');
    sl_free(NULL, data, len + 1);
}
