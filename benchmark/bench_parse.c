/* bench_parse: throughput of skill discovery, the JSON and YAML readers, the JSON writer and
 * (when built with BENCH_WITH_SCAN) the static scanner.
 *
 * Usage: bench_parse [RESULTS_DIR [PYTHON_STDLIB_DIR]]
 *
 * Build (make bench does this; each -D switch adds a comparison column or row):
 *     cc -std=c11 -O2 -I. [-DBENCH_WITH_CJSON ... -lcjson] [-DBENCH_WITH_LIBYAML ... -lyaml]
 *        -o build/bench_parse benchmark/bench_parse.c
 *
 * Inputs are made at run time, so nothing large is committed:
 *   - benchmark/results/skills1000/: 1,000 skill folders from one template (SKILL.md with a
 *     typical frontmatter, scripts/main.py);
 *   - a 4 MiB JSON document of records with strings, escapes, numbers, nested objects;
 *   - the 1,000 frontmatters of the generated skills, and one 256 KiB YAML mapping.
 * Each figure is the median of 5 samples; a sample repeats the operation until at least
 * 0.2 s have passed. Output: a table on stdout and JSON in benchmark/results/parse.json.
 */
#define _GNU_SOURCE
#define SKILLLITE_IMPLEMENTATION
#include "skilllite.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#ifdef BENCH_WITH_CJSON
#include <cjson/cJSON.h>
#endif
#ifdef BENCH_WITH_LIBYAML
#include <yaml.h>
#endif

#define SAMPLES 5
#define SAMPLE_MIN_NS 200000000ull
#define SKILL_COUNT 1000

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* One benchmarked operation: returns 0 on success. */
typedef int (*op_fn)(void *ctx);

/* Returns the median seconds per call of `fn`, or -1 when it failed. */
static double measure(op_fn fn, void *ctx)
{
    double per_call[SAMPLES];
    int s;
    if (fn(ctx) != 0) {
        return -1.0;
    }
    for (s = 0; s < SAMPLES; s++) {
        uint64_t start = now_ns(), elapsed;
        long calls = 0;
        do {
            if (fn(ctx) != 0) {
                return -1.0;
            }
            calls++;
            elapsed = now_ns() - start;
        } while (elapsed < SAMPLE_MIN_NS);
        per_call[s] = (double)elapsed / 1e9 / (double)calls;
    }
    qsort(per_call, SAMPLES, sizeof(double), cmp_double);
    return per_call[SAMPLES / 2];
}

/* ---------------------------------------------------------------------- inputs --- */

static void buf_add(sl_buf *b, const char *s)
{
    sl_buf_append_str(b, s);
}

/* A JSON array of records, about `target` bytes long. */
static char *make_json(size_t target, size_t *len)
{
    sl_buf b;
    long i;
    sl_buf_init(&b, NULL);
    buf_add(&b, "[");
    for (i = 0; b.len < target; i++) {
        sl_buf_appendf(&b,
                       "%s{\"id\":%ld,\"name\":\"skill-%04ld\",\"description\":\"Converts "
                       "units \\\"fast\\\" \\u00e9t\\u00e9 \xc3\xa9 \\n line %ld\",\"score\":"
                       "%ld.%03ld,\"ratio\":-1.5e-3,\"enabled\":%s,\"tags\":[\"a\",\"units\","
                       "\"conversion\",%ld],\"meta\":{\"author\":\"bench\",\"parent\":null,"
                       "\"depth\":{\"x\":[1,2,3]}}}",
                       i ? "," : "", i, i % 10000, i, i % 97, i % 1000,
                       (i & 1) ? "true" : "false", i * 7);
    }
    buf_add(&b, "]");
    return sl_buf_detach(&b, len);
}

