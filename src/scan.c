/* ======================================================================== scan ===
 * Scanner objects, what a scan reads (sources, folders) and hashes, reports and their
 * formats, rule files, the scan id registry and the gate.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

/* ------------------------------------------------------------------ names --- */

SKILLLITE_API const char *sl_scan_severity_name(int severity)
{
    switch (severity) {
    case SL_SCAN_LOW: return "low";
    case SL_SCAN_MEDIUM: return "medium";
    case SL_SCAN_HIGH: return "high";
    case SL_SCAN_CRITICAL: return "critical";
    default: return "unknown";
    }
}

SKILLLITE_API int sl_scan_severity_parse(const char *name, size_t len)
{
    int s;

    if (name == NULL) {
        return 0;
    }
    for (s = SL_SCAN_LOW; s <= SL_SCAN_CRITICAL; s++) {
        const char *n = sl_scan_severity_name(s);
        if (strlen(n) == len && sl__eq_nocase(name, n, len)) {
            return s;
        }
    }
    return 0;
}

SKILLLITE_API const char *sl_scan_language_name(int language)
{
    switch (language) {
    case SL_SCAN_LANG_PYTHON: return "python";
    case SL_SCAN_LANG_JS: return "javascript";
    case SL_SCAN_LANG_SHELL: return "shell";
    case SL_SCAN_LANG_TEXT: return "text";
    default: return "none";
    }
}

/* Language from a `#!` line: the interpreter's name, or the one after `env`. */
static int sl__shebang_language(const char *text, size_t len)
{
    size_t end = 2;
    size_t k;

    while (end < len && end < 256 && text[end] != '\n') {
        end++;
    }
    for (k = 2; k < end; k++) {
        const char *w = text + k;
        size_t n = 0;
        int lang;
        while (k + n < end && text[k + n] != ' ' && text[k + n] != '\t' && text[k + n] != '\r') {
            n++;
        }
        lang = sl__interpreter(w, n);
        if (lang != 0) {
            return lang;
        }
        k += n;
    }
    return SL_SCAN_LANG_NONE;
}

SKILLLITE_API int sl_scan_language_detect(const char *path, const char *text, size_t len)
{
    static const char *const py[] = {"py", "pyw", NULL};
    static const char *const js[] = {"js", "mjs", "cjs", "ts", "tsx", "jsx", "mts", "cts", NULL};
    static const char *const sh[] = {"sh", "bash", "zsh", "ksh", NULL};
    static const char *const md[] = {"md", "markdown", "txt", "rst", "mdx", NULL};
    const char *dot = NULL;
    const char *p;
    char ext[12];
    size_t n = 0;

    for (p = path != NULL ? path : ""; *p != '\0'; p++) {
        if (*p == '/') {
            dot = NULL;
        } else if (*p == '.') {
            dot = p + 1;
        }
    }
    if (dot != NULL) {
        while (dot[n] != '\0' && n + 1 < sizeof(ext)) {
            ext[n] = (char)sl__lower((unsigned char)dot[n]);
            n++;
        }
        if (dot[n] == '\0' && n > 0) {
            if (sl__in_words(ext, n, py)) {
                return SL_SCAN_LANG_PYTHON;
            }
            if (sl__in_words(ext, n, js)) {
                return SL_SCAN_LANG_JS;
            }
            if (sl__in_words(ext, n, sh)) {
                return SL_SCAN_LANG_SHELL;
            }
            if (sl__in_words(ext, n, md)) {
                return SL_SCAN_LANG_TEXT;
            }
        }
    }
    if (text == NULL || memchr(text, '\0', len < 8192 ? len : 8192) != NULL) {
        return SL_SCAN_LANG_NONE;
    }
    if (len >= 2 && text[0] == '#' && text[1] == '!') {
        return sl__shebang_language(text, len);
    }
    return SL_SCAN_LANG_NONE;
}

/* --------------------------------------------------------------- scanner --- */

SKILLLITE_API void sl_scan_config_init(sl_scan_config *config)
{
    if (config == NULL) {
        return;
    }
    memset(config, 0, sizeof(*config));
    config->max_file_bytes = (size_t)8 << 20;
    config->max_total_bytes = (size_t)64 << 20;
    config->max_files = 4096;
    config->max_findings = 1000;
    config->min_severity = SL_SCAN_LOW;
}

static int sl__scanner_grow(sl_scanner *sc, size_t need)
{
    size_t ncap;
    sl__rule *p;

    if (need <= sc->cap) {
        return SL_OK;
    }
    ncap = sc->cap == 0 ? 128 : sc->cap * 2;
    while (ncap < need) {
        ncap *= 2;
    }
    p = (sl__rule *)sl__realloc(&sc->alloc, sc->rules, sc->cap * sizeof(sl__rule),
                                ncap * sizeof(sl__rule));
    if (p == NULL) {
        return SL_ENOMEM;
    }
    sc->rules = p;
    sc->cap = ncap;
    return SL_OK;
}

SKILLLITE_API int sl_scanner_new(const sl_scan_config *config, sl_scanner **out, sl_error *err)
{
    sl_allocator a;
    sl_scanner *sc;
    size_t k;

    if (out == NULL) {
        return sl__error(err, SL_EINVAL, "sl_scanner_new: out is NULL");
    }
    *out = NULL;
    a = sl__allocator_resolve(config != NULL ? config->alloc : NULL);
    sc = (sl_scanner *)sl__calloc(&a, 1, sizeof(sl_scanner));
    if (sc == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory creating a scanner");
    }
    sc->alloc = a;
    if (config != NULL) {
        sc->cfg = *config;
    } else {
        sl_scan_config_init(&sc->cfg);
    }
    sc->cfg.alloc = NULL;
    sl__arena_init(&sc->arena, &sc->alloc);
    memset(sc->by_class, 0xFF, sizeof(sc->by_class));
    if (sl__scanner_grow(sc, SL__RULE_BUILTIN_COUNT) != SL_OK || sl__sinks_build(sc) != SL_OK) {
        sl_scanner_free(sc);
        return sl__error(err, SL_ENOMEM, "out of memory creating a scanner");
    }
    for (k = 0; k < SL__RULE_BUILTIN_COUNT; k++) {
        const sl__rule_def *d = &sl__rule_defs[k];
        sl__rule *r = &sc->rules[k];
        memset(r, 0, sizeof(*r));
        r->id = d->id;
        r->category = d->category;
        r->message = d->message;
        r->severity = d->severity;
        r->language = d->language;
        r->languages = 1u << d->language;
        r->enabled = 1;
        sc->by_class[d->language][d->cls] = (int16_t)k;
    }
    sc->nrules = SL__RULE_BUILTIN_COUNT;
    sl__needles_index(sc);
    *out = sc;
    return SL_OK;
}

SKILLLITE_API void sl_scanner_free(sl_scanner *scanner)
{
    sl_allocator a;

    if (scanner == NULL) {
        return;
    }
    a = scanner->alloc;
    sl__free(&a, scanner->rules, scanner->cap * sizeof(sl__rule));
    sl__free(&a, scanner->sinks, (scanner->sink_mask + 1) * sizeof(sl__sink_slot));
    sl__arena_free(&scanner->arena);
    sl__free(&a, scanner, sizeof(sl_scanner));
}

SKILLLITE_API size_t sl_scanner_rule_count(const sl_scanner *scanner)
{
    return scanner != NULL ? scanner->nrules : 0;
}

SKILLLITE_API int sl_scanner_rule_at(const sl_scanner *scanner, size_t index,
                                     sl_scan_rule_info *info)
{
    const sl__rule *r;

    if (scanner == NULL || info == NULL || index >= scanner->nrules) {
        return 0;
    }
    r = &scanner->rules[index];
    info->id = r->id;
    info->category = r->category;
    info->severity = r->severity;
    info->language = r->custom ? -1 : r->language;
    info->message = r->message;
    info->enabled = r->enabled;
    info->custom = r->custom;
    return 1;
}

static long sl__rule_find(const sl_scanner *sc, const char *id, size_t len)
{
    size_t k;

    for (k = 0; k < sc->nrules; k++) {
        if (sl__streq(id, len, sc->rules[k].id)) {
            return (long)k;
        }
    }
    return -1;
}

/* ------------------------------------------------------------ scan inputs --- */

/* One entry of what a scan hashes: a file, a symlink, or another non-folder entry. */
typedef struct sl__entry {
    char *path;
    char *text;        /* content; symlink target */
    size_t len;
    char type;         /* 'f' file, 'l' symlink, 'o' other (fifo, socket, device) */
    int language;
    int owned;         /* text was read by the scan and is freed with it */
} sl__entry;

