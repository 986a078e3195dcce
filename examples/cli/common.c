/* Error reporting, option parsing and input reading shared by every command. */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CLI_MESSAGE_MAX 1024

/* ---- Errors ------------------------------------------------------------------------- */

/* Prints the --json error object: {"ok": false, "status": N, "error": {...}}. */
static void cli_print_error_json(cli_context *ctx, int status, const char *message,
                                 const sl_error *err, const char *source)
{
    sl_doc *doc = sl_doc_new(NULL);
    sl_value *root;
    sl_value *error;

    if (doc == NULL) {
        return;
    }
    root = sl_value_new_object(doc);
    error = sl_value_new_object(doc);
    sl_value_set(doc, root, "ok", sl_value_new_bool(doc, 0));
    sl_value_set(doc, root, "status", sl_value_new_int(doc, status));
    sl_value_set(doc, error, "message", sl_value_new_str(doc, message));
    if (err != NULL && err->code != SL_OK) {
        sl_value_set(doc, error, "code", sl_value_new_int(doc, err->code));
        sl_value_set(doc, error, "code_text", sl_value_new_str(doc, sl_result_str(err->code)));
        if (err->line > 0) {
            if (source != NULL) {
                sl_value_set(doc, error, "file", sl_value_new_str(doc, source));
            }
            sl_value_set(doc, error, "line", sl_value_new_int(doc, err->line));
            sl_value_set(doc, error, "column", sl_value_new_int(doc, err->column));
            sl_value_set(doc, error, "offset", sl_value_new_int(doc, (int64_t)err->offset));
        }
        if (err->stage[0] != '\0') {
            sl_value_set(doc, error, "stage", sl_value_new_str(doc, err->stage));
        }
        if (err->sys_errno != 0) {
            sl_value_set(doc, error, "errno", sl_value_new_int(doc, err->sys_errno));
        }
    }
    sl_value_set(doc, root, "error", error);
    cli_print_json(ctx, root);
    sl_doc_free(doc);
}