static void frontmatter(sl_buf *b, int i)
{
    sl_buf_appendf(b,
                   "name: skill-%04d\n"
                   "description: >\n"
                   "  Converts units between metric and imperial systems (variant %d). Use it\n"
                   "  when the user asks about lengths, weights or temperatures in another\n"
                   "  unit, or needs a table of conversions.\n"
                   "license: MIT\n"
                   "compatibility: Requires python3 and no network access\n"
                   "metadata:\n"
                   "  author: \"benchmark\"\n"
                   "  version: \"1.0.%d\"\n"
                   "  tags: 'units, conversion'\n"
                   "allowed-tools:\n"
                   "  - Bash(python3:*)\n"
                   "  - Read\n"
                   "inputs: [meters, feet, {unit: kg, max: %d}]\n",
                   i, i, i, i * 3);
}

static int write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return -1;
    }
    if (fwrite(text, 1, len, f) != len) {
        fclose(f);
        return -1;
    }
    return fclose(f);
}

/* Writes `count` skill folders under `root`. Returns 0 or -1 with a message printed. */
static int make_skills(const char *root, int count)
{
    char path[4096];
    sl_buf b;
    int i;
    static const char script[] =
        "import json, sys\n\n"
        "data = json.load(sys.stdin)\n"
        "print(json.dumps({\"result\": data.get(\"value\", 0) * 2}))\n";

    mkdir(root, 0755);
    sl_buf_init(&b, NULL);
    for (i = 0; i < count; i++) {
        snprintf(path, sizeof(path), "%s/skill-%04d", root, i);
        mkdir(path, 0755);
        snprintf(path, sizeof(path), "%s/skill-%04d/scripts", root, i);
        mkdir(path, 0755);
        sl_buf_reset(&b);
        buf_add(&b, "---\n");
        frontmatter(&b, i);
        buf_add(&b, "---\n\n# Unit converter\n\nRun `scripts/main.py` with a JSON object on "
                    "stdin.\n\n## Examples\n\n- 3 feet in meters\n- 70 kg in pounds\n");
        snprintf(path, sizeof(path), "%s/skill-%04d/SKILL.md", root, i);
        if (b.failed || write_file(path, b.data, b.len) != 0) {
            fprintf(stderr, "bench_parse: failed to write %s: %s\n", path, strerror(errno));
            sl_buf_free(&b);
            return -1;
        }
        snprintf(path, sizeof(path), "%s/skill-%04d/scripts/main.py", root, i);
        if (write_file(path, script, sizeof(script) - 1) != 0) {
            fprintf(stderr, "bench_parse: failed to write %s: %s\n", path, strerror(errno));
            sl_buf_free(&b);
            return -1;
        }
    }
    sl_buf_free(&b);
    return 0;
}

/* --------------------------------------------------------------------- the ops --- */

typedef struct text_ctx {
    const char *text;
    size_t len;
    sl_doc *doc;               /* parsed once, for the writers */
    sl_buf out;
#ifdef BENCH_WITH_CJSON
    cJSON *cjson;
#endif
} text_ctx;

static int op_json_parse(void *p)
{
    text_ctx *c = p;
    sl_error err;
    sl_doc *doc = sl_json_parse(c->text, c->len, NULL, &err);
    if (doc == NULL) {
        fprintf(stderr, "bench_parse: sl_json_parse: %s\n", err.message);
        return -1;
    }
    sl_doc_free(doc);
    return 0;
}

static int op_json_write(void *p)
{
    text_ctx *c = p;
    sl_buf_reset(&c->out);
    return sl_json_write(sl_doc_root(c->doc), 0, &c->out, NULL) == SL_OK ? 0 : -1;
}

static int op_yaml_parse(void *p)
{
    text_ctx *c = p;
    sl_yaml_options yo;
    sl_error err;
    sl_doc *doc;
    sl_yaml_options_init(&yo);
    yo.max_bytes = 0;
    doc = sl_yaml_parse(c->text, c->len, &yo, &err);
    if (doc == NULL) {
        fprintf(stderr, "bench_parse: sl_yaml_parse: %s (line %d)\n", err.message, err.line);
        return -1;
    }
    sl_doc_free(doc);
    return 0;
}