static void sl__hash_entry(sl_sha256 *h, const sl__entry *e)
{
    unsigned char len8[8];
    uint64_t n = (uint64_t)e->len;
    int k;

    for (k = 7; k >= 0; k--) {
        len8[k] = (unsigned char)(n & 0xFF);
        n >>= 8;
    }
    sl_sha256_update(h, e->path, strlen(e->path) + 1);
    sl_sha256_update(h, &e->type, 1);
    sl_sha256_update(h, len8, 8);
    sl_sha256_update(h, e->text, e->len);
}

static int sl__is_binary_executable(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;

    if (len >= 4 && u[0] == 0x7F && u[1] == 'E' && u[2] == 'L' && u[3] == 'F') {
        return 1;
    }
    if (len >= 4 && ((u[0] == 0xFE && u[1] == 0xED && u[2] == 0xFA) ||
                     (u[1] == 0xFA && u[2] == 0xED && u[3] == 0xFE) ||
                     (u[0] == 0xCA && u[1] == 0xFE && u[2] == 0xBA && u[3] == 0xBE))) {
        return 1;
    }
    return len >= 64 && u[0] == 'M' && u[1] == 'Z';
}

/* Returns 1 when a symlink at `path` (relative to the skill folder) with `target` leaves
 * the folder: absolute targets, or more `..` than the link's own depth. */
static int sl__symlink_escapes(const char *path, const char *target, size_t len)
{
    int depth = 0;
    size_t k;

    if (len == 0 || target[0] == '/') {
        return 1;
    }
    for (k = 0; path[k] != '\0'; k++) {
        depth += path[k] == '/';
    }
    k = 0;
    while (k < len) {
        size_t n = 0;
        while (k + n < len && target[k + n] != '/') {
            n++;
        }
        if (n == 2 && target[k] == '.' && target[k + 1] == '.') {
            if (--depth < 0) {
                return 1;
            }
        } else if (!(n == 1 && target[k] == '.') && n > 0) {
            depth++;
        }
        k += n + 1;
    }
    return 0;
}

static int sl__scan_entry(sl__scan *scan, const sl__entry *e, const char *path_copy)
{
    const sl_scanner *sc = scan->scanner;
    sl__root root;
    sl__file f;
    int language = e->language;
    int rc = SL_OK;

    memset(&root, 0, sizeof(root));
    root.path = path_copy;
    root.text = e->text;
    root.len = e->len;
    root.per_rule = (uint16_t *)sl__calloc(&scan->report->alloc, sc->nrules, sizeof(uint16_t));
    if (root.per_rule == NULL) {
        return sl__scan_fail(scan, SL_ENOMEM);
    }
    scan->fold_budget = e->len * 16 + ((size_t)1 << 20);
    if (e->type == 'l') {
        if (sl__symlink_escapes(e->path, e->text, e->len)) {
            int rule = sc->by_class[SL_SCAN_LANG_NONE][SL__C_SYMLINK];
            sl__emit_rule(scan, &root, (size_t)rule, 0);
        }
    } else if (e->type == 'f') {
        if (language < 0) {
            language = sl_scan_language_detect(e->path, e->text, e->len);
        }
        if (language == SL_SCAN_LANG_NONE) {
            if (sl__is_binary_executable(e->text, e->len)) {
                int rule = sc->by_class[SL_SCAN_LANG_NONE][SL__C_BINARY];
                root.len = 0; /* no snippet from binary bytes */
                sl__emit_rule(scan, &root, (size_t)rule, 0);
            }
        } else if (language >= SL_SCAN_LANG_PYTHON && language <= SL_SCAN_LANG_TEXT) {
            sl__file_init(&f, scan, &root, language, e->text, e->len);
            rc = sl__analyze(&f);
            sl__file_free(&f);
        }
    }
    sl__free(&scan->report->alloc, root.lines, root.nlines * sizeof(uint32_t));
    sl__free(&scan->report->alloc, root.seen, (root.seen_mask + 1) * sizeof(uint64_t));
    sl__free(&scan->report->alloc, root.per_rule, sc->nrules * sizeof(uint16_t));
    return rc;
}

static int sl__finding_cmp(const void *pa, const void *pb)
{
    const sl_scan_finding *a = (const sl_scan_finding *)pa;
    const sl_scan_finding *b = (const sl_scan_finding *)pb;
    int c = strcmp(a->path, b->path);

    if (c != 0) {
        return c;
    }
    if (a->line != b->line) {
        return a->line < b->line ? -1 : 1;
    }
    if (a->column != b->column) {
        return a->column < b->column ? -1 : 1;
    }
    return strcmp(a->rule_id, b->rule_id);
}

static void sl__report_free_parts(sl_scan_report *r)
{
    sl_allocator a = r->alloc;

    sl__free(&a, r->findings, r->cap * sizeof(sl_scan_finding));
    sl__arena_free(&r->arena);
    sl__free(&a, r, sizeof(*r));
}

SKILLLITE_API void sl_scan_report_free(sl_scan_report *report)
{
    if (report != NULL) {
        sl__report_free_parts(report);
    }
}

/* Scans `entries` (in hash order) into a new report. */
static int sl__scan_entries(const sl_scanner *sc, const sl__entry *entries, size_t count,
                            sl_scan_report **out, sl_error *err)
{
    static const char magic[] = "skilllite-scan-v1";
    sl_scan_report *rep;
    sl__scan scan;
    sl_sha256 h;
    unsigned char digest[32];
    size_t total = 0;
    size_t k;

    rep = (sl_scan_report *)sl__calloc(&sc->alloc, 1, sizeof(*rep));
    if (rep == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory creating a scan report");
    }
    rep->alloc = sc->alloc;
    sl__arena_init(&rep->arena, &rep->alloc);
    memset(&scan, 0, sizeof(scan));
    scan.scanner = sc;
    scan.report = rep;
    scan.err = err;
    scan.interned = (const char **)sl__calloc(&rep->alloc, sc->nrules * 3, sizeof(char *));
    if (scan.interned == NULL) {
        sl__report_free_parts(rep);
        return sl__error(err, SL_ENOMEM, "out of memory creating a scan report");
    }
    sl_sha256_init(&h);
    sl_sha256_update(&h, magic, sizeof(magic));
    for (k = 0; k < count && scan.status == SL_OK; k++) {
        const sl__entry *e = &entries[k];
        const char *path_copy;
        if (e->len > sc->cfg.max_file_bytes) {
            sl__scan_fail(&scan, SL_ELIMIT);
            sl__error(err, SL_ELIMIT, "%s: %zu bytes is over the scanner's max_file_bytes (%zu); "
                      "raise the limit or remove the file", e->path, e->len,
                      sc->cfg.max_file_bytes);
            break;
        }
        total += e->len;
        if (total > sc->cfg.max_total_bytes) {
            sl__scan_fail(&scan, SL_ELIMIT);
            sl__error(err, SL_ELIMIT, "%s: the files add up to more than the scanner's "
                      "max_total_bytes (%zu)", e->path, sc->cfg.max_total_bytes);
            break;
        }
        sl__hash_entry(&h, e);
        rep->files++;
        rep->bytes += e->len;
        path_copy = sl__arena_strndup(&rep->arena, e->path, strlen(e->path));
        if (path_copy == NULL) {
            sl__scan_fail(&scan, SL_ENOMEM);
            break;
        }
        sl__scan_entry(&scan, e, path_copy);
    }
    sl__free(&rep->alloc, scan.interned, sc->nrules * 3 * sizeof(char *));
    if (scan.status != SL_OK) {
        if (scan.status == SL_ENOMEM) {
            sl__error(err, SL_ENOMEM, "out of memory while scanning");
        }
        sl__report_free_parts(rep);
        return scan.status;
    }
    sl_sha256_final(&h, digest);
    for (k = 0; k < 32; k++) {
        static const char hex[] = "0123456789abcdef";
        rep->sha256[2 * k] = hex[digest[k] >> 4];
        rep->sha256[2 * k + 1] = hex[digest[k] & 15];
    }
    rep->sha256[64] = '\0';
    if (rep->count > 1) {
        qsort(rep->findings, rep->count, sizeof(sl_scan_finding), sl__finding_cmp);
    }
    *out = rep;
    return SL_OK;
}

/* Runs `fn` with `scanner`, or with a temporary scanner holding the built-in rules. */
static int sl__with_scanner(const sl_scanner *scanner, const sl__entry *entries, size_t count,
                            sl_scan_report **out, sl_error *err)
{
    sl_scanner *tmp = NULL;
    int rc;

    if (scanner != NULL) {
        return sl__scan_entries(scanner, entries, count, out, err);
    }
    rc = sl_scanner_new(NULL, &tmp, err);
    if (rc != SL_OK) {
        return rc;
    }
    rc = sl__scan_entries(tmp, entries, count, out, err);
    sl_scanner_free(tmp);
    return rc;
}