int cli_fail(cli_context *ctx, int status, const char *fmt, ...)
{
    char message[CLI_MESSAGE_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    fprintf(stderr, "skilllite: error: %s\n", message);
    if (ctx != NULL && ctx->json) {
        cli_print_error_json(ctx, status, message, NULL, NULL);
    }
    return status;
}

/* Returns 1 when `message` already starts with "SOURCE:LINE:" for this error. */
static int cli_message_has_position(const char *message, const char *source, int line)
{
    char prefix[300];
    size_t n;

    if (source == NULL) {
        return 0;
    }
    snprintf(prefix, sizeof(prefix), "%s:%d:", source, line);
    n = strlen(prefix);
    return strncmp(message, prefix, n) == 0;
}

int cli_fail_error(cli_context *ctx, int status, const sl_error *err, const char *source,
                   const char *hint)
{
    char message[CLI_MESSAGE_MAX];
    size_t used = 0;

    message[0] = '\0';
    if (err->line > 0 && source != NULL &&
        !cli_message_has_position(err->message, source, err->line)) {
        snprintf(message, sizeof(message), "%s:%d:%d: ", source, err->line, err->column);
        used = strlen(message);
    }
    snprintf(message + used, sizeof(message) - used, "%s",
             err->message[0] != '\0' ? err->message : sl_result_str(err->code));
    if (hint != NULL && hint[0] != '\0') {
        used = strlen(message);
        snprintf(message + used, sizeof(message) - used, "; %s", hint);
    }
    fprintf(stderr, "skilllite: error: %s\n", message);
    if (ctx != NULL && ctx->json) {
        cli_print_error_json(ctx, status, message, err, source);
    }
    return status;
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;

    fputs("skilllite: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_error_note(const char *fmt, ...)
{
    va_list ap;

    fputs("skilllite: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* The SL_ESANDBOX_* codes that mean one isolation layer is missing, with that layer. */
static const struct {
    int code;
    unsigned layer;
} cli_layer_codes[] = {
    {SL_ESANDBOX_USERNS, SL_LAYER_USERNS},
    {SL_ESANDBOX_IDMAP, SL_LAYER_USERNS},
    {SL_ESANDBOX_MOUNTNS, SL_LAYER_MOUNTNS},
    {SL_ESANDBOX_PIDNS, SL_LAYER_PIDNS},
    {SL_ESANDBOX_NETNS, SL_LAYER_NETNS},
    {SL_ESANDBOX_IPCNS, SL_LAYER_IPCNS},
    {SL_ESANDBOX_UTSNS, SL_LAYER_UTSNS},
    {SL_ESANDBOX_SECCOMP, SL_LAYER_SECCOMP},
    {SL_ESANDBOX_LANDLOCK, SL_LAYER_LANDLOCK},
    {SL_ESANDBOX_CGROUP, SL_LAYER_CGROUP},
    {SL_ESANDBOX_RLIMIT, SL_LAYER_RLIMITS},
};

unsigned cli_layer_for_result(int code)
{
    size_t i;

    for (i = 0; i < sizeof(cli_layer_codes) / sizeof(cli_layer_codes[0]); i++) {
        if (cli_layer_codes[i].code == code) {
            return cli_layer_codes[i].layer;
        }
    }
    return 0;
}

void cli_layer_hint(unsigned layer, char *hint, size_t size)
{
    if (layer == 0) {
        snprintf(hint, size, "%s", "");
    } else if ((layer & CLI_WAIVABLE_LAYERS) != 0) {
        snprintf(hint, size, "'skilllite status' shows why; add --waive %s to run without "
                 "this layer, or --level 1 to run without isolation",
                 sl_sandbox_layer_name(layer));
    } else {
        snprintf(hint, size, "'skilllite status' shows why; level 2 cannot run without %s, "
                 "so fix it or use --level 1 to run without isolation",
                 sl_sandbox_layer_name(layer));
    }
}

int cli_status_for_result(int code)
{
    if (code == SL_OK) {
        return CLI_EXIT_OK;
    }
    if (code == SL_EINVAL || code == SL_ESANDBOX_POLICY) {
        return CLI_EXIT_USAGE;
    }
    if (code <= SL_EJSON_SYNTAX && code > SL_EYAML_SYNTAX) {
        return CLI_EXIT_USAGE;
    }
    if (code <= SL_ESKILL_NO_FRONTMATTER && code > SL_ESCAN) {
        return CLI_EXIT_INVALID_SKILL;
    }
    if (code <= SL_EYAML_SYNTAX && code > SL_ESKILL_NO_FRONTMATTER) {
        return CLI_EXIT_INVALID_SKILL;
    }
    if (code <= SL_ESANDBOX_SPAWN && code > SL_ESANDBOX_SPAWN - 100) {
        return CLI_EXIT_SANDBOX;
    }
    if (code == SL_ETIMEOUT) {
        return CLI_EXIT_LIMIT;
    }
    if (code == SL_EDENIED || code == SL_ESCAN_BLOCKED) {
        return CLI_EXIT_DENIED;
    }
    return CLI_EXIT_FAILED;
}

/* ---- Option parser ------------------------------------------------------------------ */

void cli_parser_init(cli_parser *p, int argc, char **argv, int first)
{
    memset(p, 0, sizeof(*p));
    p->argc = argc;
    p->argv = argv;
    p->index = first;
}

int cli_next(cli_parser *p)
{
    const char *eq;
    size_t n;

    p->inline_value = NULL;
    p->name[0] = '\0';
    if (p->index >= p->argc) {
        p->arg = NULL;
        return CLI_ARG_END;
    }
    p->arg = p->argv[p->index++];
    if (!p->options_done && strcmp(p->arg, "--") == 0) {
        p->options_done = 1;
        return cli_next(p);
    }
    if (p->options_done || p->arg[0] != '-' || p->arg[1] == '\0') {
        return CLI_ARG_POSITIONAL;
    }

    /* A name longer than the buffer cannot be a known option; keep a cut copy so the
     * "unknown option" message still shows what was given. */
    eq = p->arg[1] == '-' ? strchr(p->arg, '=') : NULL;
    n = eq != NULL ? (size_t)(eq - p->arg) : strlen(p->arg);
    if (n >= sizeof(p->name)) {
        n = sizeof(p->name) - 1;
    }
    memcpy(p->name, p->arg, n);
    p->name[n] = '\0';
    p->inline_value = eq != NULL ? eq + 1 : NULL;
    return CLI_ARG_OPTION;
}

int cli_is(const cli_parser *p, const char *long_name, const char *short_name)
{
    if (long_name != NULL && strcmp(p->name, long_name) == 0) {
        return 1;
    }
    return short_name != NULL && strcmp(p->name, short_name) == 0;
}

int cli_value(cli_context *ctx, cli_parser *p, const char **value)
{
    if (p->inline_value != NULL) {
        *value = p->inline_value;
        return 0;
    }
    if (p->index >= p->argc) {
        return cli_fail(ctx, CLI_EXIT_USAGE, "option %s needs a value; see 'skilllite %s --help'",
                        p->name, ctx->command);
    }
    *value = p->argv[p->index++];
    return 0;
}

int cli_no_value(cli_context *ctx, const cli_parser *p)
{
    if (p->inline_value == NULL) {
        return 0;
    }
    return cli_fail(ctx, CLI_EXIT_USAGE, "option %s takes no value, got '%s'; write just %s",
                    p->name, p->inline_value, p->name);
}

int cli_unknown_option(cli_context *ctx, const cli_parser *p)
{
    return cli_fail(ctx, CLI_EXIT_USAGE, "unknown option '%s' for '%s'; see 'skilllite %s --help'",
                    p->arg, ctx->command, ctx->command);
}

int cli_common_option(cli_context *ctx, cli_parser *p, int *help)
{
    int status;

    if (cli_is(p, "--json", NULL)) {
        status = cli_no_value(ctx, p);
        if (status != 0) {
            return -status;
        }
        ctx->json = 1;
        return 1;
    }
    if (cli_is(p, "--help", "-h")) {
        *help = 1;
        return 1;
    }
    return 0;
}

int cli_parse_size(const char *text, int allow_suffix, uint64_t max, uint64_t *out)
{
    uint64_t value = 0;
    uint64_t scale = 1;
    const char *s = text;

    if (*s < '0' || *s > '9') {
        return -1;
    }
    while (*s >= '0' && *s <= '9') {
        unsigned digit = (unsigned)(*s - '0');

        if (value > (UINT64_MAX - digit) / 10) {
            return -1;
        }
        value = value * 10 + digit;
        s++;
    }
    if (allow_suffix && *s != '\0') {
        switch (*s) {
        case 'k':
        case 'K':
            scale = 1024u;
            break;
        case 'm':
        case 'M':
            scale = 1024u * 1024u;
            break;
        case 'g':
        case 'G':
            scale = 1024u * 1024u * 1024u;
            break;
        default:
            return -1;
        }
        s++;
    }
    if (*s != '\0') {
        return -1;
    }
    if (value > max / scale) {
        return -1;
    }
    *out = value * scale;
    return 0;
}

/* ---- Input -------------------------------------------------------------------------- */

/* Reads all of stdin into `in`, up to CLI_INPUT_MAX bytes. */
static int cli_read_stdin(cli_context *ctx, cli_input *in)
{
    sl_buf buf;
    char chunk[65536];

    sl_buf_init(&buf, NULL);
    buf.max = CLI_INPUT_MAX;
    for (;;) {
        ssize_t n = read(STDIN_FILENO, chunk, sizeof(chunk));

        if (n == 0) {
            break;
        }
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            sl_buf_free(&buf);
            return cli_fail(ctx, CLI_EXIT_USAGE, "cannot read the input from stdin: %s",
                            strerror(errno));
        }
        if (sl_buf_append(&buf, chunk, (size_t)n) != SL_OK) {
            sl_buf_free(&buf);
            return cli_fail(ctx, CLI_EXIT_USAGE,
                            "the input on stdin is larger than %u bytes; pass a smaller input",
                            CLI_INPUT_MAX);
        }
    }
    sl_buf_cstr(&buf);
    in->data = buf.data;
    in->len = buf.len;
    if (in->data == NULL) {
        in->data = (char *)calloc(1, 1);
        if (in->data == NULL) {
            return cli_fail(ctx, CLI_EXIT_FAILED, "out of memory");
        }
    }
    return 0;
}

/* Copies `len` bytes of `text` into `in`. */
static int cli_input_copy(cli_context *ctx, cli_input *in, const char *text, size_t len)
{
    in->data = (char *)malloc(len + 1);
    if (in->data == NULL) {
        return cli_fail(ctx, CLI_EXIT_FAILED, "out of memory");
    }
    memcpy(in->data, text, len);
    in->data[len] = '\0';
    in->len = len;
    return 0;
}

int cli_input_read(cli_context *ctx, const char *spec, const char *fallback, cli_input *in)
{
    memset(in, 0, sizeof(*in));
    if (spec == NULL && isatty(STDIN_FILENO)) {
        snprintf(in->source, sizeof(in->source), "default input");
        return cli_input_copy(ctx, in, fallback, strlen(fallback));
    }
    if (spec == NULL || strcmp(spec, "-") == 0) {
        int status;

        snprintf(in->source, sizeof(in->source), "<stdin>");
        status = cli_read_stdin(ctx, in);
        /* Scripts and CI jobs often run with stdin on /dev/null; without an explicit "-"
         * that means "no input" rather than an empty document. */
        if (status == 0 && spec == NULL && in->len == 0) {
            cli_input_free(in);
            snprintf(in->source, sizeof(in->source), "default input");
            return cli_input_copy(ctx, in, fallback, strlen(fallback));
        }
        return status;
    }
    if (spec[0] == '@') {
        sl_error err;
        char *data;
        size_t len;
        int rc;

        snprintf(in->source, sizeof(in->source), "%s", spec + 1);
        rc = sl_file_read(spec + 1, CLI_INPUT_MAX, NULL, &data, &len, &err);
        if (rc != SL_OK) {
            return cli_fail(ctx, CLI_EXIT_USAGE, "cannot read the input file: %s", err.message);
        }
        rc = cli_input_copy(ctx, in, data, len);
        sl_free(NULL, data, len + 1);
        return rc;
    }
    if (strlen(spec) > CLI_INPUT_MAX) {
        return cli_fail(ctx, CLI_EXIT_USAGE,
                        "the input argument is larger than %u bytes; pass it as @FILE",
                        CLI_INPUT_MAX);
    }
    snprintf(in->source, sizeof(in->source), "argument");
    return cli_input_copy(ctx, in, spec, strlen(spec));
}

void cli_input_free(cli_input *in)
{
    free(in->data);
    in->data = NULL;
    in->len = 0;
}

int cli_input_parse_json(cli_context *ctx, const cli_input *in, sl_doc **doc)
{
    sl_error err;
    sl_doc *parsed;

    if (doc != NULL) {
        *doc = NULL;
    }
    parsed = sl_json_parse(in->data, in->len, NULL, &err);
    if (parsed == NULL) {
        char hint[300];

        snprintf(hint, sizeof(hint), "the input must be JSON, for example '{\"key\": \"value\"}'");
        return cli_fail_error(ctx, CLI_EXIT_USAGE, &err, in->source, hint);
    }
    if (doc != NULL) {
        *doc = parsed;
    } else {
        sl_doc_free(parsed);
    }
    return 0;
}

/* ---- Output ------------------------------------------------------------------------- */

int cli_print_json(cli_context *ctx, const sl_value *v)
{
    sl_buf out;
    sl_error err;

    (void)ctx;
    sl_buf_init(&out, NULL);
    if (sl_json_write(v, 0, &out, &err) != SL_OK) {
        sl_buf_free(&out);
        fprintf(stderr, "skilllite: error: cannot write the JSON output: %s\n", err.message);
        return CLI_EXIT_FAILED;
    }
    if (sl_buf_putc(&out, '\n') != SL_OK) {
        sl_buf_free(&out);
        fprintf(stderr, "skilllite: error: out of memory writing the JSON output\n");
        return CLI_EXIT_FAILED;
    }
    fwrite(out.data, 1, out.len, stdout);
    fflush(stdout);
    sl_buf_free(&out);
    return 0;
}

int cli_layers_to_json(sl_doc *doc, sl_value *array, unsigned layers)
{
    unsigned i;

    for (i = 0; i < SL_LAYER_COUNT; i++) {
        unsigned bit = 1u << i;

        if ((layers & bit) != 0 &&
            sl_value_push(doc, array, sl_value_new_str(doc, sl_sandbox_layer_name(bit))) != SL_OK) {
            return SL_ENOMEM;
        }
    }
    return SL_OK;
}

void cli_write_text(FILE *stream, const char *data, size_t len)
{
    if (len == 0) {
        return;
    }
    fwrite(data, 1, len, stream);
    if (data[len - 1] != '\n') {
        fputc('\n', stream);
    }
    fflush(stream);
}

int cli_print_help(const char *text)
{
    /* NOTE: the format is one of the constant help texts, never user input. */
    printf(text, cli_policy_help);
    return CLI_EXIT_OK;
}

int cli_path_has_dotdot(const char *path)
{
    const char *s = path;

    for (;;) {
        const char *slash = strchr(s, '/');
        size_t len = slash != NULL ? (size_t)(slash - s) : strlen(s);

        if (len == 2 && s[0] == '.' && s[1] == '.') {
            return 1;
        }
        if (slash == NULL) {
            return 0;
        }
        s = slash + 1;
    }
}

void cli_skill_dir_message(const char *dir, char *out, size_t size)
{
    struct stat st;
    const char *slash;

    if (stat(dir, &st) != 0) {
        snprintf(out, size, "skill folder '%s' not found; give the path of a folder that "
                 "contains a SKILL.md", dir);
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(out, size, "'%s' is not a folder; give the path of a folder that contains "
                 "a SKILL.md", dir);
        return;
    }
    slash = strrchr(dir, '/');
    while (slash != NULL && slash > dir && slash[-1] == '/') {
        slash--;
    }
    if (slash == NULL) {
        snprintf(out, size, "'%s' is a file, not a skill folder; give the folder that "
                 "contains it: '.'", dir);
        return;
    }
    snprintf(out, size, "'%s' is a file, not a skill folder; give the folder that contains "
             "it: '%.*s'", dir, slash == dir ? 1 : (int)(slash - dir), dir);
}

int cli_fail_skill_dir(cli_context *ctx, const char *dir)
{
    char message[CLI_MESSAGE_MAX];

    cli_skill_dir_message(dir, message, sizeof(message));
    return cli_fail(ctx, CLI_EXIT_USAGE, "%s", message);
}