#ifdef BENCH_WITH_CJSON
static int op_cjson_parse(void *p)
{
    text_ctx *c = p;
    cJSON *root = cJSON_ParseWithLength(c->text, c->len);
    if (root == NULL) {
        return -1;
    }
    cJSON_Delete(root);
    return 0;
}

static int op_cjson_write(void *p)
{
    text_ctx *c = p;
    char *s = cJSON_PrintUnformatted(c->cjson);
    if (s == NULL) {
        return -1;
    }
    free(s);
    return 0;
}
#endif

#ifdef BENCH_WITH_LIBYAML
static int op_libyaml_parse(void *p)
{
    text_ctx *c = p;
    yaml_parser_t parser;
    yaml_document_t document;
    int ok;
    if (!yaml_parser_initialize(&parser)) {
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)c->text, c->len);
    ok = yaml_parser_load(&parser, &document);
    if (ok) {
        ok = yaml_document_get_root_node(&document) != NULL;
        yaml_document_delete(&document);
    }
    yaml_parser_delete(&parser);
    return ok ? 0 : -1;
}
#endif

/* Many small texts parsed one after another (the frontmatters). */
typedef struct many_ctx {
    char **texts;
    size_t *lens;
    int count;
    size_t total;
} many_ctx;

static int op_yaml_many(void *p)
{
    many_ctx *m = p;
    int i;
    for (i = 0; i < m->count; i++) {
        text_ctx c;
        memset(&c, 0, sizeof(c));
        c.text = m->texts[i];
        c.len = m->lens[i];
        if (op_yaml_parse(&c) != 0) {
            return -1;
        }
    }
    return 0;
}

#ifdef BENCH_WITH_LIBYAML
static int op_libyaml_many(void *p)
{
    many_ctx *m = p;
    int i;
    for (i = 0; i < m->count; i++) {
        text_ctx c;
        memset(&c, 0, sizeof(c));
        c.text = m->texts[i];
        c.len = m->lens[i];
        if (op_libyaml_parse(&c) != 0) {
            return -1;
        }
    }
    return 0;
}
#endif

typedef struct skills_ctx {
    const char *root;
    size_t found;
    size_t bytes;
} skills_ctx;

static int op_discover(void *p)
{
    skills_ctx *c = p;
    sl_skill_dir_list *list = NULL;
    sl_error err;
    if (sl_skill_discover(c->root, NULL, &list, &err) != SL_OK) {
        fprintf(stderr, "bench_parse: sl_skill_discover: %s\n", err.message);
        return -1;
    }
    c->found = sl_skill_dir_list_count(list);
    sl_skill_dir_list_free(list);
    return 0;
}

static int op_discover_load(void *p)
{
    skills_ctx *c = p;
    sl_skill_dir_list *list = NULL;
    sl_error err;
    size_t i, n;
    if (sl_skill_discover(c->root, NULL, &list, &err) != SL_OK) {
        return -1;
    }
    n = sl_skill_dir_list_count(list);
    for (i = 0; i < n; i++) {
        sl_skill *skill = NULL;
        if (sl_skill_load(sl_skill_dir_list_at(list, i), NULL, &skill, &err) != SL_OK) {
            fprintf(stderr, "bench_parse: sl_skill_load %s: %s\n",
                    sl_skill_dir_list_at(list, i), err.message);
            sl_skill_dir_list_free(list);
            return -1;
        }
        sl_skill_free(skill);
    }
    c->found = n;
    sl_skill_dir_list_free(list);
    return 0;
}

/* --------------------------------------------------------------------- report --- */

typedef struct row {
    const char *what;
    const char *impl;
    double seconds;            /* per call; < 0 when it failed */
    double bytes;              /* input bytes per call, 0 when MB/s makes no sense */
    double items;              /* items per call (skills, files), 0 when none */
    const char *item_name;
} row;