SKILLLITE_API int sl_scanner_scan_sources(const sl_scanner *scanner,
                                          const sl_scan_source *sources, size_t count,
                                          sl_scan_report **out, sl_error *err)
{
    sl_allocator a = sl__allocator_resolve(scanner != NULL ? &scanner->alloc : NULL);
    sl__entry *entries;
    size_t k;
    int rc;

    if (out == NULL || (sources == NULL && count > 0)) {
        return sl__error(err, SL_EINVAL, "sl_scanner_scan_sources: %s is NULL",
                         out == NULL ? "out" : "sources");
    }
    *out = NULL;
    entries = (sl__entry *)sl__calloc(&a, count + 1, sizeof(sl__entry));
    if (entries == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory scanning %zu sources", count);
    }
    for (k = 0; k < count; k++) {
        if (sources[k].path == NULL || (sources[k].text == NULL && sources[k].len > 0)) {
            sl__free(&a, entries, (count + 1) * sizeof(sl__entry));
            return sl__error(err, SL_EINVAL, "sl_scanner_scan_sources: source %zu has a NULL "
                             "%s", k, sources[k].path == NULL ? "path" : "text");
        }
        entries[k].path = (char *)sources[k].path;
        entries[k].text = (char *)(sources[k].text != NULL ? sources[k].text : "");
        entries[k].len = sources[k].len;
        entries[k].type = 'f';
        entries[k].language = sources[k].language;
    }
    rc = sl__with_scanner(scanner, entries, count, out, err);
    sl__free(&a, entries, (count + 1) * sizeof(sl__entry));
    return rc;
}

SKILLLITE_API int sl_scanner_scan_text(const sl_scanner *scanner, const char *path,
                                       const char *text, size_t len, int language,
                                       sl_scan_report **out, sl_error *err)
{
    sl_scan_source src;

    src.path = path != NULL ? path : "(input)";
    src.text = text;
    src.len = len;
    src.language = language;
    return sl_scanner_scan_sources(scanner, &src, 1, out, err);
}

/* ------------------------------------------------------------ folder walk --- */

typedef struct sl__walk {
    sl_allocator alloc;
    const sl_scan_config *cfg;
    sl__entry *entries;
    size_t count;
    size_t cap;
    size_t total;
    sl_error *err;
} sl__walk;

static void sl__walk_free(sl__walk *w)
{
    size_t k;

    for (k = 0; k < w->count; k++) {
        sl__free(&w->alloc, w->entries[k].path, strlen(w->entries[k].path) + 1);
        if (w->entries[k].owned) {
            sl__free(&w->alloc, w->entries[k].text, w->entries[k].len + 1);
        }
    }
    sl__free(&w->alloc, w->entries, w->cap * sizeof(sl__entry));
}

/* Reads a regular file without following a symlink swapped in after lstat. */
static int sl__read_nofollow(sl__walk *w, const char *full, sl__entry *e)
{
    int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    struct stat st;
    size_t used = 0;
    size_t cap;
    char *buf;

    if (fd < 0) {
        int saved = errno;
        return sl__error_sys(w->err, SL_EIO, "open", saved, "cannot open '%s': %s", full,
                             strerror(saved));
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return sl__error(w->err, SL_EIO, "'%s' changed while the skill was scanned", full);
    }
    if ((uint64_t)st.st_size > (uint64_t)w->cfg->max_file_bytes) {
        close(fd);
        return sl__error(w->err, SL_ELIMIT, "'%s' is %lld bytes, over the scanner's "
                         "max_file_bytes (%zu); raise the limit or remove the file", full,
                         (long long)st.st_size, w->cfg->max_file_bytes);
    }
    cap = (size_t)st.st_size + 1;
    buf = (char *)sl__malloc(&w->alloc, cap);
    if (buf == NULL) {
        close(fd);
        return sl__error(w->err, SL_ENOMEM, "out of memory reading '%s'", full);
    }
    for (;;) {
        ssize_t n = read(fd, buf + used, cap - 1 - used);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int saved = errno;
            sl__free(&w->alloc, buf, cap);
            close(fd);
            return sl__error_sys(w->err, SL_EIO, "read", saved, "cannot read '%s': %s", full,
                                 strerror(saved));
        }
        if (n == 0 || used + (size_t)n == cap - 1) {
            used += (size_t)n;
            break;
        }
        used += (size_t)n;
    }
    close(fd);
    buf[used] = '\0';
    e->text = buf;
    e->len = used;
    e->owned = 1;
    if (used + 1 != cap) {
        /* the file shrank: keep the buffer size in sync for the free */
        char *p = (char *)sl__realloc(&w->alloc, buf, cap, used + 1);
        if (p == NULL) {
            sl__free(&w->alloc, buf, cap);
            e->text = NULL;
            return sl__error(w->err, SL_ENOMEM, "out of memory reading '%s'", full);
        }
        e->text = p;
    }
    return SL_OK;
}

static int sl__walk_add(sl__walk *w, const char *rel, const char *full, const struct stat *st)
{
    sl__entry *e;
    int rc = SL_OK;

    if (w->count >= w->cfg->max_files) {
        return sl__error(w->err, SL_ELIMIT, "the skill has more than %zu files (the scanner's "
                         "max_files); raise the limit or remove files", w->cfg->max_files);
    }
    if (w->count == w->cap) {
        size_t ncap = w->cap == 0 ? 64 : w->cap * 2;
        sl__entry *p = (sl__entry *)sl__realloc(&w->alloc, w->entries,
                                                w->cap * sizeof(sl__entry),
                                                ncap * sizeof(sl__entry));
        if (p == NULL) {
            return sl__error(w->err, SL_ENOMEM, "out of memory listing the skill's files");
        }
        w->entries = p;
        w->cap = ncap;
    }
    e = &w->entries[w->count];
    memset(e, 0, sizeof(*e));
    e->language = -1;
    e->path = sl__strndup(&w->alloc, rel, strlen(rel));
    if (e->path == NULL) {
        return sl__error(w->err, SL_ENOMEM, "out of memory listing the skill's files");
    }
    if (S_ISREG(st->st_mode)) {
        e->type = 'f';
        rc = sl__read_nofollow(w, full, e);
    } else if (S_ISLNK(st->st_mode)) {
        char target[4096];
        ssize_t n = readlink(full, target, sizeof(target) - 1);
        e->type = 'l';
        if (n < 0) {
            n = 0;
        }
        e->text = sl__strndup(&w->alloc, target, (size_t)n);
        e->len = (size_t)n;
        e->owned = 1;
        rc = e->text == NULL ? sl__error(w->err, SL_ENOMEM, "out of memory") : SL_OK;
    } else {
        e->type = 'o';
        e->text = (char *)"";
    }
    if (rc != SL_OK) {
        sl__free(&w->alloc, e->path, strlen(e->path) + 1);
        return rc;
    }
    w->total += e->len;
    w->count++;
    if (w->total > w->cfg->max_total_bytes) {
        return sl__error(w->err, SL_ELIMIT, "the skill's files add up to more than %zu bytes "
                         "(the scanner's max_total_bytes)", w->cfg->max_total_bytes);
    }
    return SL_OK;
}

/* Lists `dir` (full path `full`, relative prefix `rel`) recursively. */
static int sl__walk_dir(sl__walk *w, const char *full, const char *rel, int depth)
{
    DIR *d;
    struct dirent *de;
    int rc = SL_OK;

    if (depth > 32) {
        return sl__error(w->err, SL_ELIMIT, "'%s' is nested more than 32 folders deep", full);
    }
    d = opendir(full);
    if (d == NULL) {
        int saved = errno;
        return sl__error_sys(w->err, saved == ENOENT ? SL_ENOTFOUND : SL_EIO, "opendir", saved,
                             "cannot open folder '%s': %s", full, strerror(saved));
    }
    while (rc == SL_OK && (de = readdir(d)) != NULL) {
        char child_full[4096];
        char child_rel[4096];
        struct stat st;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
            strcmp(de->d_name, ".git") == 0) {
            continue;
        }
        if ((size_t)snprintf(child_full, sizeof(child_full), "%s/%s", full, de->d_name) >=
                sizeof(child_full) ||
            (size_t)snprintf(child_rel, sizeof(child_rel), "%s%s%s", rel, rel[0] ? "/" : "",
                             de->d_name) >= sizeof(child_rel)) {
            rc = sl__error(w->err, SL_ELIMIT, "path too long under '%s'", full);
            break;
        }
        if (lstat(child_full, &st) != 0) {
            int saved = errno;
            rc = sl__error_sys(w->err, SL_EIO, "lstat", saved, "cannot stat '%s': %s",
                               child_full, strerror(saved));
            break;
        }
        if (S_ISDIR(st.st_mode)) {
            rc = sl__walk_dir(w, child_full, child_rel, depth + 1);
        } else {
            rc = sl__walk_add(w, child_rel, child_full, &st);
        }
    }
    closedir(d);
    return rc;
}

static int sl__entry_cmp(const void *pa, const void *pb)
{
    return strcmp(((const sl__entry *)pa)->path, ((const sl__entry *)pb)->path);
}

SKILLLITE_API int sl_scanner_scan_dir(const sl_scanner *scanner, const char *dir,
                                      sl_scan_report **out, sl_error *err)
{
    sl_scan_config defaults;
    sl__walk w;
    struct stat st;
    int rc;

    if (out == NULL || dir == NULL) {
        return sl__error(err, SL_EINVAL, "sl_scanner_scan_dir: %s is NULL",
                         out == NULL ? "out" : "dir");
    }
    *out = NULL;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        int saved = errno;
        return sl__error_sys(err, SL_ENOTFOUND, "stat", saved, "'%s' is not a folder", dir);
    }
    sl_scan_config_init(&defaults);
    memset(&w, 0, sizeof(w));
    w.alloc = sl__allocator_resolve(scanner != NULL ? &scanner->alloc : NULL);
    w.cfg = scanner != NULL ? &scanner->cfg : &defaults;
    w.err = err;
    rc = sl__walk_dir(&w, dir, "", 0);
    if (rc == SL_OK) {
        if (w.count > 1) {
            qsort(w.entries, w.count, sizeof(sl__entry), sl__entry_cmp);
        }
        rc = sl__with_scanner(scanner, w.entries, w.count, out, err);
    }
    sl__walk_free(&w);
    return rc;
}

/* ----------------------------------------------------------------- report --- */

SKILLLITE_API size_t sl_scan_report_count(const sl_scan_report *report)
{
    return report != NULL ? report->count : 0;
}

SKILLLITE_API const sl_scan_finding *sl_scan_report_at(const sl_scan_report *report,
                                                       size_t index)
{
    return report != NULL && index < report->count ? &report->findings[index] : NULL;
}

SKILLLITE_API size_t sl_scan_report_count_severity(const sl_scan_report *report, int severity)
{
    size_t n = 0;
    size_t k;

    for (k = 0; report != NULL && k < report->count; k++) {
        n += report->findings[k].severity == severity;
    }
    return n;
}

SKILLLITE_API int sl_scan_report_max_severity(const sl_scan_report *report)
{
    int max = 0;
    size_t k;

    for (k = 0; report != NULL && k < report->count; k++) {
        if (report->findings[k].severity > max) {
            max = report->findings[k].severity;
        }
    }
    return max;
}

SKILLLITE_API size_t sl_scan_report_dropped(const sl_scan_report *report)
{
    return report != NULL ? report->dropped : 0;
}

SKILLLITE_API const char *sl_scan_report_sha256(const sl_scan_report *report)
{
    return report != NULL ? report->sha256 : "";
}

SKILLLITE_API size_t sl_scan_report_file_count(const sl_scan_report *report)
{
    return report != NULL ? report->files : 0;
}

SKILLLITE_API size_t sl_scan_report_bytes(const sl_scan_report *report)
{
    return report != NULL ? report->bytes : 0;
}

SKILLLITE_API char *sl_scan_report_summary(const sl_scan_report *report, char *out,
                                           size_t size)
{
    if (out == NULL || size == 0) {
        return out;
    }
    snprintf(out, size, "%zu finding%s: %zu critical, %zu high, %zu medium, %zu low",
             sl_scan_report_count(report), sl_scan_report_count(report) == 1 ? "" : "s",
             sl_scan_report_count_severity(report, SL_SCAN_CRITICAL),
             sl_scan_report_count_severity(report, SL_SCAN_HIGH),
             sl_scan_report_count_severity(report, SL_SCAN_MEDIUM),
             sl_scan_report_count_severity(report, SL_SCAN_LOW));
    return out;
}

static void sl__write_text(const sl_scan_report *r, sl_buf *out)
{
    char summary[160];
    size_t k;

    for (k = 0; k < r->count; k++) {
        const sl_scan_finding *fd = &r->findings[k];
        sl_buf_appendf(out, "%s:%d:%d: %s [%s] %s\n", fd->path, fd->line, fd->column,
                       sl_scan_severity_name(fd->severity), fd->rule_id, fd->message);
        if (fd->snippet[0] != '\0') {
            sl_buf_appendf(out, "    %s\n", fd->snippet);
        }
    }
    sl_buf_appendf(out, "%s (%zu file%s, %zu bytes", sl_scan_report_summary(r, summary,
                                                                           sizeof(summary)),
                   r->files, r->files == 1 ? "" : "s", r->bytes);
    if (r->dropped > 0) {
        sl_buf_appendf(out, ", %zu more not listed", r->dropped);
    }
    sl_buf_append_str(out, ")\n");
}

/* Builds value trees with sl_value_* and reports ENOMEM once at the end. */
typedef struct sl__jb {
    sl_doc *doc;
    const sl_allocator *alloc;
    int failed;
} sl__jb;

static sl_value *sl__jb_check(sl__jb *b, sl_value *v)
{
    if (v == NULL) {
        b->failed = 1;
    }
    return v;
}

static void sl__jb_set(sl__jb *b, sl_value *obj, const char *key, sl_value *v)
{
    if (obj == NULL || sl_value_set(b->doc, obj, key, v) != SL_OK) {
        b->failed = 1;
    }
}

static void sl__jb_push(sl__jb *b, sl_value *arr, sl_value *v)
{
    if (arr == NULL || v == NULL || sl_value_push(b->doc, arr, v) != SL_OK) {
        b->failed = 1;
    }
}

static sl_value *sl__json_report(sl__jb *b, const sl_scan_report *r)
{
    sl_doc *d = b->doc;
    sl_value *root = sl__jb_check(b, sl_value_new_object(d));
    sl_value *summary = sl__jb_check(b, sl_value_new_object(d));
    sl_value *list = sl__jb_check(b, sl_value_new_array(d));
    int s;
    size_t k;

    sl__jb_set(b, root, "tool", sl_value_new_str(d, "skilllite"));
    sl__jb_set(b, root, "version", sl_value_new_str(d, SKILLLITE_VERSION_STRING));
    sl__jb_set(b, root, "sha256", sl_value_new_str(d, r->sha256));
    sl__jb_set(b, root, "files", sl_value_new_int(d, (int64_t)r->files));
    sl__jb_set(b, root, "bytes", sl_value_new_int(d, (int64_t)r->bytes));
    sl__jb_set(b, summary, "total", sl_value_new_int(d, (int64_t)r->count));
    for (s = SL_SCAN_CRITICAL; s >= SL_SCAN_LOW; s--) {
        sl__jb_set(b, summary, sl_scan_severity_name(s),
                   sl_value_new_int(d, (int64_t)sl_scan_report_count_severity(r, s)));
    }
    sl__jb_set(b, summary, "dropped", sl_value_new_int(d, (int64_t)r->dropped));
    sl__jb_set(b, root, "summary", summary);
    for (k = 0; k < r->count && !b->failed; k++) {
        const sl_scan_finding *fd = &r->findings[k];
        sl_value *o = sl__jb_check(b, sl_value_new_object(d));
        sl__jb_set(b, o, "rule", sl_value_new_str(d, fd->rule_id));
        sl__jb_set(b, o, "category", sl_value_new_str(d, fd->category));
        sl__jb_set(b, o, "severity", sl_value_new_str(d, sl_scan_severity_name(fd->severity)));
        sl__jb_set(b, o, "message", sl_value_new_str(d, fd->message));
        sl__jb_set(b, o, "path", sl_value_new_str(d, fd->path));
        sl__jb_set(b, o, "line", sl_value_new_int(d, fd->line));
        sl__jb_set(b, o, "column", sl_value_new_int(d, fd->column));
        sl__jb_set(b, o, "snippet", sl_value_new_str(d, fd->snippet));
        sl__jb_push(b, list, o);
    }
    sl__jb_set(b, root, "findings", list);
    return root;
}

static const char *sl__sarif_level(int severity)
{
    if (severity >= SL_SCAN_HIGH) {
        return "error";
    }
    return severity == SL_SCAN_MEDIUM ? "warning" : "note";
}