static row rows[40];
static int nrows;

static void add_row(const char *what, const char *impl, double seconds, double bytes,
                    double items, const char *item_name)
{
    row *r = &rows[nrows++];
    r->what = what;
    r->impl = impl;
    r->seconds = seconds;
    r->bytes = bytes;
    r->items = items;
    r->item_name = item_name;
}

static void report(const char *path)
{
    FILE *f;
    int i;
    printf("%-34s %-10s %12s %10s %14s\n", "operation", "library", "time/call", "MB/s",
           "items/s");
    for (i = 0; i < nrows; i++) {
        row *r = &rows[i];
        if (r->seconds < 0) {
            printf("%-34s %-10s failed\n", r->what, r->impl);
            continue;
        }
        if (r->seconds < 1e-3) {
            printf("%-34s %-10s %9.3f us", r->what, r->impl, r->seconds * 1e6);
        } else {
            printf("%-34s %-10s %9.3f ms", r->what, r->impl, r->seconds * 1e3);
        }
        if (r->bytes > 0) {
            printf(" %10.1f", r->bytes / r->seconds / 1e6);
        } else {
            printf(" %10s", "-");
        }
        if (r->items > 0) {
            printf(" %8.0f %s\n", r->items / r->seconds, r->item_name);
        } else {
            printf(" %14s\n", "-");
        }
    }
    f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "bench_parse: failed to write %s: %s\n", path, strerror(errno));
        return;
    }
    fprintf(f, "{\n  \"tool\": \"benchmark/bench_parse.c\",\n  \"version\": \"%s\",\n"
               "  \"rows\": [\n", sl_version_string());
    for (i = 0; i < nrows; i++) {
        row *r = &rows[i];
        fprintf(f, "    {\"operation\": \"%s\", \"library\": \"%s\", \"ok\": %s, "
                   "\"ms_per_call\": %.6f, \"bytes_per_call\": %.0f, \"mb_per_s\": %.3f, "
                   "\"items_per_call\": %.0f, \"items_per_s\": %.1f, \"item\": \"%s\"}%s\n",
                r->what, r->impl, r->seconds < 0 ? "false" : "true", r->seconds * 1e3,
                r->bytes, r->seconds > 0 && r->bytes > 0 ? r->bytes / r->seconds / 1e6 : 0.0,
                r->items, r->seconds > 0 && r->items > 0 ? r->items / r->seconds : 0.0,
                r->item_name ? r->item_name : "", i + 1 < nrows ? "," : "");
    }
    fprintf(f, "  ]\n}\n");
    fclose(f);
    printf("wrote %s\n", path);
}

#ifdef BENCH_WITH_SCAN
/* The scanner over the Python standard library: every .py file below the folder, except
 * test suites and site-packages, each scanned as its own file like a skill's scripts. */
typedef struct scan_ctx {
    sl_scan_source *files;
    size_t count;
    size_t cap;
    size_t bytes;
    sl_scanner *scanner;
    size_t findings;
} scan_ctx;

static void collect_py(scan_ctx *c, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (d == NULL || depth > 6) {
        if (d != NULL) {
            closedir(d);
        }
        return;
    }
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        size_t nlen = strlen(e->d_name);
        if (e->d_name[0] == '.' || strcmp(e->d_name, "test") == 0 ||
            strcmp(e->d_name, "tests") == 0 || strcmp(e->d_name, "site-packages") == 0 ||
            strcmp(e->d_name, "dist-packages") == 0 || strcmp(e->d_name, "__pycache__") == 0) {
            continue;
        }
        if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path) ||
            lstat(path, &st) != 0) {
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            collect_py(c, path, depth + 1);
        } else if (S_ISREG(st.st_mode) && nlen > 3 && strcmp(e->d_name + nlen - 3, ".py") == 0) {
            char *text = NULL;
            size_t len = 0;
            if (sl_file_read(path, 8u << 20, NULL, &text, &len, NULL) != SL_OK) {
                continue;
            }
            if (c->count == c->cap) {
                c->cap = c->cap ? c->cap * 2 : 1024;
                c->files = realloc(c->files, c->cap * sizeof(*c->files));
            }
            c->files[c->count].path = strdup(path);
            c->files[c->count].text = text;
            c->files[c->count].len = len;
            c->files[c->count].language = -1;
            c->count++;
            c->bytes += len;
        }
    }
    closedir(d);
}

static int op_scan_files(void *p)
{
    scan_ctx *c = p;
    size_t i;
    c->findings = 0;
    for (i = 0; i < c->count; i++) {
        sl_scan_report *report = NULL;
        sl_error err;
        if (sl_scanner_scan_text(c->scanner, c->files[i].path, c->files[i].text,
                                 c->files[i].len, -1, &report, &err) != SL_OK) {
            fprintf(stderr, "bench_parse: scanning %s: %s\n", c->files[i].path, err.message);
            return -1;
        }
        c->findings += sl_scan_report_count(report);
        sl_scan_report_free(report);
    }
    return 0;
}

static void bench_scan(const char *stdlib_dir)
{
    static scan_ctx c;
    static char what[128];
    sl_error err;
    size_t i;
    collect_py(&c, stdlib_dir, 0);
    if (c.count == 0) {
        fprintf(stderr, "bench_parse: no .py files below %s; scanner row skipped\n",
                stdlib_dir);
        return;
    }
    if (sl_scanner_new(NULL, &c.scanner, &err) != SL_OK) {
        fprintf(stderr, "bench_parse: sl_scanner_new: %s\n", err.message);
        return;
    }
    snprintf(what, sizeof(what), "scan Python stdlib (%zu files)", c.count);
    add_row(what, "skilllite", measure(op_scan_files, &c), (double)c.bytes, (double)c.count,
            "files");
    sl_scanner_free(c.scanner);
    for (i = 0; i < c.count; i++) {
        free((char *)c.files[i].path);
        sl_free(NULL, (char *)c.files[i].text, c.files[i].len + 1);
    }
    free(c.files);
}
#endif