/* Percent-encodes a relative path for a SARIF artifact URI. */
static sl_value *sl__uri(sl__jb *b, const char *path)
{
    sl_buf u;
    sl_value *v;
    const unsigned char *p;

    sl_buf_init(&u, b->alloc);
    for (p = (const unsigned char *)path; *p != '\0'; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '/') {
            sl_buf_putc(&u, *p);
        } else {
            sl_buf_appendf(&u, "%%%02X", *p);
        }
    }
    v = u.failed ? NULL : sl_value_new_strn(b->doc, u.len > 0 ? u.data : "", u.len);
    sl_buf_free(&u);
    return sl__jb_check(b, v);
}

/* One SARIF result. `index` is the rule's position in the driver's rules array. */
static sl_value *sl__sarif_result(sl__jb *b, const sl_scan_finding *fd, size_t index)
{
    sl_doc *d = b->doc;
    sl_value *res = sl__jb_check(b, sl_value_new_object(d));
    sl_value *msg = sl__jb_check(b, sl_value_new_object(d));
    sl_value *locs = sl__jb_check(b, sl_value_new_array(d));
    sl_value *loc = sl__jb_check(b, sl_value_new_object(d));
    sl_value *phys = sl__jb_check(b, sl_value_new_object(d));
    sl_value *art = sl__jb_check(b, sl_value_new_object(d));
    sl_value *region = sl__jb_check(b, sl_value_new_object(d));
    sl_value *snip = sl__jb_check(b, sl_value_new_object(d));

    sl__jb_set(b, res, "ruleId", sl_value_new_str(d, fd->rule_id));
    sl__jb_set(b, res, "ruleIndex", sl_value_new_int(d, (int64_t)index));
    sl__jb_set(b, res, "level", sl_value_new_str(d, sl__sarif_level(fd->severity)));
    sl__jb_set(b, msg, "text", sl_value_new_str(d, fd->message));
    sl__jb_set(b, res, "message", msg);
    sl__jb_set(b, art, "uri", sl__uri(b, fd->path));
    sl__jb_set(b, phys, "artifactLocation", art);
    sl__jb_set(b, region, "startLine", sl_value_new_int(d, fd->line));
    sl__jb_set(b, region, "startColumn", sl_value_new_int(d, fd->column));
    sl__jb_set(b, snip, "text", sl_value_new_str(d, fd->snippet));
    sl__jb_set(b, region, "snippet", snip);
    sl__jb_set(b, phys, "region", region);
    sl__jb_set(b, loc, "physicalLocation", phys);
    sl__jb_push(b, locs, loc);
    sl__jb_set(b, res, "locations", locs);
    return res;
}

static sl_value *sl__sarif_rule(sl__jb *b, const sl_scan_finding *fd)
{
    sl_doc *d = b->doc;
    sl_value *rule = sl__jb_check(b, sl_value_new_object(d));
    sl_value *desc = sl__jb_check(b, sl_value_new_object(d));
    sl_value *conf = sl__jb_check(b, sl_value_new_object(d));
    sl_value *props = sl__jb_check(b, sl_value_new_object(d));

    sl__jb_set(b, rule, "id", sl_value_new_str(d, fd->rule_id));
    sl__jb_set(b, desc, "text", sl_value_new_str(d, fd->message));
    sl__jb_set(b, rule, "shortDescription", desc);
    sl__jb_set(b, conf, "level", sl_value_new_str(d, sl__sarif_level(fd->severity)));
    sl__jb_set(b, rule, "defaultConfiguration", conf);
    sl__jb_set(b, props, "category", sl_value_new_str(d, fd->category));
    sl__jb_set(b, props, "severity", sl_value_new_str(d, sl_scan_severity_name(fd->severity)));
    sl__jb_set(b, rule, "properties", props);
    return rule;
}

static sl_value *sl__sarif_report(sl__jb *b, const sl_scan_report *r)
{
    sl_doc *d = b->doc;
    sl_value *root = sl__jb_check(b, sl_value_new_object(d));
    sl_value *runs = sl__jb_check(b, sl_value_new_array(d));
    sl_value *run = sl__jb_check(b, sl_value_new_object(d));
    sl_value *tool = sl__jb_check(b, sl_value_new_object(d));
    sl_value *driver = sl__jb_check(b, sl_value_new_object(d));
    sl_value *rules = sl__jb_check(b, sl_value_new_array(d));
    sl_value *results = sl__jb_check(b, sl_value_new_array(d));
    const char **ids = NULL;
    size_t nids = 0;
    size_t k;

    sl__jb_set(b, root, "$schema", sl_value_new_str(d, "https://json.schemastore.org/"
                                                       "sarif-2.1.0.json"));
    sl__jb_set(b, root, "version", sl_value_new_str(d, "2.1.0"));
    sl__jb_set(b, driver, "name", sl_value_new_str(d, "skilllite"));
    sl__jb_set(b, driver, "version", sl_value_new_str(d, SKILLLITE_VERSION_STRING));
    if (r->count > 0) {
        ids = (const char **)sl__calloc(&r->alloc, r->count, sizeof(char *));
        b->failed |= ids == NULL;
    }
    for (k = 0; k < r->count && !b->failed; k++) {
        const sl_scan_finding *fd = &r->findings[k];
        size_t j;
        for (j = 0; j < nids && strcmp(ids[j], fd->rule_id) != 0; j++) {
        }
        if (j == nids) {
            ids[nids++] = fd->rule_id;
            sl__jb_push(b, rules, sl__sarif_rule(b, fd));
        }
        sl__jb_push(b, results, sl__sarif_result(b, fd, j));
    }
    sl__free(&r->alloc, (void *)ids, r->count * sizeof(char *));
    sl__jb_set(b, driver, "rules", rules);
    sl__jb_set(b, tool, "driver", driver);
    sl__jb_set(b, run, "tool", tool);
    sl__jb_set(b, run, "results", results);
    sl__jb_push(b, runs, run);
    sl__jb_set(b, root, "runs", runs);
    return root;
}

SKILLLITE_API int sl_scan_report_write(const sl_scan_report *report, int format, int flags,
                                       sl_buf *out, sl_error *err)
{
    sl__jb b;
    sl_value *root;
    int rc;

    if (report == NULL || out == NULL) {
        return sl__error(err, SL_EINVAL, "sl_scan_report_write: %s is NULL",
                         report == NULL ? "report" : "out");
    }
    if (format == SL_SCAN_FORMAT_TEXT) {
        sl__write_text(report, out);
        return out->failed ? sl__error(err, SL_ENOMEM, "out of memory writing the report")
                           : SL_OK;
    }
    if (format != SL_SCAN_FORMAT_JSON && format != SL_SCAN_FORMAT_SARIF) {
        return sl__error(err, SL_EINVAL, "sl_scan_report_write: unknown format %d; use "
                         "SL_SCAN_FORMAT_TEXT, _JSON or _SARIF", format);
    }
    b.doc = sl_doc_new(&report->alloc);
    b.alloc = &report->alloc;
    b.failed = b.doc == NULL;
    if (b.failed) {
        return sl__error(err, SL_ENOMEM, "out of memory writing the report");
    }
    root = format == SL_SCAN_FORMAT_JSON ? sl__json_report(&b, report)
                                         : sl__sarif_report(&b, report);
    if (b.failed || root == NULL) {
        sl_doc_free(b.doc);
        return sl__error(err, SL_ENOMEM, "out of memory writing the report");
    }
    rc = sl_json_write(root, flags & SL_JSON_PRETTY, out, err);
    sl_doc_free(b.doc);
    return rc;
}

/* ------------------------------------------------------------- rule files --- */

/* Reports a rule file error at the position of value `v`. */
static int sl__rules_error(sl_error *err, const char *name, const char *text, size_t len,
                           const sl_value *v, const char *what)
{
    int line = sl_value_line(v) > 0 ? sl_value_line(v) : 1;
    int column = sl_value_column(v) > 0 ? sl_value_column(v) : 1;

    sl__error_at(err, SL_ESCAN_RULES, text, len, sl_value_offset(v), "%s:%d:%d: %s", name,
                 line, column, what);
    return SL_ESCAN_RULES;
}

static int sl__rule_id_valid(sl_str id)
{
    size_t k;

    if (id.len == 0 || id.len > 64) {
        return 0;
    }
    for (k = 0; k < id.len; k++) {
        char c = id.ptr[k];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && k > 0))) {
            return 0;
        }
    }
    return 1;
}

/* Parses a `languages` value into language bits. Returns 0 on an unknown name. */
static unsigned sl__rule_languages(const sl_value *v, const sl_value **bad)
{
    unsigned bits = 0;
    size_t n = sl_value_kind(v) == SL_VALUE_ARRAY ? sl_value_count(v) : 1;
    size_t k;

    for (k = 0; k < n; k++) {
        const sl_value *item = sl_value_kind(v) == SL_VALUE_ARRAY ? sl_value_at(v, k) : v;
        sl_str s = sl_value_str(item);
        if (sl_value_kind(item) != SL_VALUE_STRING) {
            *bad = item;
            return 0;
        }
        if (sl__streq(s.ptr, s.len, "python")) {
            bits |= 1u << SL_SCAN_LANG_PYTHON;
        } else if (sl__streq(s.ptr, s.len, "javascript") || sl__streq(s.ptr, s.len, "js") ||
                   sl__streq(s.ptr, s.len, "typescript")) {
            bits |= 1u << SL_SCAN_LANG_JS;
        } else if (sl__streq(s.ptr, s.len, "shell") || sl__streq(s.ptr, s.len, "bash") ||
                   sl__streq(s.ptr, s.len, "sh")) {
            bits |= 1u << SL_SCAN_LANG_SHELL;
        } else if (sl__streq(s.ptr, s.len, "text") || sl__streq(s.ptr, s.len, "markdown")) {
            bits |= 1u << SL_SCAN_LANG_TEXT;
        } else if (sl__streq(s.ptr, s.len, "any")) {
            bits |= 0x1Eu;
        } else {
            *bad = item;
            return 0;
        }
    }
    return bits;
}

/* Copies the token pattern (words separated by blanks) into the scanner arena. */
static int sl__rule_pattern(sl_scanner *sc, sl__rule *r, sl_str p)
{
    size_t count = 0;
    size_t k = 0;

    r->tokens = (sl_str *)sl__arena_alloc(&sc->arena, 32 * sizeof(sl_str));
    if (r->tokens == NULL) {
        return SL_ENOMEM;
    }
    while (k < p.len) {
        size_t n = 0;
        while (k < p.len && (p.ptr[k] == ' ' || p.ptr[k] == '\t')) {
            k++;
        }
        while (k + n < p.len && p.ptr[k + n] != ' ' && p.ptr[k + n] != '\t') {
            n++;
        }
        if (n == 0) {
            break;
        }
        if (count == 32) {
            return SL_ELIMIT;
        }
        r->tokens[count].ptr = sl__arena_strndup(&sc->arena, p.ptr + k, n);
        if (r->tokens[count].ptr == NULL) {
            return SL_ENOMEM;
        }
        r->tokens[count].len = n;
        count++;
        k += n;
    }
    r->ntokens = count;
    return count == 0 ? SL_EINVAL : SL_OK;
}

typedef struct sl__rules_ctx {
    sl_scanner *sc;
    const char *name;
    const char *text;
    size_t len;
    sl_error *err;
} sl__rules_ctx;

static int sl__rules_fail(sl__rules_ctx *c, const sl_value *v, const char *what)
{
    return sl__rules_error(c->err, c->name, c->text, c->len, v, what);
}

/* Reads one entry of `rules:` into `r` (strings in the scanner arena). */
static int sl__rule_read(sl__rules_ctx *c, const sl_value *item, sl__rule *r, size_t first_new)
{
    static const char *const keys[] = {
        "id", "severity", "category", "message", "languages", "pattern", "substring", NULL
    };
    const sl_value *id = sl_value_get(item, "id");
    const sl_value *sev = sl_value_get(item, "severity");
    const sl_value *msg = sl_value_get(item, "message");
    const sl_value *cat = sl_value_get(item, "category");
    const sl_value *langs = sl_value_get(item, "languages");
    const sl_value *pat = sl_value_get(item, "pattern");
    const sl_value *sub = sl_value_get(item, "substring");
    const sl_value *bad = NULL;
    size_t k;
    int rc;

    if (sl_value_kind(item) != SL_VALUE_OBJECT) {
        return sl__rules_fail(c, item, "each entry of 'rules' must be a mapping with id, "
                              "severity, message and a pattern or substring");
    }
    for (k = 0; k < sl_value_count(item); k++) {
        sl_str key = sl_value_str(sl_value_key_at(item, k));
        if (!sl__in_words(key.ptr, key.len, keys)) {
            return sl__rules_fail(c, sl_value_key_at(item, k), "unknown key in a rule; use id, "
                                  "severity, category, message, languages, pattern or substring");
        }
    }
    if (sl_value_kind(id) != SL_VALUE_STRING || !sl__rule_id_valid(sl_value_str(id))) {
        return sl__rules_fail(c, id != NULL ? id : item, "rule 'id' must be 1-64 lowercase "
                              "letters, digits and '-'");
    }
    if (sl__rule_find(c->sc, sl_value_str(id).ptr, sl_value_str(id).len) >= 0) {
        return sl__rules_fail(c, id, "rule 'id' is already defined; pick a new id");
    }
    for (k = first_new; k < c->sc->nrules; k++) {
        if (sl__streq(sl_value_str(id).ptr, sl_value_str(id).len, c->sc->rules[k].id)) {
            return sl__rules_fail(c, id, "rule 'id' repeats an id of this file");
        }
    }
    memset(r, 0, sizeof(*r));
    r->severity = sl_scan_severity_parse(sl_value_str(sev).ptr, sl_value_str(sev).len);
    if (sl_value_kind(sev) != SL_VALUE_STRING || r->severity == 0) {
        return sl__rules_fail(c, sev != NULL ? sev : item, "rule 'severity' must be low, medium, "
                              "high or critical");
    }
    if (sl_value_kind(msg) != SL_VALUE_STRING || sl_value_str(msg).len == 0) {
        return sl__rules_fail(c, msg != NULL ? msg : item, "rule 'message' must be a non-empty "
                              "string saying what the code does");
    }
    if (cat != NULL && sl_value_kind(cat) != SL_VALUE_STRING) {
        return sl__rules_fail(c, cat, "rule 'category' must be a string");
    }
    r->languages = langs == NULL ? 0x1Eu : sl__rule_languages(langs, &bad);
    if (r->languages == 0) {
        return sl__rules_fail(c, bad != NULL ? bad : langs, "unknown language; use python, "
                              "javascript, shell, text or any");
    }
    if ((pat == NULL) == (sub == NULL)) {
        return sl__rules_fail(c, pat != NULL ? pat : item, "a rule needs exactly one of "
                              "'pattern' and 'substring'");
    }
    if (sl_value_kind(pat != NULL ? pat : sub) != SL_VALUE_STRING ||
        sl_value_str(pat != NULL ? pat : sub).len == 0) {
        return sl__rules_fail(c, pat != NULL ? pat : sub, "'pattern' and 'substring' must be "
                              "non-empty strings");
    }
    r->id = sl__arena_strndup(&c->sc->arena, sl_value_str(id).ptr, sl_value_str(id).len);
    r->message = sl__arena_strndup(&c->sc->arena, sl_value_str(msg).ptr, sl_value_str(msg).len);
    r->category = cat != NULL ? sl__arena_strndup(&c->sc->arena, sl_value_str(cat).ptr,
                                                  sl_value_str(cat).len)
                              : "custom";
    if (r->id == NULL || r->message == NULL || r->category == NULL) {
        return sl__error(c->err, SL_ENOMEM, "out of memory loading rules");
    }
    r->language = -1;
    r->enabled = 1;
    r->custom = 1;
    if (sub != NULL) {
        r->match = SL__MATCH_SUBSTRING;
        r->text_len = sl_value_str(sub).len;
        r->text = sl__arena_strndup(&c->sc->arena, sl_value_str(sub).ptr, r->text_len);
        return r->text == NULL ? sl__error(c->err, SL_ENOMEM, "out of memory loading rules")
                               : SL_OK;
    }
    r->match = SL__MATCH_TOKENS;
    rc = sl__rule_pattern(c->sc, r, sl_value_str(pat));
    if (rc == SL_ENOMEM) {
        return sl__error(c->err, SL_ENOMEM, "out of memory loading rules");
    }
    if (rc != SL_OK) {
        return sl__rules_fail(c, pat, "'pattern' must be 1-32 tokens separated by spaces");
    }
    return SL_OK;
}

/* Checks the `disable` list and `severity` map against the rules known after this file's
 * new rules; nothing is applied yet. */