int main(int argc, char **argv)
{
    const char *results = argc > 1 ? argv[1] : "benchmark/results";
    char root[1024], out_path[1100];
    text_ctx json, big_yaml, small_json;
    many_ctx fm;
    skills_ctx skills;
    sl_buf b;
    sl_error err;
    int i;

    if (strlen(results) > 900) {
        fprintf(stderr, "bench_parse: results folder path too long (max 900 bytes)\n");
        return 2;
    }
    mkdir(results, 0755);
    snprintf(root, sizeof(root), "%s/skills1000", results);
    snprintf(out_path, sizeof(out_path), "%s/parse.json", results);

    /* Discovery and loading over 1,000 generated skills. */
    if (make_skills(root, SKILL_COUNT) != 0) {
        return 1;
    }
    memset(&skills, 0, sizeof(skills));
    skills.root = root;
    add_row("discover 1000 skills", "skilllite", measure(op_discover, &skills), 0,
            SKILL_COUNT, "skills");
    add_row("discover + load 1000 skills", "skilllite", measure(op_discover_load, &skills), 0,
            SKILL_COUNT, "skills");
    if (skills.found != SKILL_COUNT) {
        fprintf(stderr, "bench_parse: discovery found %zu skills, expected %d\n", skills.found,
                SKILL_COUNT);
    }

    /* JSON: a 4 MiB document, and the calculator's input as the small case. */
    memset(&json, 0, sizeof(json));
    json.text = make_json(4u << 20, &json.len);
    json.doc = sl_json_parse(json.text, json.len, NULL, &err);
    if (json.doc == NULL) {
        fprintf(stderr, "bench_parse: the generated JSON does not parse: %s\n", err.message);
        return 1;
    }
    sl_buf_init(&json.out, NULL);
    add_row("JSON parse 4 MiB", "skilllite", measure(op_json_parse, &json), (double)json.len,
            0, NULL);
#ifdef BENCH_WITH_CJSON
    add_row("JSON parse 4 MiB", "cJSON", measure(op_cjson_parse, &json), (double)json.len, 0,
            NULL);
#endif
    add_row("JSON write 4 MiB (compact)", "skilllite", measure(op_json_write, &json),
            (double)json.len, 0, NULL);
#ifdef BENCH_WITH_CJSON
    json.cjson = cJSON_ParseWithLength(json.text, json.len);
    add_row("JSON write 4 MiB (compact)", "cJSON", measure(op_cjson_write, &json),
            (double)json.len, 0, NULL);
    cJSON_Delete(json.cjson);
#endif
    memset(&small_json, 0, sizeof(small_json));
    small_json.text = "{\"operation\": \"add\", \"a\": 15, \"b\": 27}";
    small_json.len = strlen(small_json.text);
    add_row("JSON parse 38 B (skill input)", "skilllite", measure(op_json_parse, &small_json),
            (double)small_json.len, 1, "docs");
#ifdef BENCH_WITH_CJSON
    add_row("JSON parse 38 B (skill input)", "cJSON", measure(op_cjson_parse, &small_json),
            (double)small_json.len, 1, "docs");
#endif

    /* YAML: the 1,000 frontmatters one by one, then one 256 KiB mapping. */
    memset(&fm, 0, sizeof(fm));
    fm.count = SKILL_COUNT;
    fm.texts = calloc(SKILL_COUNT, sizeof(char *));
    fm.lens = calloc(SKILL_COUNT, sizeof(size_t));
    for (i = 0; i < SKILL_COUNT; i++) {
        sl_buf_init(&b, NULL);
        frontmatter(&b, i);
        fm.texts[i] = sl_buf_detach(&b, &fm.lens[i]);
        fm.total += fm.lens[i];
    }
    add_row("YAML 1000 frontmatters", "skilllite", measure(op_yaml_many, &fm),
            (double)fm.total, SKILL_COUNT, "docs");
#ifdef BENCH_WITH_LIBYAML
    add_row("YAML 1000 frontmatters", "libyaml", measure(op_libyaml_many, &fm),
            (double)fm.total, SKILL_COUNT, "docs");
#endif
    sl_buf_init(&b, NULL);
    for (i = 0; b.len < (256u << 10); i++) {
        sl_buf_appendf(&b,
                       "entry-%d:\n  name: skill-%04d\n  description: >\n    Converts units "
                       "(variant %d), folded\n    over two lines.\n  tags: [a, \"b c\", 'd']\n"
                       "  version: \"1.0.%d\"\n  items:\n    - one\n    - {k: v, n: %d}\n",
                       i, i, i, i, i);
    }
    memset(&big_yaml, 0, sizeof(big_yaml));
    big_yaml.text = sl_buf_detach(&b, &big_yaml.len);
    add_row("YAML 256 KiB mapping", "skilllite", measure(op_yaml_parse, &big_yaml),
            (double)big_yaml.len, 0, NULL);
#ifdef BENCH_WITH_LIBYAML
    add_row("YAML 256 KiB mapping", "libyaml", measure(op_libyaml_parse, &big_yaml),
            (double)big_yaml.len, 0, NULL);
#endif

#ifdef BENCH_WITH_SCAN
    bench_scan(argc > 2 ? argv[2] : "/usr/lib/python3.11");
#endif

    report(out_path);

    sl_doc_free(json.doc);
    sl_buf_free(&json.out);
    sl_free(NULL, (char *)json.text, json.len + 1);
    sl_free(NULL, (char *)big_yaml.text, big_yaml.len + 1);
    for (i = 0; i < SKILL_COUNT; i++) {
        sl_free(NULL, fm.texts[i], fm.lens[i] + 1);
    }
    free(fm.texts);
    free(fm.lens);
    return 0;
}