static int sl__rules_check_changes(sl__rules_ctx *c, const sl_value *disable,
                                   const sl_value *sev)
{
    size_t k;

    if (disable != NULL && sl_value_kind(disable) != SL_VALUE_ARRAY) {
        return sl__rules_fail(c, disable, "'disable' must be a list of rule ids");
    }
    for (k = 0; k < sl_value_count(disable); k++) {
        const sl_value *v = sl_value_at(disable, k);
        if (sl_value_kind(v) != SL_VALUE_STRING ||
            sl__rule_find(c->sc, sl_value_str(v).ptr, sl_value_str(v).len) < 0) {
            char what[200];

            snprintf(what, sizeof(what), "unknown rule id \"%.80s\" in 'disable'; list the "
                     "ids with sl_scanner_rule_count and sl_scanner_rule_at",
                     sl_value_cstr(v));
            return sl__rules_fail(c, v, what);
        }
    }
    if (sev != NULL && sl_value_kind(sev) != SL_VALUE_OBJECT) {
        return sl__rules_fail(c, sev, "'severity' must map rule ids to low, medium, high or "
                              "critical");
    }
    for (k = 0; k < sl_value_count(sev); k++) {
        const sl_value *key = sl_value_key_at(sev, k);
        const sl_value *v = sl_value_at(sev, k);
        if (sl__rule_find(c->sc, sl_value_str(key).ptr, sl_value_str(key).len) < 0) {
            char what[200];

            snprintf(what, sizeof(what), "unknown rule id \"%.80s\" in 'severity'",
                     sl_value_cstr(key));
            return sl__rules_fail(c, key, what);
        }
        if (sl_value_kind(v) != SL_VALUE_STRING ||
            sl_scan_severity_parse(sl_value_str(v).ptr, sl_value_str(v).len) == 0) {
            return sl__rules_fail(c, v, "severity must be low, medium, high or critical");
        }
    }
    return SL_OK;
}

static int sl__rules_apply(sl__rules_ctx *c, const sl_value *root)
{
    const sl_value *rules = sl_value_get(root, "rules");
    const sl_value *disable = sl_value_get(root, "disable");
    const sl_value *sev = sl_value_get(root, "severity");
    sl_scanner *sc = c->sc;
    size_t first_new = sc->nrules;
    size_t k;
    int rc;

    for (k = 0; k < sl_value_count(root); k++) {
        sl_str key = sl_value_str(sl_value_key_at(root, k));
        if (!sl__streq(key.ptr, key.len, "rules") && !sl__streq(key.ptr, key.len, "disable") &&
            !sl__streq(key.ptr, key.len, "severity")) {
            return sl__rules_fail(c, sl_value_key_at(root, k), "unknown top-level key; use "
                                  "rules, disable or severity");
        }
    }
    if (rules != NULL && sl_value_kind(rules) != SL_VALUE_ARRAY) {
        return sl__rules_fail(c, rules, "'rules' must be a list of rule mappings");
    }
    if (sl__scanner_grow(sc, sc->nrules + sl_value_count(rules)) != SL_OK) {
        return sl__error(c->err, SL_ENOMEM, "out of memory loading rules");
    }
    for (k = 0; k < sl_value_count(rules); k++) {
        rc = sl__rule_read(c, sl_value_at(rules, k), &sc->rules[sc->nrules], first_new);
        if (rc != SL_OK) {
            sc->nrules = first_new;
            return rc;
        }
        sc->nrules++;
    }
    rc = sl__rules_check_changes(c, disable, sev);
    if (rc != SL_OK) {
        sc->nrules = first_new;
        return rc;
    }
    for (k = 0; k < sl_value_count(disable); k++) {
        sl_str id = sl_value_str(sl_value_at(disable, k));
        sc->rules[sl__rule_find(sc, id.ptr, id.len)].enabled = 0;
    }
    for (k = 0; k < sl_value_count(sev); k++) {
        sl_str id = sl_value_str(sl_value_key_at(sev, k));
        sl_str v = sl_value_str(sl_value_at(sev, k));
        sc->rules[sl__rule_find(sc, id.ptr, id.len)].severity = sl_scan_severity_parse(v.ptr,
                                                                                       v.len);
    }
    return SL_OK;
}

SKILLLITE_API int sl_scanner_load_rules(sl_scanner *scanner, const char *text, size_t len,
                                        const char *source_name, sl_error *err)
{
    sl_yaml_options opt;
    sl_error yerr;
    sl_doc *doc;
    sl__rules_ctx c;
    const sl_value *root;
    int rc;

    if (scanner == NULL || (text == NULL && len > 0)) {
        return sl__error(err, SL_EINVAL, "sl_scanner_load_rules: %s is NULL",
                         scanner == NULL ? "scanner" : "text");
    }
    c.sc = scanner;
    c.name = source_name != NULL ? source_name : "rules";
    c.text = text != NULL ? text : "";
    c.len = len;
    c.err = err;
    sl_yaml_options_init(&opt);
    opt.alloc = &scanner->alloc;
    sl_error_clear(&yerr);
    doc = sl_yaml_parse(c.text, len, &opt, &yerr);
    if (doc == NULL) {
        if (yerr.code == SL_ENOMEM) {
            return sl__error(err, SL_ENOMEM, "out of memory loading rules");
        }
        sl__error_at(err, SL_ESCAN_RULES, c.text, len, yerr.offset, "%s:%d:%d: invalid YAML: %s",
                     c.name, yerr.line, yerr.column, yerr.message);
        return SL_ESCAN_RULES;
    }
    root = sl_doc_root(doc);
    if (root != NULL && sl_value_kind(root) != SL_VALUE_OBJECT) {
        rc = sl__rules_fail(&c, root, "a rule file must be a mapping with rules, disable or "
                            "severity");
    } else {
        rc = sl__rules_apply(&c, root);
    }
    sl_doc_free(doc);
    return rc;
}

SKILLLITE_API int sl_scanner_load_rules_file(sl_scanner *scanner, const char *path,
                                             sl_error *err)
{
    char *data;
    size_t len;
    int rc;

    if (scanner == NULL || path == NULL) {
        return sl__error(err, SL_EINVAL, "sl_scanner_load_rules_file: %s is NULL",
                         scanner == NULL ? "scanner" : "path");
    }
    rc = sl_file_read(path, (size_t)1 << 20, &scanner->alloc, &data, &len, err);
    if (rc != SL_OK) {
        return rc;
    }
    rc = sl_scanner_load_rules(scanner, data, len, path, err);
    sl_free(&scanner->alloc, data, len + 1);
    return rc;
}

/* --------------------------------------------------------------- registry --- */

typedef struct sl__scan_id {
    char id[SL_SCAN_ID_SIZE];
    char sha256[65];
    uint64_t expires;
    int live;
} sl__scan_id;

struct sl_scan_registry {
    sl_allocator alloc;
    sl_scan_registry_config cfg;
    sl__scan_id *ids;
};

SKILLLITE_API void sl_scan_registry_config_init(sl_scan_registry_config *config)
{
    if (config == NULL) {
        return;
    }
    memset(config, 0, sizeof(*config));
    config->ttl_seconds = 300;
    config->max_entries = 1024;
}

SKILLLITE_API int sl_scan_registry_new(const sl_scan_registry_config *config,
                                       sl_scan_registry **out, sl_error *err)
{
    sl_allocator a;
    sl_scan_registry *r;

    if (out == NULL) {
        return sl__error(err, SL_EINVAL, "sl_scan_registry_new: out is NULL");
    }
    *out = NULL;
    if (config != NULL && (config->max_entries == 0 || config->max_entries > 1000000)) {
        return sl__error(err, SL_EINVAL, "sl_scan_registry_new: max_entries %zu is out of "
                         "range; use 1 to 1000000", config->max_entries);
    }
    a = sl__allocator_resolve(config != NULL ? config->alloc : NULL);
    r = (sl_scan_registry *)sl__calloc(&a, 1, sizeof(*r));
    if (r == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory creating a scan registry");
    }
    r->alloc = a;
    if (config != NULL) {
        r->cfg = *config;
    } else {
        sl_scan_registry_config_init(&r->cfg);
    }
    r->ids = (sl__scan_id *)sl__calloc(&a, r->cfg.max_entries, sizeof(sl__scan_id));
    if (r->ids == NULL) {
        sl__free(&a, r, sizeof(*r));
        return sl__error(err, SL_ENOMEM, "out of memory creating a scan registry");
    }
    *out = r;
    return SL_OK;
}

SKILLLITE_API void sl_scan_registry_free(sl_scan_registry *registry)
{
    sl_allocator a;

    if (registry == NULL) {
        return;
    }
    a = registry->alloc;
    sl__free(&a, registry->ids, registry->cfg.max_entries * sizeof(sl__scan_id));
    sl__free(&a, registry, sizeof(*registry));
}

static uint64_t sl__registry_now(const sl_scan_registry *r)
{
    return r->cfg.clock != NULL ? r->cfg.clock(r->cfg.clock_user) : sl_time_now_ns();
}

/* Fills `buf` with `len` random bytes from getrandom, else /dev/urandom. */
static int sl__random(unsigned char *buf, size_t len)
{
    size_t got = 0;
    int fd;

#if defined(__linux__) && defined(SYS_getrandom)
    while (got < len) {
        long n = syscall(SYS_getrandom, buf + got, len - got, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        got += (size_t)n;
    }
    if (got == len) {
        return SL_OK;
    }
#endif
    fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return SL_EIO;
    }
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            close(fd);
            return SL_EIO;
        }
        got += (size_t)n;
    }
    close(fd);
    return SL_OK;
}

SKILLLITE_API size_t sl_scan_registry_live(sl_scan_registry *registry)
{
    uint64_t now;
    size_t n = 0;
    size_t k;

    if (registry == NULL) {
        return 0;
    }
    now = sl__registry_now(registry);
    for (k = 0; k < registry->cfg.max_entries; k++) {
        n += registry->ids[k].live && now < registry->ids[k].expires;
    }
    return n;
}

SKILLLITE_API int sl_scan_registry_issue(sl_scan_registry *registry,
                                         const sl_scan_report *report,
                                         char id[SL_SCAN_ID_SIZE], sl_error *err)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char rnd[16];
    sl__scan_id *slot = NULL;
    uint64_t now;
    size_t k;

    if (registry == NULL || report == NULL || id == NULL) {
        const char *what = "id";
        if (registry == NULL) {
            what = "registry";
        } else if (report == NULL) {
            what = "report";
        }
        return sl__error(err, SL_EINVAL, "sl_scan_registry_issue: %s is NULL", what);
    }
    id[0] = '\0';
    now = sl__registry_now(registry);
    for (k = 0; k < registry->cfg.max_entries; k++) {
        sl__scan_id *e = &registry->ids[k];
        if (e->live && now >= e->expires) {
            e->live = 0;
        }
        if (!e->live && slot == NULL) {
            slot = e;
        }
    }
    if (slot == NULL) {
        return sl__error(err, SL_ELIMIT, "the scan registry holds %zu live ids (max_entries); "
                         "consume or let some expire first", registry->cfg.max_entries);
    }
    if (sl__random(rnd, sizeof(rnd)) != SL_OK) {
        return sl__error_sys(err, SL_EIO, "getrandom", errno, "no random bytes for a scan id "
                             "from getrandom or /dev/urandom");
    }
    memcpy(slot->id, "scan-", 5);
    for (k = 0; k < sizeof(rnd); k++) {
        slot->id[5 + 2 * k] = hex[rnd[k] >> 4];
        slot->id[6 + 2 * k] = hex[rnd[k] & 15];
    }
    slot->id[5 + 2 * sizeof(rnd)] = '\0';
    memcpy(slot->sha256, report->sha256, sizeof(slot->sha256));
    slot->expires = now + (uint64_t)registry->cfg.ttl_seconds * 1000000000ull;
    slot->live = 1;
    memcpy(id, slot->id, SL_SCAN_ID_SIZE);
    return SL_OK;
}

SKILLLITE_API int sl_scan_registry_consume(sl_scan_registry *registry, const char *id,
                                           const char *sha256_hex, sl_error *err)
{
    uint64_t now;
    size_t k;

    if (registry == NULL || id == NULL || sha256_hex == NULL) {
        const char *what = "sha256_hex";
        if (registry == NULL) {
            what = "registry";
        } else if (id == NULL) {
            what = "id";
        }
        return sl__error(err, SL_EINVAL, "sl_scan_registry_consume: %s is NULL", what);
    }
    now = sl__registry_now(registry);
    for (k = 0; k < registry->cfg.max_entries; k++) {
        sl__scan_id *e = &registry->ids[k];
        if (!e->live || strncmp(e->id, id, SL_SCAN_ID_SIZE) != 0) {
            continue;
        }
        e->live = 0;
        if (now >= e->expires) {
            break;
        }
        if (strncmp(e->sha256, sha256_hex, 65) != 0) {
            return sl__error(err, SL_ESCAN_MISMATCH, "scan id '%.40s' was issued for other "
                             "content (sha256 %.12s...); the files changed since that scan, so "
                             "scan them again", id, e->sha256);
        }
        return SL_OK;
    }
    return sl__error(err, SL_ESCAN_EXPIRED, "scan id '%.40s' is unknown, expired or already "
                     "used; scan the skill again for a new id", id);
}

/* ------------------------------------------------------------------- gate --- */

SKILLLITE_API void sl_scan_gate_options_init(sl_scan_gate_options *opt)
{
    if (opt == NULL) {
        return;
    }
    memset(opt, 0, sizeof(*opt));
    opt->confirm_severity = SL_SCAN_HIGH;
}

/* Applies the gate's decision to a finished report. */
static int sl__gate_decide(const sl_scan_gate_options *opt, const sl_scan_report *report,
                           sl_error *err)
{
    size_t critical = sl_scan_report_count_severity(report, SL_SCAN_CRITICAL);
    int threshold = opt->confirm_severity > 0 ? opt->confirm_severity : SL_SCAN_HIGH;
    char summary[160];
    int rc;

    if (opt->scan_id != NULL) {
        if (opt->registry == NULL) {
            return sl__error(err, SL_EINVAL, "sl_scan_gate: scan_id is set but registry is "
                             "NULL");
        }
        rc = sl_scan_registry_consume(opt->registry, opt->scan_id, report->sha256, err);
        if (rc != SL_OK) {
            return rc;
        }
    }
    sl_scan_report_summary(report, summary, sizeof(summary));
    if (critical > 0 && !opt->allow_critical) {
        return sl__error(err, SL_ESCAN_BLOCKED, "blocked: %s; critical findings run only with "
                         "the critical override and the host's confirmation", summary);
    }
    if (sl_scan_report_max_severity(report) < threshold) {
        return SL_OK;
    }
    if (opt->confirm == NULL) {
        return sl__error(err, SL_ESCAN_BLOCKED, "blocked: %s; these findings need the host's "
                         "confirmation and no confirm callback is set", summary);
    }
    if (opt->confirm(opt->confirm_user, report) != 1) {
        return sl__error(err, SL_ESCAN_BLOCKED, "blocked: %s; the host did not confirm the "
                         "run", summary);
    }
    return SL_OK;
}

static int sl__gate_finish(const sl_scan_gate_options *opt, int rc, sl_scan_report *rep,
                           sl_scan_report **report, sl_error *err)
{
    sl_scan_gate_options defaults;

    if (rc != SL_OK) {
        return rc;
    }
    if (opt == NULL) {
        sl_scan_gate_options_init(&defaults);
        opt = &defaults;
    }
    rc = sl__gate_decide(opt, rep, err);
    if (report != NULL) {
        *report = rep;
    } else {
        sl_scan_report_free(rep);
    }
    return rc;
}

SKILLLITE_API int sl_scan_gate(const sl_scan_gate_options *opt, const char *dir,
                               sl_scan_report **report, sl_error *err)
{
    sl_scan_report *rep = NULL;
    int rc;

    if (report != NULL) {
        *report = NULL;
    }
    rc = sl_scanner_scan_dir(opt != NULL ? opt->scanner : NULL, dir, &rep, err);
    return sl__gate_finish(opt, rc, rep, report, err);
}

SKILLLITE_API int sl_scan_gate_sources(const sl_scan_gate_options *opt,
                                       const sl_scan_source *sources, size_t count,
                                       sl_scan_report **report, sl_error *err)
{
    sl_scan_report *rep = NULL;
    int rc;

    if (report != NULL) {
        *report = NULL;
    }
    rc = sl_scanner_scan_sources(opt != NULL ? opt->scanner : NULL, sources, count, &rep, err);
    return sl__gate_finish(opt, rc, rep, report, err);
}

SKILLLITE_API int sl_scan_gate_skill(const sl_scan_gate_options *opt, const sl_skill *skill,
                                     sl_scan_report **report, sl_error *err)
{
    const char *dir = sl_skill_dir(skill);

    if (report != NULL) {
        *report = NULL;
    }
    if (skill == NULL || dir[0] == '\0') {
        return sl__error(err, SL_EINVAL, "sl_scan_gate_skill: %s; load the skill from its "
                         "folder with sl_skill_load", skill == NULL ? "skill is NULL"
                                                                    : "the skill has no folder");
    }
    return sl_scan_gate(opt, dir, report, err);
}
