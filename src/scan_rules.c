/* ================================================================== scan_rules ===
 * The rule table, finding emission, and the analyzers that walk each language's tokens:
 * a small expression evaluator for Python and JavaScript (aliases, constant folding,
 * value flags such as "decoded" or "from the network"), a command and pipeline walker
 * for shell, and a line and phrase reader for Markdown.
 */

#include <stdint.h>
#include <string.h>

/* What a rule detects. Each language maps a class to its own rule id (sl__rule_defs). */
enum {
    SL__C_EXEC_SHELL,      /* a command string run by a shell */
    SL__C_EXEC_PROCESS,    /* a program started without a shell */
    SL__C_DYNAMIC_CODE,    /* eval, exec, compile, Function, vm, shell eval */
    SL__C_DECODE_EXEC,     /* decoded data reaches an executing call */
    SL__C_OBFUSCATED,      /* a dangerous function reached through a built name */
    SL__C_DYNAMIC_IMPORT,  /* a module imported by a computed name */
    SL__C_DESERIALIZE,     /* pickle, marshal, unsafe YAML */
    SL__C_NETWORK,         /* network access */
    SL__C_DOWNLOAD_EXEC,   /* downloaded data executed */
    SL__C_SECRET,          /* credential or key files */
    SL__C_METADATA,        /* cloud instance metadata service */
    SL__C_ENV_EXFIL,       /* the whole environment collected, and network used */
    SL__C_WRITE_OUTSIDE,   /* writes or deletes outside the working folder */
    SL__C_PERSISTENCE,     /* cron, shell rc files, systemd, git hooks, ssh keys */
    SL__C_REVERSE_SHELL,   /* a shell wired to a socket */
    SL__C_MINER,           /* cryptocurrency miner */
    SL__C_FFI,             /* native code through ctypes or an FFI module */
    SL__C_NATIVE_EXEC,     /* executable memory from a scripting language */
    SL__C_OPAQUE,          /* very long or high-entropy literal */
    SL__C_DESTRUCTIVE,     /* wipes the home folder or the file system */
    SL__C_DISABLE_SAFETY,  /* turns off a firewall, SELinux, history, ... */
    SL__C_LD_PRELOAD,      /* library injection through the dynamic loader */
    SL__C_PRIVILEGE,       /* sudo, su, setuid */
    SL__C_OBF_COMMAND,     /* shell command name written with escapes or split quotes */
    SL__C_PASTE_TERMINAL,  /* Markdown requests pasting a command into a terminal */
    SL__C_PROMPT_INJECTION,/* Markdown tells the agent to ignore or hide instructions */
    SL__C_BINARY,          /* the skill ships a compiled executable */
    SL__C_SYMLINK,         /* a symlink that leaves the skill folder */
    SL__C_COUNT
};

typedef struct sl__rule_def {
    const char *id;
    int language;
    int cls;
    int severity;
    const char *category;
    const char *message;
} sl__rule_def;

#define SL__PY SL_SCAN_LANG_PYTHON
#define SL__JS SL_SCAN_LANG_JS
#define SL__SH SL_SCAN_LANG_SHELL
#define SL__MD SL_SCAN_LANG_TEXT
#define SL__LOW SL_SCAN_LOW
#define SL__MED SL_SCAN_MEDIUM
#define SL__HIGH SL_SCAN_HIGH
#define SL__CRIT SL_SCAN_CRITICAL

/* The built-in rules. Ids are stable: hosts and rule files refer to them. Severity
 * follows what a hostile skill needs: capabilities that ordinary tools also use are
 * medium, capabilities that let a script escape review are high, and patterns that only
 * attacks use are critical. */
static const sl__rule_def sl__rule_defs[] = {
    /* --- Python --- */
    /* os.system, os.popen, subprocess with shell=True: any string becomes a command. */
    {"py-exec-shell", SL__PY, SL__C_EXEC_SHELL, SL__HIGH, "process",
     "Runs a command line through a shell; a shell string can run any program the user can"},
    /* subprocess.run([...]), os.exec*, os.spawn*: starts another program. */
    {"py-exec-process", SL__PY, SL__C_EXEC_PROCESS, SL__MED, "process",
     "Starts another program; it runs outside what this script's code shows"},
    /* eval, exec, compile: runs code that is not in the file. */
    {"py-dynamic-code", SL__PY, SL__C_DYNAMIC_CODE, SL__HIGH, "dynamic-code",
     "Runs Python code built at run time (eval, exec or compile), which review cannot see"},
    /* exec(base64.b64decode(...)), exec(marshal.loads(...)), os.system(bytes.fromhex(...)) */
    {"py-decode-exec", SL__PY, SL__C_DECODE_EXEC, SL__CRIT, "obfuscation",
     "Decodes hidden data (base64, hex, zlib, marshal, rot13, char codes) and executes it"},
    /* getattr(builtins, "ex" + "ec"), __import__("o" + "s").system */
    {"py-obfuscated-call", SL__PY, SL__C_OBFUSCATED, SL__CRIT, "obfuscation",
     "Calls a dangerous function through a name assembled at run time, a way to hide it"},
    /* __import__(name), importlib.import_module(name) with a computed name */
    {"py-dynamic-import", SL__PY, SL__C_DYNAMIC_IMPORT, SL__MED, "dynamic-code",
     "Imports a module whose name is computed at run time, so review cannot tell which"},
    /* pickle.loads, marshal.loads, yaml.load without SafeLoader */
    {"py-unsafe-deserialize", SL__PY, SL__C_DESERIALIZE, SL__MED, "dynamic-code",
     "Deserializes with pickle, marshal or unsafe YAML, which can run code from the data"},
    /* socket, urllib, requests, httpx, ... */
    {"py-network", SL__PY, SL__C_NETWORK, SL__MED, "network",
     "Opens a network connection; data can leave the machine or code can come in"},
    /* exec(requests.get(url).text), urlretrieve + chmod +x */
    {"py-download-exec", SL__PY, SL__C_DOWNLOAD_EXEC, SL__CRIT, "download-exec",
     "Downloads data and executes it, so the code that runs is not the code reviewed"},
    /* ~/.ssh/id_rsa, ~/.aws/credentials, .env, /etc/shadow, ... */
    {"py-secret-read", SL__PY, SL__C_SECRET, SL__HIGH, "secrets",
     "Refers to a credential file (SSH keys, cloud credentials, .env, /etc/shadow)"},
    /* 169.254.169.254, metadata.google.internal */
    {"py-cloud-metadata", SL__PY, SL__C_METADATA, SL__HIGH, "secrets",
     "Contacts the cloud metadata service, which hands out the machine's credentials"},
    /* dict(os.environ) / os.environ.items() together with network access */
    {"py-env-exfil", SL__PY, SL__C_ENV_EXFIL, SL__HIGH, "exfiltration",
     "Collects the whole environment (where API keys live) in a file that uses the network"},
    /* open("/etc/...", "w"), shutil.rmtree("/..."), paths under ~ */
    {"py-write-outside", SL__PY, SL__C_WRITE_OUTSIDE, SL__MED, "filesystem",
     "Writes or deletes a file outside the skill's working folder"},
    /* crontab, ~/.bashrc, systemd units, .git/hooks, authorized_keys */
    {"py-persistence", SL__PY, SL__C_PERSISTENCE, SL__HIGH, "persistence",
     "Touches a place that runs code later (cron, shell rc files, systemd, git hooks, SSH "
     "authorized_keys)"},
    /* socket + os.dup2 + pty.spawn("/bin/sh") */
    {"py-reverse-shell", SL__PY, SL__C_REVERSE_SHELL, SL__CRIT, "reverse-shell",
     "Connects a shell to a network socket, giving a remote party control of the machine"},
    /* stratum+tcp://, xmrig */
    {"py-miner", SL__PY, SL__C_MINER, SL__CRIT, "miner",
     "Refers to cryptocurrency mining (pool address or miner program)"},
    /* import ctypes, cffi */
    {"py-ffi", SL__PY, SL__C_FFI, SL__MED, "native-code",
     "Calls native code through ctypes or cffi, outside Python's own checks"},
    /* ctypes with mmap PROT_EXEC, VirtualAlloc, mprotect */
    {"py-native-exec", SL__PY, SL__C_NATIVE_EXEC, SL__CRIT, "native-code",
     "Makes memory executable from Python, the usual way to run injected machine code"},
    /* a 300-character base64 blob, a 20 KB single-line literal */
    {"py-opaque-literal", SL__PY, SL__C_OPAQUE, SL__MED, "obfuscation",
     "Contains a very long or high-entropy literal, a common way to hide a payload"},

    /* --- JavaScript and TypeScript --- */
    /* child_process.exec / execSync, spawn with shell: true */
    {"js-exec-shell", SL__JS, SL__C_EXEC_SHELL, SL__HIGH, "process",
     "Runs a command line through a shell; a shell string can run any program the user can"},
    /* child_process.spawn / execFile / fork */
    {"js-exec-process", SL__JS, SL__C_EXEC_PROCESS, SL__MED, "process",
     "Starts another program; it runs outside what this script's code shows"},
    /* eval, new Function, vm.runIn*Context, setTimeout("code") */
    {"js-dynamic-code", SL__JS, SL__C_DYNAMIC_CODE, SL__HIGH, "dynamic-code",
     "Runs JavaScript built at run time (eval, Function, vm), which review cannot see"},
    /* eval(atob(...)), Function(Buffer.from(s, "base64").toString()) */
    {"js-decode-exec", SL__JS, SL__C_DECODE_EXEC, SL__CRIT, "obfuscation",
     "Decodes hidden data (base64, hex, char codes, URI escapes) and executes it"},
    /* global["ev" + "al"], require("child_" + "process") */
    {"js-obfuscated-call", SL__JS, SL__C_OBFUSCATED, SL__CRIT, "obfuscation",
     "Calls a dangerous function through a name assembled at run time, a way to hide it"},
    /* require(name) with a computed name */
    {"js-dynamic-require", SL__JS, SL__C_DYNAMIC_IMPORT, SL__MED, "dynamic-code",
     "Loads a module whose name is computed at run time, so review cannot tell which"},
    /* fetch, http(s).request, net.connect, axios */
    {"js-network", SL__JS, SL__C_NETWORK, SL__MED, "network",
     "Opens a network connection; data can leave the machine or code can come in"},
    /* eval(await (await fetch(u)).text()) */
    {"js-download-exec", SL__JS, SL__C_DOWNLOAD_EXEC, SL__CRIT, "download-exec",
     "Downloads data and executes it, so the code that runs is not the code reviewed"},
    {"js-secret-read", SL__JS, SL__C_SECRET, SL__HIGH, "secrets",
     "Refers to a credential file (SSH keys, cloud credentials, .env, /etc/shadow)"},
    {"js-cloud-metadata", SL__JS, SL__C_METADATA, SL__HIGH, "secrets",
     "Contacts the cloud metadata service, which hands out the machine's credentials"},
    /* JSON.stringify(process.env) with network access */
    {"js-env-exfil", SL__JS, SL__C_ENV_EXFIL, SL__HIGH, "exfiltration",
     "Collects the whole environment (where API keys live) in a file that uses the network"},
    {"js-write-outside", SL__JS, SL__C_WRITE_OUTSIDE, SL__MED, "filesystem",
     "Writes or deletes a file outside the skill's working folder"},
    {"js-persistence", SL__JS, SL__C_PERSISTENCE, SL__HIGH, "persistence",
     "Touches a place that runs code later (cron, shell rc files, systemd, git hooks, SSH "
     "authorized_keys)"},
    /* net.connect + spawn("/bin/sh") */
    {"js-reverse-shell", SL__JS, SL__C_REVERSE_SHELL, SL__CRIT, "reverse-shell",
     "Connects a shell to a network socket, giving a remote party control of the machine"},
    {"js-miner", SL__JS, SL__C_MINER, SL__CRIT, "miner",
     "Refers to cryptocurrency mining (pool address or miner program)"},
    /* ffi-napi, koffi, process.dlopen */
    {"js-ffi", SL__JS, SL__C_FFI, SL__MED, "native-code",
     "Loads native code through an FFI module or process.dlopen"},
    {"js-opaque-literal", SL__JS, SL__C_OPAQUE, SL__MED, "obfuscation",
     "Contains a very long or high-entropy literal, a common way to hide a payload"},

    /* --- shell --- */
    /* curl ... | sh, bash <(curl ...), sh -c "$(wget -O- ...)" */
    {"sh-download-exec", SL__SH, SL__C_DOWNLOAD_EXEC, SL__CRIT, "download-exec",
     "Pipes or passes a download straight into an interpreter, so unreviewed code runs"},
    /* echo ... | base64 -d | sh, eval "$(printf '\x..')" */
    {"sh-decode-exec", SL__SH, SL__C_DECODE_EXEC, SL__CRIT, "obfuscation",
     "Decodes hidden data (base64, hex, rot13, reversed text) and runs it"},
    /* eval, sh -c "$var" */
    {"sh-dynamic-code", SL__SH, SL__C_DYNAMIC_CODE, SL__HIGH, "dynamic-code",
     "Runs shell code built at run time (eval, sh -c with a variable), which review cannot "
     "see"},
    /* c"u"rl, $'\x63url', \curl */
    {"sh-obfuscated-command", SL__SH, SL__C_OBF_COMMAND, SL__MED, "obfuscation",
     "Writes a command name with escapes or split quotes, which hides it from a reader"},
    /* curl, wget, nc, ssh, scp */
    {"sh-network", SL__SH, SL__C_NETWORK, SL__MED, "network",
     "Uses the network (curl, wget, nc, ssh, ...); data can leave or code can come in"},
    /* /dev/tcp, nc -e, socat exec:, mkfifo + nc */
    {"sh-reverse-shell", SL__SH, SL__C_REVERSE_SHELL, SL__CRIT, "reverse-shell",
     "Connects a shell to a network socket, giving a remote party control of the machine"},
    {"sh-secret-read", SL__SH, SL__C_SECRET, SL__HIGH, "secrets",
     "Refers to a credential file (SSH keys, cloud credentials, .env, /etc/shadow)"},
    {"sh-cloud-metadata", SL__SH, SL__C_METADATA, SL__HIGH, "secrets",
     "Contacts the cloud metadata service, which hands out the machine's credentials"},
    /* env | curl -d @- ..., printenv with network use */
    {"sh-env-exfil", SL__SH, SL__C_ENV_EXFIL, SL__HIGH, "exfiltration",
     "Dumps the whole environment (where API keys live) in a script that uses the network"},
    /* > /etc/..., cp to ~/..., rm under / */
    {"sh-write-outside", SL__SH, SL__C_WRITE_OUTSIDE, SL__MED, "filesystem",
     "Writes or deletes a file outside the skill's working folder"},
    /* crontab, >> ~/.bashrc, systemctl enable, .git/hooks, authorized_keys */
    {"sh-persistence", SL__SH, SL__C_PERSISTENCE, SL__HIGH, "persistence",
     "Installs something that runs later (cron, shell rc files, systemd, git hooks, SSH "
     "authorized_keys)"},
    {"sh-miner", SL__SH, SL__C_MINER, SL__CRIT, "miner",
     "Refers to cryptocurrency mining (pool address or miner program)"},
    /* rm -rf ~, rm -rf /, mkfs, dd of=/dev/sda */
    {"sh-destructive", SL__SH, SL__C_DESTRUCTIVE, SL__CRIT, "destructive",
     "Deletes or overwrites the home folder, the root file system or a disk"},
    /* setenforce 0, ufw disable, iptables -F, unset HISTFILE */
    {"sh-disable-safety", SL__SH, SL__C_DISABLE_SAFETY, SL__HIGH, "defense-evasion",
     "Turns off a protection (firewall, SELinux, AppArmor, audit, shell history)"},
    /* LD_PRELOAD=/tmp/x.so */
    {"sh-ld-preload", SL__SH, SL__C_LD_PRELOAD, SL__HIGH, "native-code",
     "Injects a library into programs through LD_PRELOAD or DYLD_INSERT_LIBRARIES"},
    /* sudo, su, doas, chmod u+s */
    {"sh-privilege", SL__SH, SL__C_PRIVILEGE, SL__MED, "privilege",
     "Asks for more privileges (sudo, su, setuid bits)"},
    {"sh-opaque-literal", SL__SH, SL__C_OPAQUE, SL__MED, "obfuscation",
     "Contains a very long or high-entropy literal, a common way to hide a payload"},

    /* --- Markdown: SKILL.md and references/ --- */
    /* "run: curl https://x | bash" in prose (code blocks are scanned as shell) */
    {"md-download-exec", SL__MD, SL__C_DOWNLOAD_EXEC, SL__CRIT, "instructions",
     "Tells the reader to pipe a download into a shell, which runs unreviewed code"},
    /* "paste this into your terminal" */
    {"md-paste-terminal", SL__MD, SL__C_PASTE_TERMINAL, SL__MED, "instructions",
     "Asks the user or agent to paste a command into a terminal, bypassing review"},
    /* "disable the sandbox", "--dangerously-skip-permissions" */
    {"md-disable-safety", SL__MD, SL__C_DISABLE_SAFETY, SL__HIGH, "instructions",
     "Tells the reader to turn off a safety measure (sandbox, antivirus, confirmation)"},
    /* "ignore previous instructions", "do not tell the user" */
    {"md-prompt-injection", SL__MD, SL__C_PROMPT_INJECTION, SL__HIGH, "instructions",
     "Tells the agent to ignore its instructions or hide actions from the user"},
    /* "read ~/.ssh/id_rsa" */
    {"md-secret-read", SL__MD, SL__C_SECRET, SL__HIGH, "instructions",
     "Mentions a credential file or the cloud metadata service in the instructions"},

    /* --- the skill's files themselves --- */
    /* an ELF, Mach-O or PE file in the skill */
    {"file-executable-binary", SL_SCAN_LANG_NONE, SL__C_BINARY, SL__MED, "native-code",
     "Ships a compiled executable, which cannot be reviewed like a script"},
    /* scripts/x -> /etc/passwd, data -> ../../.ssh */
    {"file-symlink-escape", SL_SCAN_LANG_NONE, SL__C_SYMLINK, SL__HIGH, "filesystem",
     "Contains a symlink that points outside the skill folder"},
};

#define SL__RULE_BUILTIN_COUNT (sizeof(sl__rule_defs) / sizeof(sl__rule_defs[0]))

/* ------------------------------------------------------------------ objects --- */

/* Kinds of custom rule matchers. */
#define SL__MATCH_NONE 0
#define SL__MATCH_TOKENS 1
#define SL__MATCH_SUBSTRING 2

typedef struct sl__rule {
    const char *id;
    const char *category;
    const char *message;
    int severity;
    int language;        /* built in: its language; custom: -1 for any */
    unsigned languages;  /* custom: bit (1 << language) per language */
    int enabled;
    int custom;
    int match;           /* SL__MATCH_* for custom rules */
    const char *text;    /* substring bytes, or the pattern */
    size_t text_len;
    sl_str *tokens;      /* token pattern */
    size_t ntokens;
} sl__rule;

/* Sink and folding functions, by qualified name (see sl__sinks). */
typedef struct sl__sink_slot {
    const char *name;
    size_t len;
    uint32_t hash;
    int action;
    unsigned langs;
} sl__sink_slot;

struct sl_scanner {
    sl_allocator alloc;
    sl_scan_config cfg;
    sl__arena arena;          /* custom rule strings */
    sl__rule *rules;
    size_t nrules;
    size_t cap;
    int16_t by_class[5][SL__C_COUNT];  /* rule index per language and class, -1 none */
    sl__sink_slot *sinks;     /* open addressing, power-of-two size */
    size_t sink_mask;
    uint8_t needle_pairs[8192];  /* bit per lowercase byte pair that starts a needle */
};

struct sl_scan_report {
    sl_allocator alloc;
    sl__arena arena;
    sl_scan_finding *findings;
    size_t count;
    size_t cap;
    size_t dropped;
    char sha256[65];
    size_t files;
    size_t bytes;
};

/* State of one scan call. */
typedef struct sl__scan {
    const sl_scanner *scanner;
    sl_scan_report *report;
    sl_error *err;
    int status;
    const char **interned;     /* per rule: id, category, message copied into the report */
    size_t fold_budget;        /* bytes the constant folder may still produce */
} sl__scan;

#define SL__MAX_PER_RULE 50   /* findings of one rule kept per file */
#define SL__SUBSCAN_DEPTH 3   /* strings scanned as code inside code */

/* File-level facts that combined rules look at. */
enum {
    SL__F_NETWORK, SL__F_SOCKET, SL__F_DUP2, SL__F_PTY, SL__F_PROCESS, SL__F_SHELLSTR,
    SL__F_ENV_WHOLE, SL__F_DOWNLOAD_FILE, SL__F_CHMOD_EXEC, SL__F_CTYPES, SL__F_EXEC_MEM,
    SL__F_MKFIFO, SL__F_NETCAT, SL__F_DYN_EVAL, SL__F_WRITE_FILE, SL__F_COUNT
};

/* The file a finding is reported in, shared by the scans of strings inside it. */
typedef struct sl__root {
    const char *path;       /* report-owned */
    const char *text;
    size_t len;
    uint32_t *lines;        /* line start offsets, built on the first finding */
    size_t nlines;
    uint64_t *seen;         /* (rule, offset) keys already reported, open addressing */
    size_t seen_mask;
    size_t seen_count;
    uint16_t *per_rule;     /* findings kept per rule */
} sl__root;

/* A variable or alias and what it currently holds. */
typedef struct sl__var {
    const char *name;
    size_t len;
    uint32_t hash;
    int used;
    struct sl__val *val;
} sl__var;

/* A value as far as the evaluator tracks it. */
#define SL__V_NONE 0    /* unknown */
#define SL__V_NAME 1    /* a module, function or attribute with a qualified name */
#define SL__V_STR 2     /* a known string */
#define SL__V_LIST 3    /* a list of known strings */
#define SL__V_INTS 4    /* a list of known integers */
#define SL__V_INT 5     /* a known integer */
#define SL__V_METHOD 6  /* a method of a known string or list, not called yet */

#define SL__VF_DECODED 0x01     /* produced by a decoder */
#define SL__VF_OBFUSCATED 0x02  /* assembled from pieces or reached indirectly */
#define SL__VF_NETWORK 0x04     /* read from the network */
#define SL__VF_ENV 0x08         /* the whole environment */
#define SL__VF_GENERATED 0x10   /* a list built by a comprehension over known integers */
#define SL__VF_CHR_OF_VAR 0x20  /* chr(x) of an unknown x, for chr(c) for c in [...] */
#define SL__VF_LITERAL 0x40     /* exactly one plain literal token */

typedef struct sl__val {
    int kind;
    unsigned flags;
    const char *s;          /* NAME: qualified name; STR: bytes; METHOD: method name;
                               NONE: last attribute name when known */
    size_t len;
    const sl_str *items;    /* LIST */
    const int64_t *ints;    /* INTS */
    size_t count;
    int64_t num;            /* INT */
    const struct sl__val *base;  /* METHOD */
    size_t off;             /* byte offset where the expression starts */
} sl__val;

typedef struct sl__file sl__file;

/* One piece of code or text being analyzed: a whole file, or a string inside one. */
struct sl__file {
    sl__scan *scan;
    sl__root *root;
    sl__file *parent;
    sl__lex lx;
    int language;
    int depth;            /* 0 for a file, +1 per string scanned as code */
    size_t base;          /* root offset of this text's byte 0 when `exact` */
    int exact;            /* offsets map 1:1 onto the root; else all go to `anchor` */
    size_t anchor;
    sl__arena arena;      /* values, folded strings, variables */
    sl__var *vars;
    size_t var_mask;
    size_t var_count;
    const char *stars[8]; /* modules imported with `from m import *` */
    int nstars;
    int display;          /* > 0 while evaluating arguments of print() and the like */
    size_t *pending;      /* token ranges left for later at the depth limit */
    size_t npending;
    size_t pending_cap;
    unsigned facts;
    size_t fact_at[SL__F_COUNT];   /* root offset of each fact's first sighting */
    struct sl__sub *sub_head;      /* strings queued to be scanned as code */
    struct sl__sub *sub_tail;
};

/* -------------------------------------------------------------- emission --- */

static int sl__scan_fail(sl__scan *scan, int code)
{
    if (scan->status == SL_OK) {
        scan->status = code;
        if (code == SL_ENOMEM) {
            sl__error(scan->err, code, "out of memory while scanning");
        }
    }
    return scan->status;
}

/* Maps an offset of `f`'s text to an offset of the root file. */
static size_t sl__root_offset(const sl__file *f, size_t off)
{
    return f->exact ? f->base + off : f->anchor;
}

static int sl__root_lines(sl__scan *scan, sl__root *root)
{
    const sl_allocator *a = &scan->report->alloc;
    size_t count = 1;
    size_t i;

    if (root->lines != NULL) {
        return SL_OK;
    }
    for (i = 0; i < root->len; i++) {
        count += root->text[i] == '\n';
    }
    root->lines = (uint32_t *)sl__calloc(a, count, sizeof(uint32_t));
    if (root->lines == NULL) {
        return sl__scan_fail(scan, SL_ENOMEM);
    }
    root->nlines = 0;
    root->lines[root->nlines++] = 0;
    for (i = 0; i < root->len; i++) {
        if (root->text[i] == '\n' && root->nlines < count) {
            root->lines[root->nlines++] = (uint32_t)(i + 1);
        }
    }
    return SL_OK;
}

/* Returns 1 the first time (rule, offset) is seen for this root, else 0. */
static int sl__root_first(sl__scan *scan, sl__root *root, size_t rule, size_t off)
{
    const sl_allocator *a = &scan->report->alloc;
    uint64_t key = ((uint64_t)(rule + 1) << 40) ^ (uint64_t)off;
    size_t k;

    if (root->seen == NULL || (root->seen_count + 1) * 2 > root->seen_mask + 1) {
        size_t ncap = root->seen == NULL ? 64 : (root->seen_mask + 1) * 2;
        uint64_t *table = (uint64_t *)sl__calloc(a, ncap, sizeof(uint64_t));
        if (table == NULL) {
            sl__scan_fail(scan, SL_ENOMEM);
            return 0;
        }
        if (root->seen != NULL) {
            for (k = 0; k <= root->seen_mask; k++) {
                if (root->seen[k] != 0) {
                    size_t j = (size_t)(root->seen[k] * 0x9E3779B97F4A7C15ull) & (ncap - 1);
                    while (table[j] != 0) {
                        j = (j + 1) & (ncap - 1);
                    }
                    table[j] = root->seen[k];
                }
            }
            sl__free(a, root->seen, (root->seen_mask + 1) * sizeof(uint64_t));
        }
        root->seen = table;
        root->seen_mask = ncap - 1;
    }
    k = (size_t)(key * 0x9E3779B97F4A7C15ull) & root->seen_mask;
    while (root->seen[k] != 0) {
        if (root->seen[k] == key) {
            return 0;
        }
        k = (k + 1) & root->seen_mask;
    }
    root->seen[k] = key;
    root->seen_count++;
    return 1;
}

/* Copies the rule's strings into the report once, so reports outlive the scanner. */
static int sl__intern_rule(sl__scan *scan, size_t rule)
{
    const sl__rule *r = &scan->scanner->rules[rule];
    sl__arena *arena = &scan->report->arena;

    if (scan->interned[rule * 3] != NULL) {
        return SL_OK;
    }
    scan->interned[rule * 3] = sl__arena_strndup(arena, r->id, strlen(r->id));
    scan->interned[rule * 3 + 1] = sl__arena_strndup(arena, r->category, strlen(r->category));
    scan->interned[rule * 3 + 2] = sl__arena_strndup(arena, r->message, strlen(r->message));
    if (scan->interned[rule * 3] == NULL || scan->interned[rule * 3 + 1] == NULL ||
        scan->interned[rule * 3 + 2] == NULL) {
        scan->interned[rule * 3] = NULL;
        return sl__scan_fail(scan, SL_ENOMEM);
    }
    return SL_OK;
}

/* Builds the trimmed source line around `off`, cut to 160 bytes on a UTF-8 boundary. */
static const char *sl__snippet(sl__scan *scan, const sl__root *root, size_t line_start)
{
    size_t a = line_start;
    size_t b = line_start;

    while (b < root->len && root->text[b] != '\n') {
        b++;
    }
    while (a < b && (root->text[a] == ' ' || root->text[a] == '\t')) {
        a++;
    }
    while (b > a && (root->text[b - 1] == ' ' || root->text[b - 1] == '\t' ||
                     root->text[b - 1] == '\r')) {
        b--;
    }
    if (b - a > 160) {
        b = a + 160;
        while (b > a && ((unsigned char)root->text[b] & 0xC0) == 0x80) {
            b--;
        }
    }
    return sl__arena_strndup(&scan->report->arena, root->text + a, b - a);
}

static int sl__report_push(sl__scan *scan, const sl_scan_finding *finding)
{
    sl_scan_report *rep = scan->report;

    if (rep->count == rep->cap) {
        size_t ncap = rep->cap == 0 ? 32 : rep->cap * 2;
        sl_scan_finding *p = (sl_scan_finding *)sl__realloc(
            &rep->alloc, rep->findings, rep->cap * sizeof(*p), ncap * sizeof(*p));
        if (p == NULL) {
            return sl__scan_fail(scan, SL_ENOMEM);
        }
        rep->findings = p;
        rep->cap = ncap;
    }
    rep->findings[rep->count++] = *finding;
    return SL_OK;
}

/* Reports rule `rule` (scanner index) at byte `root_off` of the root file. */
static void sl__emit_rule(sl__scan *scan, sl__root *root, size_t rule, size_t root_off)
{
    const sl__rule *r = &scan->scanner->rules[rule];
    sl_scan_finding finding;
    size_t lo = 0;
    size_t hi;
    size_t line_start;
    const char *p;

    if (scan->status != SL_OK || !r->enabled || r->severity < scan->scanner->cfg.min_severity) {
        return;
    }
    if (root_off > root->len) {
        root_off = root->len;
    }
    if (!sl__root_first(scan, root, rule, root_off)) {
        return;
    }
    if (root->per_rule[rule] >= SL__MAX_PER_RULE ||
        scan->report->count >= scan->scanner->cfg.max_findings) {
        scan->report->dropped++;
        return;
    }
    root->per_rule[rule]++;
    if (sl__root_lines(scan, root) != SL_OK || sl__intern_rule(scan, rule) != SL_OK) {
        return;
    }
    hi = root->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (root->lines[mid] <= root_off) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    line_start = root->lines[lo];
    memset(&finding, 0, sizeof(finding));
    finding.rule_id = scan->interned[rule * 3];
    finding.category = scan->interned[rule * 3 + 1];
    finding.message = scan->interned[rule * 3 + 2];
    finding.severity = r->severity;
    finding.path = root->path;
    finding.line = (int)lo + 1;
    p = root->text + line_start;
    finding.column = (int)sl__utf8_count(p, root_off - line_start) + 1;
    finding.offset = root_off;
    finding.snippet = sl__snippet(scan, root, line_start);
    if (finding.snippet == NULL) {
        sl__scan_fail(scan, SL_ENOMEM);
        return;
    }
    sl__report_push(scan, &finding);
}

/* Reports class `cls` in `f`'s language at offset `off` of `f`'s text. */
static void sl__emit(sl__file *f, int cls, size_t off)
{
    int rule = f->scan->scanner->by_class[f->language][cls];

    if (rule >= 0) {
        sl__emit_rule(f->scan, f->root, (size_t)rule, sl__root_offset(f, off));
    }
}

/* Same, with an offset that is already in the root file. */
static void sl__emit_root(sl__file *f, int cls, size_t root_off)
{
    int rule = f->scan->scanner->by_class[f->language][cls];

    if (rule >= 0) {
        sl__emit_rule(f->scan, f->root, (size_t)rule, root_off);
    }
}

/* Records a fact at `off` of `f`'s text (the first sighting wins). */
static void sl__fact(sl__file *f, int fact, size_t off)
{
    if (!(f->facts & (1u << fact))) {
        f->facts |= 1u << fact;
        f->fact_at[fact] = sl__root_offset(f, off);
    }
}

static int sl__has(const sl__file *f, int fact)
{
    return (f->facts & (1u << fact)) != 0;
}

/* ---------------------------------------------------------------- needles --- */

/* Text inside string literals, shell words and prose that gives a string away. Matched
 * case-insensitively anywhere in the string, except `component` needles, which must be a
 * whole path component (so ".env" matches "app/.env" but not ".envrc" or "a.env"). */
typedef struct sl__needle {
    const char *text;
    int cls;           /* SL__C_SECRET, SL__C_METADATA, SL__C_PERSISTENCE, ... */
    int component;
    int strong;        /* also reported in Markdown prose */
} sl__needle;

static const sl__needle sl__needles[] = {
    /* credentials */
    {".ssh", SL__C_SECRET, 1, 0},
    {"id_rsa", SL__C_SECRET, 0, 1},
    {"id_dsa", SL__C_SECRET, 0, 1},
    {"id_ecdsa", SL__C_SECRET, 0, 1},
    {"id_ed25519", SL__C_SECRET, 0, 1},
    {".aws/credentials", SL__C_SECRET, 0, 1},
    {".aws/config", SL__C_SECRET, 0, 0},
    {".azure", SL__C_SECRET, 1, 0},
    {".config/gcloud", SL__C_SECRET, 0, 1},
    {"application_default_credentials.json", SL__C_SECRET, 0, 1},
    {".kube/config", SL__C_SECRET, 0, 1},
    {".docker/config.json", SL__C_SECRET, 0, 1},
    {".netrc", SL__C_SECRET, 1, 0},
    {".pgpass", SL__C_SECRET, 1, 0},
    {".npmrc", SL__C_SECRET, 1, 0},
    {".pypirc", SL__C_SECRET, 1, 0},
    {".git-credentials", SL__C_SECRET, 1, 1},
    {".env", SL__C_SECRET, 1, 0},
    {"/etc/shadow", SL__C_SECRET, 0, 1},
    {"/etc/gshadow", SL__C_SECRET, 0, 1},
    {"/etc/sudoers", SL__C_SECRET, 0, 0},
    {".bash_history", SL__C_SECRET, 0, 0},
    {".zsh_history", SL__C_SECRET, 0, 0},
    {".gnupg", SL__C_SECRET, 1, 0},
    {".password-store", SL__C_SECRET, 1, 0},
    {"login data", SL__C_SECRET, 0, 0},
    {"cookies.sqlite", SL__C_SECRET, 0, 0},
    {"logins.json", SL__C_SECRET, 0, 0},
    {"wallet.dat", SL__C_SECRET, 0, 1},
    {"login.keychain", SL__C_SECRET, 0, 1},
    {"/var/run/secrets/kubernetes.io", SL__C_SECRET, 0, 1},
    /* cloud metadata services (AWS, GCP, Azure, Alibaba, ECS task role) */
    {"169.254.169.254", SL__C_METADATA, 0, 1},
    {"metadata.google.internal", SL__C_METADATA, 0, 1},
    {"100.100.100.200", SL__C_METADATA, 0, 1},
    {"fd00:ec2::254", SL__C_METADATA, 0, 1},
    {"169.254.170.2", SL__C_METADATA, 0, 1},
    {"/latest/meta-data", SL__C_METADATA, 0, 1},
    {"/computemetadata/v1", SL__C_METADATA, 0, 1},
    /* places that run code later */
    {".bashrc", SL__C_PERSISTENCE, 1, 0},
    {".bash_profile", SL__C_PERSISTENCE, 1, 0},
    {".bash_login", SL__C_PERSISTENCE, 1, 0},
    {".profile", SL__C_PERSISTENCE, 1, 0},
    {".zshrc", SL__C_PERSISTENCE, 1, 0},
    {".zprofile", SL__C_PERSISTENCE, 1, 0},
    {".zshenv", SL__C_PERSISTENCE, 1, 0},
    {"/etc/profile", SL__C_PERSISTENCE, 0, 0},
    {"/etc/bash.bashrc", SL__C_PERSISTENCE, 0, 0},
    {"/etc/cron", SL__C_PERSISTENCE, 0, 0},
    {"/var/spool/cron", SL__C_PERSISTENCE, 0, 0},
    {"/etc/systemd/", SL__C_PERSISTENCE, 0, 0},
    {".config/systemd", SL__C_PERSISTENCE, 0, 0},
    {"/lib/systemd/system", SL__C_PERSISTENCE, 0, 0},
    {"/etc/init.d", SL__C_PERSISTENCE, 0, 0},
    {"/etc/rc.local", SL__C_PERSISTENCE, 0, 0},
    {".config/autostart", SL__C_PERSISTENCE, 0, 0},
    {"/etc/xdg/autostart", SL__C_PERSISTENCE, 0, 0},
    {"launchagents", SL__C_PERSISTENCE, 0, 0},
    {"launchdaemons", SL__C_PERSISTENCE, 0, 0},
    {".git/hooks", SL__C_PERSISTENCE, 0, 0},
    {"authorized_keys", SL__C_PERSISTENCE, 0, 0},
    {"/etc/ld.so.preload", SL__C_PERSISTENCE, 0, 0},
    {"/etc/update-motd.d", SL__C_PERSISTENCE, 0, 0},
    {"sitecustomize.py", SL__C_PERSISTENCE, 0, 0},
    /* shells wired to sockets */
    {"/dev/tcp/", SL__C_REVERSE_SHELL, 0, 1},
    {"/dev/udp/", SL__C_REVERSE_SHELL, 0, 1},
    {"nc -e ", SL__C_REVERSE_SHELL, 0, 1},
    {"ncat -e ", SL__C_REVERSE_SHELL, 0, 1},
    {"netcat -e ", SL__C_REVERSE_SHELL, 0, 1},
    {"-e /bin/sh", SL__C_REVERSE_SHELL, 0, 1},
    {"-e /bin/bash", SL__C_REVERSE_SHELL, 0, 1},
    {"bash -i >&", SL__C_REVERSE_SHELL, 0, 1},
    {"sh -i >&", SL__C_REVERSE_SHELL, 0, 1},
    {"exec:/bin/", SL__C_REVERSE_SHELL, 0, 1},
    {"exec:bash", SL__C_REVERSE_SHELL, 0, 1},
    /* miners and mining pools */
    {"stratum+tcp://", SL__C_MINER, 0, 1},
    {"stratum+ssl://", SL__C_MINER, 0, 1},
    {"stratum2+tcp://", SL__C_MINER, 0, 1},
    {"xmrig", SL__C_MINER, 0, 1},
    {"minerd", SL__C_MINER, 1, 1},
    {"cpuminer", SL__C_MINER, 0, 1},
    {"cryptonight", SL__C_MINER, 0, 1},
    {"nicehash", SL__C_MINER, 0, 1},
    {"minexmr", SL__C_MINER, 0, 1},
    {"supportxmr", SL__C_MINER, 0, 1},
    {"moneroocean", SL__C_MINER, 0, 1},
    {"hashvault.pro", SL__C_MINER, 0, 1},
    {"nanopool.org", SL__C_MINER, 0, 1},
    {"--donate-level", SL__C_MINER, 0, 1},
    {"coinhive", SL__C_MINER, 0, 1},
    {"ethminer", SL__C_MINER, 0, 1},
    {"lolminer", SL__C_MINER, 0, 1},
};

#define SL__NEEDLE_COUNT (sizeof(sl__needles) / sizeof(sl__needles[0]))

static unsigned char sl__lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static unsigned sl__pair(unsigned char a, unsigned char b)
{
    return ((unsigned)sl__lower(a) << 8) | sl__lower(b);
}

static void sl__needles_index(sl_scanner *s)
{
    size_t k;

    memset(s->needle_pairs, 0, sizeof(s->needle_pairs));
    for (k = 0; k < SL__NEEDLE_COUNT; k++) {
        const unsigned char *t = (const unsigned char *)sl__needles[k].text;
        unsigned p = sl__pair(t[0], t[1]);
        s->needle_pairs[p >> 3] |= (uint8_t)(1u << (p & 7));
    }
}

static int sl__is_path_sep(unsigned char c)
{
    return c == '/' || c == '\\' || c == '~' || c == '"' || c == '\'' || c == ' ' ||
           c == '=' || c == ':' || c == '@' || c == '<' || c == '>' || c == '$' || c == '}';
}

/* Case-insensitive compare of `n` bytes of `s` with lowercase `t`. */
static int sl__eq_nocase(const char *s, const char *t, size_t n)
{
    size_t k;

    for (k = 0; k < n; k++) {
        if (sl__lower((unsigned char)s[k]) != (unsigned char)t[k]) {
            return 0;
        }
    }
    return 1;
}

/* Finds needles in `s`. Calls `hit` for the first match of each class (bit `classes`
 * filters which classes count; `strong_only` keeps only needles marked strong). Returns
 * the classes found, as bits (1 << cls). */
static unsigned sl__needles_find(const sl_scanner *sc, const char *s, size_t len,
                                 unsigned classes, int strong_only)
{
    unsigned found = 0;
    size_t i;
    size_t k;

    for (i = 0; i + 1 < len; i++) {
        unsigned p = sl__pair((unsigned char)s[i], (unsigned char)s[i + 1]);
        if (!(sc->needle_pairs[p >> 3] & (1u << (p & 7)))) {
            continue;
        }
        for (k = 0; k < SL__NEEDLE_COUNT; k++) {
            const sl__needle *nd = &sl__needles[k];
            unsigned bit = 1u << nd->cls;
            size_t n;
            if ((unsigned char)nd->text[0] != sl__lower((unsigned char)s[i]) ||
                (unsigned char)nd->text[1] != sl__lower((unsigned char)s[i + 1]) ||
                !(classes & bit) || (found & bit) || (strong_only && !nd->strong)) {
                continue;
            }
            n = strlen(nd->text);
            if (n > len - i || !sl__eq_nocase(s + i, nd->text, n)) {
                continue;
            }
            if (nd->component && ((i > 0 && !sl__is_path_sep((unsigned char)s[i - 1])) ||
                                  (i + n < len && !sl__is_path_sep((unsigned char)s[i + n]) &&
                                   s[i + n] != '.'))) {
                continue;
            }
            if (nd->component && i + n < len && s[i + n] == '.' && nd->cls == SL__C_SECRET) {
                /* ".env.example" and ".env.sample" are templates, not secrets */
                continue;
            }
            found |= bit;
        }
    }
    return found;
}

#define SL__CLASSES_MENTION ((1u << SL__C_SECRET) | (1u << SL__C_METADATA) | \
                             (1u << SL__C_PERSISTENCE))
#define SL__CLASSES_ALWAYS ((1u << SL__C_REVERSE_SHELL) | (1u << SL__C_MINER))

/* Checks a string value of `f` at offset `off`. In a display context (print, help text,
 * echo) only reverse shells and miners count, because mentioning a path is not using it. */
static void sl__check_string(sl__file *f, const char *s, size_t len, size_t off)
{
    unsigned classes = SL__CLASSES_ALWAYS | (f->display > 0 ? 0 : SL__CLASSES_MENTION);
    unsigned found = sl__needles_find(f->scan->scanner, s, len, classes, 0);
    int cls;

    for (cls = 0; found != 0 && cls < SL__C_COUNT; cls++) {
        if (found & (1u << cls)) {
            sl__emit(f, cls, off);
        }
    }
}

/* log2(x) for x > 0 without libm: scale into [1, 2), then the atanh series of the
 * natural logarithm, which converges fast there (|y| <= 1/3). */
static double sl__log2(double x)
{
    double y;
    double y2;
    double term;
    double ln = 0.0;
    int e = 0;
    int k;

    while (x < 1.0) {
        x *= 2.0;
        e--;
    }
    while (x >= 2.0) {
        x /= 2.0;
        e++;
    }
    y = (x - 1.0) / (x + 1.0);
    y2 = y * y;
    term = y;
    for (k = 1; k < 40; k += 2) {
        ln += term / k;
        term *= y2;
    }
    return e + 2.0 * ln / 0.6931471805599453;
}

/* Shannon entropy of the bytes, in bits per byte. */
static double sl__entropy(const unsigned char *s, size_t len)
{
    size_t counts[256];
    double h = 0.0;
    size_t k;

    memset(counts, 0, sizeof(counts));
    for (k = 0; k < len; k++) {
        counts[s[k]]++;
    }
    for (k = 0; k < 256; k++) {
        if (counts[k] != 0) {
            double p = (double)counts[k] / (double)len;
            h -= p * sl__log2(p);
        }
    }
    return h;
}

/* Flags a literal that is very long or looks like an encoded blob: 256+ bytes that are
 * all base64 or hex characters, or 256+ bytes with entropy of 5.2 bits per byte or more
 * (English prose stays near 4.2 and base64 reaches 6), or 64 KiB without whitespace. */
static void sl__check_opaque(sl__file *f, const char *s, size_t len, size_t off)
{
    size_t k;
    size_t b64 = 0;
    size_t hex = 0;
    size_t space = 0;

    if (len < 256) {
        return;
    }
    for (k = 0; k < len; k++) {
        unsigned char c = (unsigned char)s[k];
        int is_hex = sl__hex_digit(c) >= 0;
        hex += is_hex;
        b64 += is_hex || (c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z') || c == '+' ||
               c == '/' || c == '=' || c == '-' || c == '_';
        space += c == ' ' || c == '\n' || c == '\t';
    }
    if (b64 == len || hex == len || (len >= 65536 && space * 200 < len) ||
        sl__entropy((const unsigned char *)s, len > 65536 ? 65536 : len) >= 5.2) {
        sl__emit(f, SL__C_OPAQUE, off);
    }
}

/* Returns 1 when a literal path written to is outside the working folder: absolute
 * paths other than /tmp, /dev/null and the standard streams, ~ and $HOME paths, and
 * paths that climb out with "..". */
static int sl__path_outside(const char *p, size_t len)
{
    static const char *const inside[] = {
        "/tmp/", "/dev/null", "/dev/stdout", "/dev/stderr", "/dev/fd/", "/dev/shm/",
        "/output/", "/proc/self/fd/", "/var/tmp/", NULL
    };
    size_t k;

    if (len == 0) {
        return 0;
    }
    if (p[0] == '~' || (len >= 5 && memcmp(p, "$HOME", 5) == 0) ||
        (len >= 7 && memcmp(p, "${HOME}", 7) == 0)) {
        return 1;
    }
    if (len >= 3 && memcmp(p, "../", 3) == 0) {
        return 1;
    }
    if (p[0] != '/' || (len >= 5 && memcmp(p, "/dev/", 5) == 0)) {
        return 0; /* relative, or a device (disks are the destructive rules' business) */
    }
    if ((len == 4 && memcmp(p, "/tmp", 4) == 0) || (len == 7 && memcmp(p, "/output", 7) == 0)) {
        return 0;
    }
    for (k = 0; inside[k] != NULL; k++) {
        size_t n = strlen(inside[k]);
        if (len >= n && memcmp(p, inside[k], n) == 0) {
            return 0;
        }
    }
    return 1;
}

/* ------------------------------------------------------- values, variables --- */

static uint32_t sl__hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    size_t k;

    for (k = 0; k < len; k++) {
        h = (h ^ (unsigned char)s[k]) * 16777619u;
    }
    return h;
}

static int sl__streq(const char *s, size_t len, const char *lit)
{
    if (len == 0) {
        return lit[0] == '\0';
    }
    return s[0] == lit[0] && strlen(lit) == len && memcmp(s, lit, len) == 0;
}

static int sl__starts(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len >= n && memcmp(s, lit, n) == 0;
}

static int sl__ends(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len >= n && memcmp(s + len - n, lit, n) == 0;
}

static void sl__val_none(sl__val *v, size_t off)
{
    memset(v, 0, sizeof(*v));
    v->kind = SL__V_NONE;
    v->off = off;
}

static int sl__val_name_is(const sl__val *v, const char *name)
{
    return v->kind == SL__V_NAME && sl__streq(v->s, v->len, name);
}

/* Takes `n` bytes of folding budget; returns 0 when the file's budget is spent, so
 * adversarial concatenation chains cannot make folding quadratic. */
static int sl__budget(sl__file *f, size_t n)
{
    if (f->scan->fold_budget < n) {
        return 0;
    }
    f->scan->fold_budget -= n;
    return 1;
}

/* Copies bytes into the file arena; NULL (with the scan failed) when out of memory. */
static char *sl__fdup(sl__file *f, const char *s, size_t len)
{
    char *p = sl__arena_strndup(&f->arena, s, len);

    if (p == NULL) {
        sl__scan_fail(f->scan, SL_ENOMEM);
    }
    return p;
}

/* Makes `v` a string of `len` bytes copied from `s` (kind NONE when over budget). */
static void sl__val_set_str(sl__file *f, sl__val *v, const char *s, size_t len, unsigned flags)
{
    char *p;

    if (!sl__budget(f, len + 1) || (p = sl__fdup(f, s, len)) == NULL) {
        v->kind = SL__V_NONE;
        v->flags |= flags & ~SL__VF_LITERAL;
        return;
    }
    v->kind = SL__V_STR;
    v->s = p;
    v->len = len;
    v->flags |= flags;
}

/* Longest qualified name the evaluator builds; longer chains become unknown. */
#define SL__NAME_MAX 200

/* Strips the prefixes that only name where a global lives ("builtins.", "globalThis.",
 * "window.", ...), so `builtins.exec` and `exec` reach the same sink. */
static void sl__name_normalize(const char **s, size_t *len)
{
    static const char *const prefixes[] = {
        "builtins.", "__builtins__.", "__builtin__.", "globalThis.", "global.", "window.",
        "self.", "node:", NULL
    };
    int again = 1;

    while (again) {
        size_t k;
        again = 0;
        for (k = 0; prefixes[k] != NULL; k++) {
            size_t n = strlen(prefixes[k]);
            if (*len > n && memcmp(*s, prefixes[k], n) == 0) {
                *s += n;
                *len -= n;
                again = 1;
            }
        }
    }
}

/* Makes `v` the name `a` + "." + `b` (or just `a` when `b` is NULL). */
static void sl__val_set_name(sl__file *f, sl__val *v, const char *a, size_t alen,
                             const char *b, size_t blen)
{
    char buf[SL__NAME_MAX + 2];
    const char *s = buf;
    size_t len = alen;
    char *p;

    if (alen + (b != NULL ? blen + 1 : 0) > SL__NAME_MAX) {
        v->kind = SL__V_NONE;
        return;
    }
    memcpy(buf, a, alen);
    if (b != NULL) {
        buf[len++] = '.';
        memcpy(buf + len, b, blen);
        len += blen;
    }
    sl__name_normalize(&s, &len);
    p = sl__fdup(f, s, len);
    v->kind = p != NULL ? SL__V_NAME : SL__V_NONE;
    v->s = p;
    v->len = len;
}

/* Variable table: open addressing keyed by the name's bytes in the source (or arena). */
#define SL__VARS_MAX 65536

static sl__var *sl__var_slot(sl__file *f, const char *name, size_t len, int create)
{
    uint32_t h = sl__hash(name, len);
    size_t k;

    if (f->vars == NULL || (create && (f->var_count + 1) * 2 > f->var_mask + 1)) {
        size_t ncap = f->vars == NULL ? 64 : (f->var_mask + 1) * 2;
        sl__var *table;
        if (!create) {
            return NULL;
        }
        if (f->var_count >= SL__VARS_MAX) {
            return NULL;
        }
        table = (sl__var *)sl__arena_calloc(&f->arena, ncap * sizeof(sl__var));
        if (table == NULL) {
            sl__scan_fail(f->scan, SL_ENOMEM);
            return NULL;
        }
        for (k = 0; f->vars != NULL && k <= f->var_mask; k++) {
            if (f->vars[k].used) {
                size_t j = f->vars[k].hash & (ncap - 1);
                while (table[j].used) {
                    j = (j + 1) & (ncap - 1);
                }
                table[j] = f->vars[k];
            }
        }
        f->vars = table;
        f->var_mask = ncap - 1;
    }
    k = h & f->var_mask;
    while (f->vars[k].used) {
        if (f->vars[k].hash == h && f->vars[k].len == len &&
            memcmp(f->vars[k].name, name, len) == 0) {
            return &f->vars[k];
        }
        k = (k + 1) & f->var_mask;
    }
    if (!create) {
        return NULL;
    }
    f->vars[k].used = 1;
    f->vars[k].name = name;
    f->vars[k].len = len;
    f->vars[k].hash = h;
    f->vars[k].val = NULL;
    f->var_count++;
    return &f->vars[k];
}

/* Binds `name` to a copy of `v` (a value built on the stack points only into the arena or
 * the source, so a shallow copy is enough). */
static void sl__var_set(sl__file *f, const char *name, size_t len, const sl__val *v)
{
    sl__var *slot = sl__var_slot(f, name, len, 1);
    sl__val *copy;

    if (slot == NULL) {
        return;
    }
    copy = (sl__val *)sl__arena_alloc(&f->arena, sizeof(sl__val));
    if (copy == NULL) {
        sl__scan_fail(f->scan, SL_ENOMEM);
        return;
    }
    *copy = *v;
    copy->flags &= ~(SL__VF_LITERAL | SL__VF_CHR_OF_VAR);
    slot->val = copy;
}

static const sl__val *sl__var_get(sl__file *f, const char *name, size_t len)
{
    sl__var *slot = sl__var_slot(f, name, len, 0);
    return slot != NULL ? slot->val : NULL;
}

/* ------------------------------------------------------------------- sinks --- */

/* What a call does, for the evaluator. */
enum {
    SL__A_ROOT = 1,     /* not a function: the first part of known dotted names */
    SL__A_SHELL,        /* runs argument 0 through a shell */
    SL__A_PROCESS,      /* starts a program (argv list or program name) */
    SL__A_CODE,         /* runs argument 0 as code of the same language */
    SL__A_CODE_STRING,  /* setTimeout and friends: code only when given a string */
    SL__A_DESERIALIZE,  /* pickle-like loaders */
    SL__A_YAML_LOAD,    /* yaml.load: unsafe unless a safe Loader is named */
    SL__A_MARSHAL,      /* marshal.loads: deserializes, and the result is decoded code */
    SL__A_NETWORK,      /* network request; the result is network data */
    SL__A_SOCKET,       /* raw socket */
    SL__A_DOWNLOAD,     /* network straight to a file */
    SL__A_DUP2,         /* os.dup2, for reverse shells */
    SL__A_PTY,          /* pty.spawn */
    SL__A_FFI,          /* native code */
    SL__A_OPEN,         /* open(path, mode) */
    SL__A_WRITE0,       /* writes or deletes the path in argument 0 */
    SL__A_WRITE1,       /* writes the path in argument 1 (copy and move destinations) */
    SL__A_CHMOD,        /* chmod; executable bits are a fact */
    SL__A_IMPORT,       /* __import__, import_module, require, import() */
    SL__A_GETATTR,      /* getattr(obj, name) */
    SL__A_GLOBALS,      /* globals(), locals(), vars() */
    SL__A_CHR,          /* chr(n) */
    SL__A_BYTES,        /* bytes([...]), bytearray([...]) */
    SL__A_FROMHEX,      /* bytes.fromhex, binascii.unhexlify */
    SL__A_B64,          /* base64 decoders */
    SL__A_CODECS,       /* codecs.decode/encode(s, "rot13" | "hex" | "base64") */
    SL__A_DECOMPRESS,   /* zlib and friends: decoded, content unknown */
    SL__A_MAP,          /* map(chr, [...]) */
    SL__A_REVERSED,     /* reversed(s) */
    SL__A_PASS,         /* returns argument 0 (str, expanduser, Path, promisify) */
    SL__A_JOINPATH,     /* os.path.join */
    SL__A_ENV_ITEMS,    /* os.environ.items() and the like: the whole environment */
    SL__A_ENV_COPY,     /* os.environ.copy(): usually handed to a child process */
    SL__A_FROMCHARCODE, /* String.fromCharCode(...) */
    SL__A_ATOB,         /* atob */
    SL__A_BUFFER_FROM,  /* Buffer.from(s, encoding) */
    SL__A_URIDECODE,    /* decodeURIComponent, unescape */
    SL__A_DISPLAY,      /* print, console.log: arguments are shown, not used */
    SL__A_REQUIRE_FN    /* createRequire(): returns a require function */
};

#define SL__LP (1u << SL_SCAN_LANG_PYTHON)
#define SL__LJ (1u << SL_SCAN_LANG_JS)

typedef struct sl__sink {
    const char *name;
    int action;
    unsigned langs;
} sl__sink;

/* Functions the evaluator recognises, by the qualified name an expression resolves to. */
static const sl__sink sl__sinks[] = {
    /* Python: processes */
    {"os.system", SL__A_SHELL, SL__LP}, {"os.popen", SL__A_SHELL, SL__LP},
    {"os.popen2", SL__A_SHELL, SL__LP}, {"os.popen3", SL__A_SHELL, SL__LP},
    {"commands.getoutput", SL__A_SHELL, SL__LP},
    {"commands.getstatusoutput", SL__A_SHELL, SL__LP},
    {"subprocess.getoutput", SL__A_SHELL, SL__LP},
    {"subprocess.getstatusoutput", SL__A_SHELL, SL__LP},
    {"platform.popen", SL__A_SHELL, SL__LP},
    {"asyncio.create_subprocess_shell", SL__A_SHELL, SL__LP},
    {"subprocess.run", SL__A_PROCESS, SL__LP}, {"subprocess.call", SL__A_PROCESS, SL__LP},
    {"subprocess.check_call", SL__A_PROCESS, SL__LP},
    {"subprocess.check_output", SL__A_PROCESS, SL__LP},
    {"subprocess.Popen", SL__A_PROCESS, SL__LP},
    {"asyncio.create_subprocess_exec", SL__A_PROCESS, SL__LP},
    {"os.execl", SL__A_PROCESS, SL__LP}, {"os.execle", SL__A_PROCESS, SL__LP},
    {"os.execlp", SL__A_PROCESS, SL__LP}, {"os.execlpe", SL__A_PROCESS, SL__LP},
    {"os.execv", SL__A_PROCESS, SL__LP}, {"os.execve", SL__A_PROCESS, SL__LP},
    {"os.execvp", SL__A_PROCESS, SL__LP}, {"os.execvpe", SL__A_PROCESS, SL__LP},
    {"os.spawnl", SL__A_PROCESS, SL__LP}, {"os.spawnle", SL__A_PROCESS, SL__LP},
    {"os.spawnlp", SL__A_PROCESS, SL__LP}, {"os.spawnv", SL__A_PROCESS, SL__LP},
    {"os.spawnve", SL__A_PROCESS, SL__LP}, {"os.spawnvp", SL__A_PROCESS, SL__LP},
    {"os.posix_spawn", SL__A_PROCESS, SL__LP}, {"os.posix_spawnp", SL__A_PROCESS, SL__LP},
    {"os.startfile", SL__A_PROCESS, SL__LP}, {"pty.spawn", SL__A_PTY, SL__LP},
    {"os.dup2", SL__A_DUP2, SL__LP},
    /* Python: code */
    {"eval", SL__A_CODE, SL__LP | SL__LJ}, {"exec", SL__A_CODE, SL__LP},
    {"compile", SL__A_CODE, SL__LP}, {"execfile", SL__A_CODE, SL__LP},
    {"types.FunctionType", SL__A_CODE, SL__LP}, {"types.CodeType", SL__A_CODE, SL__LP},
    {"pickle.loads", SL__A_DESERIALIZE, SL__LP}, {"pickle.load", SL__A_DESERIALIZE, SL__LP},
    {"pickle.Unpickler", SL__A_DESERIALIZE, SL__LP},
    {"cPickle.loads", SL__A_DESERIALIZE, SL__LP}, {"_pickle.loads", SL__A_DESERIALIZE, SL__LP},
    {"dill.loads", SL__A_DESERIALIZE, SL__LP}, {"dill.load", SL__A_DESERIALIZE, SL__LP},
    {"shelve.open", SL__A_DESERIALIZE, SL__LP},
    {"jsonpickle.decode", SL__A_DESERIALIZE, SL__LP},
    {"pandas.read_pickle", SL__A_DESERIALIZE, SL__LP},
    {"yaml.unsafe_load", SL__A_DESERIALIZE, SL__LP},
    {"yaml.load", SL__A_YAML_LOAD, SL__LP}, {"yaml.load_all", SL__A_YAML_LOAD, SL__LP},
    {"marshal.loads", SL__A_MARSHAL, SL__LP}, {"marshal.load", SL__A_MARSHAL, SL__LP},
    {"__import__", SL__A_IMPORT, SL__LP}, {"importlib.import_module", SL__A_IMPORT, SL__LP},
    {"importlib.__import__", SL__A_IMPORT, SL__LP},
    {"getattr", SL__A_GETATTR, SL__LP}, {"globals", SL__A_GLOBALS, SL__LP},
    {"locals", SL__A_GLOBALS, SL__LP}, {"vars", SL__A_GLOBALS, SL__LP},
    /* Python: network */
    {"socket.socket", SL__A_SOCKET, SL__LP}, {"socket.create_connection", SL__A_SOCKET, SL__LP},
    {"socket.fromfd", SL__A_SOCKET, SL__LP}, {"asyncio.open_connection", SL__A_SOCKET, SL__LP},
    {"urllib.request.urlopen", SL__A_NETWORK, SL__LP},
    {"urllib.request.urlretrieve", SL__A_DOWNLOAD, SL__LP},
    {"urllib.request.build_opener", SL__A_NETWORK, SL__LP},
    {"urllib.urlopen", SL__A_NETWORK, SL__LP}, {"urllib.urlretrieve", SL__A_DOWNLOAD, SL__LP},
    {"urllib2.urlopen", SL__A_NETWORK, SL__LP},
    {"http.client.HTTPConnection", SL__A_NETWORK, SL__LP},
    {"http.client.HTTPSConnection", SL__A_NETWORK, SL__LP},
    {"requests.get", SL__A_NETWORK, SL__LP}, {"requests.post", SL__A_NETWORK, SL__LP},
    {"requests.put", SL__A_NETWORK, SL__LP}, {"requests.patch", SL__A_NETWORK, SL__LP},
    {"requests.delete", SL__A_NETWORK, SL__LP}, {"requests.head", SL__A_NETWORK, SL__LP},
    {"requests.request", SL__A_NETWORK, SL__LP}, {"requests.Session", SL__A_NETWORK, SL__LP},
    {"requests.session", SL__A_NETWORK, SL__LP},
    {"httpx.get", SL__A_NETWORK, SL__LP}, {"httpx.post", SL__A_NETWORK, SL__LP},
    {"httpx.put", SL__A_NETWORK, SL__LP}, {"httpx.request", SL__A_NETWORK, SL__LP},
    {"httpx.stream", SL__A_NETWORK, SL__LP}, {"httpx.Client", SL__A_NETWORK, SL__LP},
    {"httpx.AsyncClient", SL__A_NETWORK, SL__LP},
    {"aiohttp.ClientSession", SL__A_NETWORK, SL__LP}, {"aiohttp.request", SL__A_NETWORK, SL__LP},
    {"ftplib.FTP", SL__A_NETWORK, SL__LP}, {"ftplib.FTP_TLS", SL__A_NETWORK, SL__LP},
    {"smtplib.SMTP", SL__A_NETWORK, SL__LP}, {"smtplib.SMTP_SSL", SL__A_NETWORK, SL__LP},
    {"telnetlib.Telnet", SL__A_NETWORK, SL__LP}, {"paramiko.SSHClient", SL__A_NETWORK, SL__LP},
    {"websocket.create_connection", SL__A_NETWORK, SL__LP},
    {"websockets.connect", SL__A_NETWORK, SL__LP},
    {"urllib3.PoolManager", SL__A_NETWORK, SL__LP}, {"urllib3.request", SL__A_NETWORK, SL__LP},
    {"pycurl.Curl", SL__A_NETWORK, SL__LP},
    {"xmlrpc.client.ServerProxy", SL__A_NETWORK, SL__LP},
    {"wget.download", SL__A_DOWNLOAD, SL__LP},
    /* Python: native code */
    {"ctypes.CDLL", SL__A_FFI, SL__LP}, {"ctypes.cdll.LoadLibrary", SL__A_FFI, SL__LP},
    {"ctypes.PyDLL", SL__A_FFI, SL__LP}, {"ctypes.WinDLL", SL__A_FFI, SL__LP},
    {"ctypes.CFUNCTYPE", SL__A_FFI, SL__LP}, {"ctypes.memmove", SL__A_FFI, SL__LP},
    {"ctypes.cast", SL__A_FFI, SL__LP}, {"cffi.FFI", SL__A_FFI, SL__LP},
    /* Python: files */
    {"open", SL__A_OPEN, SL__LP}, {"io.open", SL__A_OPEN, SL__LP},
    {"codecs.open", SL__A_OPEN, SL__LP},
    {"shutil.copy", SL__A_WRITE1, SL__LP}, {"shutil.copy2", SL__A_WRITE1, SL__LP},
    {"shutil.copyfile", SL__A_WRITE1, SL__LP}, {"shutil.copytree", SL__A_WRITE1, SL__LP},
    {"shutil.move", SL__A_WRITE1, SL__LP}, {"os.rename", SL__A_WRITE1, SL__LP},
    {"os.replace", SL__A_WRITE1, SL__LP}, {"os.symlink", SL__A_WRITE1, SL__LP},
    {"os.link", SL__A_WRITE1, SL__LP},
    {"os.remove", SL__A_WRITE0, SL__LP}, {"os.unlink", SL__A_WRITE0, SL__LP},
    {"os.rmdir", SL__A_WRITE0, SL__LP}, {"os.removedirs", SL__A_WRITE0, SL__LP},
    {"shutil.rmtree", SL__A_WRITE0, SL__LP}, {"os.truncate", SL__A_WRITE0, SL__LP},
    {"os.chmod", SL__A_CHMOD, SL__LP}, {"os.lchmod", SL__A_CHMOD, SL__LP},
    /* Python: folding */
    {"chr", SL__A_CHR, SL__LP}, {"bytes", SL__A_BYTES, SL__LP},
    {"bytearray", SL__A_BYTES, SL__LP}, {"bytes.fromhex", SL__A_FROMHEX, SL__LP},
    {"bytearray.fromhex", SL__A_FROMHEX, SL__LP}, {"binascii.unhexlify", SL__A_FROMHEX, SL__LP},
    {"binascii.a2b_hex", SL__A_FROMHEX, SL__LP},
    {"base64.b64decode", SL__A_B64, SL__LP}, {"base64.standard_b64decode", SL__A_B64, SL__LP},
    {"base64.urlsafe_b64decode", SL__A_B64, SL__LP}, {"base64.decodebytes", SL__A_B64, SL__LP},
    {"base64.decodestring", SL__A_B64, SL__LP}, {"binascii.a2b_base64", SL__A_B64, SL__LP},
    {"base64.b32decode", SL__A_DECOMPRESS, SL__LP}, {"base64.b16decode", SL__A_FROMHEX, SL__LP},
    {"base64.b85decode", SL__A_DECOMPRESS, SL__LP}, {"base64.a85decode", SL__A_DECOMPRESS, SL__LP},
    {"codecs.decode", SL__A_CODECS, SL__LP}, {"codecs.encode", SL__A_CODECS, SL__LP},
    {"zlib.decompress", SL__A_DECOMPRESS, SL__LP}, {"gzip.decompress", SL__A_DECOMPRESS, SL__LP},
    {"bz2.decompress", SL__A_DECOMPRESS, SL__LP}, {"lzma.decompress", SL__A_DECOMPRESS, SL__LP},
    {"map", SL__A_MAP, SL__LP}, {"reversed", SL__A_REVERSED, SL__LP},
    {"str", SL__A_PASS, SL__LP}, {"os.path.expanduser", SL__A_PASS, SL__LP},
    {"os.path.expandvars", SL__A_PASS, SL__LP}, {"os.path.abspath", SL__A_PASS, SL__LP},
    {"os.path.normpath", SL__A_PASS, SL__LP}, {"os.path.realpath", SL__A_PASS, SL__LP},
    {"os.fsdecode", SL__A_PASS, SL__LP}, {"os.fspath", SL__A_PASS, SL__LP},
    {"pathlib.Path", SL__A_PASS, SL__LP}, {"pathlib.PurePath", SL__A_PASS, SL__LP},
    {"pathlib.PosixPath", SL__A_PASS, SL__LP},
    {"os.path.join", SL__A_JOINPATH, SL__LP},
    {"os.environ.items", SL__A_ENV_ITEMS, SL__LP}, {"os.environ.keys", SL__A_ENV_ITEMS, SL__LP},
    {"os.environ.values", SL__A_ENV_ITEMS, SL__LP},
    {"os.environ.copy", SL__A_ENV_COPY, SL__LP},
    {"print", SL__A_DISPLAY, SL__LP}, {"logging.debug", SL__A_DISPLAY, SL__LP},
    {"logging.info", SL__A_DISPLAY, SL__LP}, {"logging.warning", SL__A_DISPLAY, SL__LP},
    {"logging.error", SL__A_DISPLAY, SL__LP}, {"logging.critical", SL__A_DISPLAY, SL__LP},
    {"logging.exception", SL__A_DISPLAY, SL__LP},
    {"sys.stdout.write", SL__A_DISPLAY, SL__LP}, {"sys.stderr.write", SL__A_DISPLAY, SL__LP},

    /* JavaScript: processes */
    {"child_process.exec", SL__A_SHELL, SL__LJ}, {"child_process.execSync", SL__A_SHELL, SL__LJ},
    {"child_process.spawn", SL__A_PROCESS, SL__LJ},
    {"child_process.spawnSync", SL__A_PROCESS, SL__LJ},
    {"child_process.execFile", SL__A_PROCESS, SL__LJ},
    {"child_process.execFileSync", SL__A_PROCESS, SL__LJ},
    {"child_process.fork", SL__A_PROCESS, SL__LJ},
    {"Deno.run", SL__A_PROCESS, SL__LJ}, {"Deno.Command", SL__A_PROCESS, SL__LJ},
    {"Bun.spawn", SL__A_PROCESS, SL__LJ}, {"Bun.spawnSync", SL__A_PROCESS, SL__LJ},
    {"execa", SL__A_PROCESS, SL__LJ}, {"execa.command", SL__A_SHELL, SL__LJ},
    {"shelljs.exec", SL__A_SHELL, SL__LJ},
    /* JavaScript: code */
    {"Function", SL__A_CODE, SL__LJ}, {"vm.runInThisContext", SL__A_CODE, SL__LJ},
    {"vm.runInNewContext", SL__A_CODE, SL__LJ}, {"vm.runInContext", SL__A_CODE, SL__LJ},
    {"vm.Script", SL__A_CODE, SL__LJ}, {"vm.compileFunction", SL__A_CODE, SL__LJ},
    {"vm.SourceTextModule", SL__A_CODE, SL__LJ},
    {"setTimeout", SL__A_CODE_STRING, SL__LJ}, {"setInterval", SL__A_CODE_STRING, SL__LJ},
    {"setImmediate", SL__A_CODE_STRING, SL__LJ},
    {"require", SL__A_IMPORT, SL__LJ}, {"import", SL__A_IMPORT, SL__LJ},
    {"module.require", SL__A_IMPORT, SL__LJ},
    {"process.mainModule.require", SL__A_IMPORT, SL__LJ},
    {"module.createRequire", SL__A_REQUIRE_FN, SL__LJ},
    {"createRequire", SL__A_REQUIRE_FN, SL__LJ},
    /* JavaScript: network */
    {"fetch", SL__A_NETWORK, SL__LJ}, {"http.request", SL__A_NETWORK, SL__LJ},
    {"http.get", SL__A_NETWORK, SL__LJ}, {"https.request", SL__A_NETWORK, SL__LJ},
    {"https.get", SL__A_NETWORK, SL__LJ}, {"http2.connect", SL__A_NETWORK, SL__LJ},
    {"net.connect", SL__A_SOCKET, SL__LJ}, {"net.createConnection", SL__A_SOCKET, SL__LJ},
    {"net.Socket", SL__A_SOCKET, SL__LJ}, {"tls.connect", SL__A_SOCKET, SL__LJ},
    {"dgram.createSocket", SL__A_SOCKET, SL__LJ},
    {"axios", SL__A_NETWORK, SL__LJ}, {"axios.get", SL__A_NETWORK, SL__LJ},
    {"axios.post", SL__A_NETWORK, SL__LJ}, {"axios.request", SL__A_NETWORK, SL__LJ},
    {"axios.create", SL__A_NETWORK, SL__LJ}, {"XMLHttpRequest", SL__A_NETWORK, SL__LJ},
    {"WebSocket", SL__A_NETWORK, SL__LJ}, {"ws", SL__A_NETWORK, SL__LJ},
    {"got", SL__A_NETWORK, SL__LJ}, {"got.get", SL__A_NETWORK, SL__LJ},
    {"got.post", SL__A_NETWORK, SL__LJ}, {"node-fetch", SL__A_NETWORK, SL__LJ},
    {"request", SL__A_NETWORK, SL__LJ}, {"superagent.get", SL__A_NETWORK, SL__LJ},
    {"superagent.post", SL__A_NETWORK, SL__LJ}, {"undici.request", SL__A_NETWORK, SL__LJ},
    {"undici.fetch", SL__A_NETWORK, SL__LJ},
    /* JavaScript: native code */
    {"process.dlopen", SL__A_FFI, SL__LJ}, {"ffi-napi.Library", SL__A_FFI, SL__LJ},
    {"ffi.Library", SL__A_FFI, SL__LJ}, {"koffi.load", SL__A_FFI, SL__LJ},
    /* JavaScript: files */
    {"fs.writeFile", SL__A_WRITE0, SL__LJ}, {"fs.writeFileSync", SL__A_WRITE0, SL__LJ},
    {"fs.appendFile", SL__A_WRITE0, SL__LJ}, {"fs.appendFileSync", SL__A_WRITE0, SL__LJ},
    {"fs.createWriteStream", SL__A_WRITE0, SL__LJ}, {"fs.unlink", SL__A_WRITE0, SL__LJ},
    {"fs.unlinkSync", SL__A_WRITE0, SL__LJ}, {"fs.rm", SL__A_WRITE0, SL__LJ},
    {"fs.rmSync", SL__A_WRITE0, SL__LJ}, {"fs.rmdir", SL__A_WRITE0, SL__LJ},
    {"fs.rmdirSync", SL__A_WRITE0, SL__LJ}, {"fs.truncate", SL__A_WRITE0, SL__LJ},
    {"fs.copyFile", SL__A_WRITE1, SL__LJ}, {"fs.copyFileSync", SL__A_WRITE1, SL__LJ},
    {"fs.rename", SL__A_WRITE1, SL__LJ}, {"fs.renameSync", SL__A_WRITE1, SL__LJ},
    {"fs.symlink", SL__A_WRITE1, SL__LJ}, {"fs.symlinkSync", SL__A_WRITE1, SL__LJ},
    {"fs.cp", SL__A_WRITE1, SL__LJ}, {"fs.cpSync", SL__A_WRITE1, SL__LJ},
    {"fs.chmod", SL__A_CHMOD, SL__LJ}, {"fs.chmodSync", SL__A_CHMOD, SL__LJ},
    /* JavaScript: folding */
    {"String.fromCharCode", SL__A_FROMCHARCODE, SL__LJ},
    {"String.fromCodePoint", SL__A_FROMCHARCODE, SL__LJ},
    {"atob", SL__A_ATOB, SL__LJ}, {"Buffer.from", SL__A_BUFFER_FROM, SL__LJ},
    {"decodeURIComponent", SL__A_URIDECODE, SL__LJ}, {"decodeURI", SL__A_URIDECODE, SL__LJ},
    {"unescape", SL__A_URIDECODE, SL__LJ},
    {"zlib.inflateSync", SL__A_DECOMPRESS, SL__LJ}, {"zlib.gunzipSync", SL__A_DECOMPRESS, SL__LJ},
    {"zlib.unzipSync", SL__A_DECOMPRESS, SL__LJ},
    {"zlib.inflateRawSync", SL__A_DECOMPRESS, SL__LJ},
    {"zlib.brotliDecompressSync", SL__A_DECOMPRESS, SL__LJ},
    {"util.promisify", SL__A_PASS, SL__LJ}, {"String", SL__A_PASS, SL__LJ},
    {"console.log", SL__A_DISPLAY, SL__LJ}, {"console.info", SL__A_DISPLAY, SL__LJ},
    {"console.warn", SL__A_DISPLAY, SL__LJ}, {"console.error", SL__A_DISPLAY, SL__LJ},
    {"console.debug", SL__A_DISPLAY, SL__LJ},
    {"process.stdout.write", SL__A_DISPLAY, SL__LJ},
    {"process.stderr.write", SL__A_DISPLAY, SL__LJ},
    /* globals that only prefix other names */
    {"__builtins__", SL__A_ROOT, SL__LP}, {"builtins", SL__A_ROOT, SL__LP},
    {"globalThis", SL__A_ROOT, SL__LJ}, {"global", SL__A_ROOT, SL__LJ},
    {"window", SL__A_ROOT, SL__LJ}, {"process", SL__A_ROOT, SL__LJ},
    {"sys", SL__A_ROOT, SL__LP},
};

#define SL__SINK_COUNT (sizeof(sl__sinks) / sizeof(sl__sinks[0]))

static int sl__sink_insert(sl_scanner *sc, const char *name, size_t len, int action,
                           unsigned langs)
{
    uint32_t h = sl__hash(name, len);
    size_t k = h & sc->sink_mask;

    while (sc->sinks[k].name != NULL) {
        sl__sink_slot *s = &sc->sinks[k];
        if (s->hash == h && s->len == len && memcmp(s->name, name, len) == 0) {
            if (s->action == SL__A_ROOT && action != SL__A_ROOT) {
                s->action = action;
            }
            s->langs |= langs;
            return 0;
        }
        k = (k + 1) & sc->sink_mask;
    }
    sc->sinks[k].name = name;
    sc->sinks[k].len = len;
    sc->sinks[k].hash = h;
    sc->sinks[k].action = action;
    sc->sinks[k].langs = langs;
    return 1;
}

/* Builds the sink hash table: every name, plus the first component of dotted names as a
 * ROOT so that `os` in `os.system` resolves even where the import is not visible (a string
 * run by exec, a code block in SKILL.md). */
static int sl__sinks_build(sl_scanner *sc)
{
    size_t cap = 1024;
    size_t k;

    sc->sinks = (sl__sink_slot *)sl__calloc(&sc->alloc, cap, sizeof(sl__sink_slot));
    if (sc->sinks == NULL) {
        return SL_ENOMEM;
    }
    sc->sink_mask = cap - 1;
    for (k = 0; k < SL__SINK_COUNT; k++) {
        const char *name = sl__sinks[k].name;
        const char *dot = strchr(name, '.');
        sl__sink_insert(sc, name, strlen(name), sl__sinks[k].action, sl__sinks[k].langs);
        if (dot != NULL) {
            sl__sink_insert(sc, name, (size_t)(dot - name), SL__A_ROOT, sl__sinks[k].langs);
        }
    }
    return SL_OK;
}

static const sl__sink_slot *sl__sink_find(const sl_scanner *sc, const char *name, size_t len,
                                          int language)
{
    uint32_t h = sl__hash(name, len);
    size_t k = h & sc->sink_mask;

    while (sc->sinks[k].name != NULL) {
        const sl__sink_slot *s = &sc->sinks[k];
        if (s->hash == h && s->len == len && memcmp(s->name, name, len) == 0) {
            return (s->langs & (1u << language)) ? s : NULL;
        }
        k = (k + 1) & sc->sink_mask;
    }
    return NULL;
}

static int sl__sink_action(const sl__file *f, const sl__val *v)
{
    const sl__sink_slot *s;

    if (v->kind != SL__V_NAME) {
        return 0;
    }
    s = sl__sink_find(f->scan->scanner, v->s, v->len, f->language);
    return s != NULL ? s->action : 0;
}

/* ---------------------------------------------------------------- decoders --- */

static int sl__b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+' || c == '-') {
        return 62;
    }
    if (c == '/' || c == '_') {
        return 63;
    }
    return -1;
}

/* Decodes base64 (standard or URL-safe, padding and other bytes skipped) into `out`,
 * which has room for len * 3 / 4 + 3 bytes. Returns the decoded length. */
static size_t sl__b64_decode(const char *s, size_t len, char *out)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t n = 0;
    size_t k;

    for (k = 0; k < len; k++) {
        int v = sl__b64_value((unsigned char)s[k]);
        if (v < 0) {
            continue;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (char)((acc >> bits) & 0xFF);
        }
    }
    return n;
}

/* Decodes hex digit pairs, skipping whitespace, into `out` (room for len / 2 + 1). */
static size_t sl__hex_decode(const char *s, size_t len, char *out)
{
    size_t n = 0;
    int hi = -1;
    size_t k;

    for (k = 0; k < len; k++) {
        int v = sl__hex_digit((unsigned char)s[k]);
        if (v < 0) {
            continue;
        }
        if (hi < 0) {
            hi = v;
        } else {
            out[n++] = (char)(hi * 16 + v);
            hi = -1;
        }
    }
    return n;
}

static void sl__rot13(char *s, size_t len)
{
    size_t k;

    for (k = 0; k < len; k++) {
        char c = s[k];
        if (c >= 'a' && c <= 'z') {
            s[k] = (char)('a' + (c - 'a' + 13) % 26);
        } else if (c >= 'A' && c <= 'Z') {
            s[k] = (char)('A' + (c - 'A' + 13) % 26);
        }
    }
}

/* Decodes %XX escapes (and %uXXXX as one byte per code unit below 256). */
static size_t sl__percent_decode(const char *s, size_t len, char *out)
{
    size_t n = 0;
    size_t k;

    for (k = 0; k < len; k++) {
        if (s[k] == '%' && k + 2 < len && sl__hex_digit((unsigned char)s[k + 1]) >= 0 &&
            sl__hex_digit((unsigned char)s[k + 2]) >= 0) {
            out[n++] = (char)(sl__hex_digit((unsigned char)s[k + 1]) * 16 +
                              sl__hex_digit((unsigned char)s[k + 2]));
            k += 2;
        } else {
            out[n++] = s[k];
        }
    }
    return n;
}

/* Kinds of decoding for sl__val_decode. */
#define SL__DEC_B64 1
#define SL__DEC_HEX 2
#define SL__DEC_ROT13 3
#define SL__DEC_PERCENT 4

/* Replaces string `v` by its decoding; any other value becomes unknown but decoded. The
 * result is checked for needles, since hiding them is why strings get encoded. */
static void sl__val_decode(sl__file *f, sl__val *v, int how)
{
    char *buf;
    size_t n;

    v->flags = (v->flags | SL__VF_DECODED | SL__VF_OBFUSCATED) & ~SL__VF_LITERAL;
    if (v->kind != SL__V_STR || !sl__budget(f, v->len + 4)) {
        v->kind = SL__V_NONE;
        return;
    }
    buf = (char *)sl__arena_alloc(&f->arena, v->len + 4);
    if (buf == NULL) {
        sl__scan_fail(f->scan, SL_ENOMEM);
        v->kind = SL__V_NONE;
        return;
    }
    if (how == SL__DEC_B64) {
        n = sl__b64_decode(v->s, v->len, buf);
    } else if (how == SL__DEC_HEX) {
        n = sl__hex_decode(v->s, v->len, buf);
    } else if (how == SL__DEC_PERCENT) {
        n = sl__percent_decode(v->s, v->len, buf);
    } else {
        memcpy(buf, v->s, v->len);
        n = v->len;
        sl__rot13(buf, n);
    }
    buf[n] = '\0';
    v->s = buf;
    v->len = n;
    sl__check_string(f, buf, n, v->off);
}

/* --------------------------------------------------------------- evaluator --- */

/* Bracket nesting evaluated recursively. Deeper groups are queued and evaluated later
 * from the top, so every token is still looked at and the C stack stays small. */
#define SL__EVAL_DEPTH 32

static size_t sl__eval_expr(sl__file *f, size_t i, size_t end, int depth, sl__val *out);
static unsigned sl__eval_seq(sl__file *f, size_t i, size_t end, int depth, int stmt,
                             sl__val *last);
static void sl__subscan_queue(sl__file *f, int language, const char *s, size_t len,
                              size_t off);

static const sl__tok *sl__t(const sl__file *f, size_t i)
{
    return &f->lx.toks[i];
}

static int sl__op(const sl__file *f, size_t i, const char *s)
{
    return sl__tok_is(&f->lx, i, SL__TK_OP, s);
}

static int sl__kw(const sl__file *f, size_t i, const char *s)
{
    return sl__tok_is(&f->lx, i, SL__TK_IDENT, s);
}

static const char *sl__raw(const sl__file *f, size_t i, size_t *len)
{
    *len = f->lx.toks[i].len;
    return f->lx.src + f->lx.toks[i].off;
}

/* Index of the bracket closing the one at `open`, or `end` when it is not inside. */
static size_t sl__close_of(const sl__file *f, size_t open, size_t end)
{
    int32_t m = f->lx.toks[open].match;
    return (m > (int32_t)open && (size_t)m < end) ? (size_t)m : end;
}

/* Returns 1 for tokens that end an expression: , ; ) ] } : and assignments. */
static int sl__is_term(const sl__file *f, size_t i)
{
    const sl__tok *t = sl__t(f, i);
    const char *p = f->lx.src + t->off;

    if (t->kind == SL__TK_NEWLINE) {
        return 1;
    }
    if (t->kind == SL__TK_IDENT) {
        /* Python's `as` belongs to import, with and except, never to an expression */
        return f->language == SL__PY && t->len == 2 && p[0] == 'a' && p[1] == 's';
    }
    if (t->kind != SL__TK_OP) {
        return 0;
    }
    if (t->len == 1) {
        return sl__in_set((unsigned char)p[0], ",;)]}:=");
    }
    if (p[t->len - 1] != '=') {
        return 0;
    }
    return !sl__streq(p, t->len, "==") && !sl__streq(p, t->len, "!=") &&
           !sl__streq(p, t->len, "<=") && !sl__streq(p, t->len, ">=") &&
           !sl__streq(p, t->len, "===") && !sl__streq(p, t->len, "!==");
}

static int sl__in_words(const char *s, size_t len, const char *const *words)
{
    size_t k;

    if (len == 0) {
        return 0;
    }
    for (k = 0; words[k] != NULL; k++) {
        if (words[k][0] == s[0] && sl__streq(s, len, words[k])) {
            return 1;
        }
    }
    return 0;
}

static const char *const sl__py_keywords[] = {
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with",
    "yield", "None", "True", "False", NULL
};

static const char *const sl__js_keywords[] = {
    "as", "async", "await", "break", "case", "catch", "class", "const", "continue",
    "debugger", "default", "delete", "do", "else", "export", "extends", "finally", "for",
    "function", "if", "import", "in", "instanceof", "let", "new", "of", "return", "static",
    "super", "switch", "this", "throw", "try", "typeof", "var", "void", "while", "with",
    "yield", "null", "true", "false", "undefined", "satisfies", NULL
};

/* JavaScript keywords that begin a statement: after an operand they mean the previous
 * statement ended without a semicolon. */
static const char *const sl__js_stmt_keywords[] = {
    "const", "let", "var", "import", "export", "return", "throw", "if", "for", "while", "do",
    "switch", "try", "break", "continue", "function", "class", NULL
};

static int sl__is_keyword(const sl__file *f, size_t i)
{
    size_t len;
    const char *s;

    if (sl__t(f, i)->kind != SL__TK_IDENT) {
        return 0;
    }
    s = sl__raw(f, i, &len);
    return sl__in_words(s, len, f->language == SL__PY ? sl__py_keywords : sl__js_keywords);
}

/* Returns 1 when token `i` starts a new JavaScript statement after an operand. */
static int sl__js_new_statement(const sl__file *f, size_t i, size_t end)
{
    size_t len;
    const char *s;

    if (f->language != SL__JS || sl__t(f, i)->kind != SL__TK_IDENT) {
        return 0;
    }
    s = sl__raw(f, i, &len);
    if (sl__in_words(s, len, sl__js_stmt_keywords)) {
        return 1;
    }
    return i + 1 < end && sl__op(f, i + 1, "=");
}

/* Parses an integer literal (decimal, 0x, 0o, 0b, and JavaScript's legacy 0755 octal). */
static int sl__parse_int(const char *s, size_t len, int js, int64_t *out)
{
    int base = 10;
    size_t k = 0;
    uint64_t v = 0;

    if (len >= 2 && s[0] == '0' && (s[1] | 0x20) == 'x') {
        base = 16;
        k = 2;
    } else if (len >= 2 && s[0] == '0' && (s[1] | 0x20) == 'o') {
        base = 8;
        k = 2;
    } else if (len >= 2 && s[0] == '0' && (s[1] | 0x20) == 'b') {
        base = 2;
        k = 2;
    } else if (js && len >= 2 && s[0] == '0') {
        base = 8;
        k = 1;
    }
    if (k == len) {
        return 0;
    }
    for (; k < len; k++) {
        int d = sl__hex_digit((unsigned char)s[k]);
        if (s[k] == '_') {
            continue;
        }
        if (d < 0 || d >= base || v > (UINT64_MAX >> 5)) {
            return 0;
        }
        v = v * (uint64_t)base + (uint64_t)d;
    }
    *out = (int64_t)(v & 0x7FFFFFFFFFFFFFFFull);
    return 1;
}

/* Resolves an identifier: a variable or alias, else a known global or module name. */
static void sl__resolve_ident(sl__file *f, size_t i, sl__val *v)
{
    size_t len;
    const char *s = sl__raw(f, i, &len);
    const sl__val *var = sl__var_get(f, s, len);
    size_t off = sl__t(f, i)->off;
    int k;

    sl__val_none(v, off);
    if (var != NULL) {
        *v = *var;
        v->off = off;
        return;
    }
    v->s = s; /* an unknown name, kept for sl__display_method */
    v->len = len;
    if (sl__sink_find(f->scan->scanner, s, len, f->language) != NULL) {
        v->kind = SL__V_NAME;
        v->s = s;
        v->len = len;
        return;
    }
    for (k = 0; k < f->nstars; k++) {
        char buf[SL__NAME_MAX];
        size_t n = strlen(f->stars[k]);
        if (n + 1 + len < sizeof(buf)) {
            memcpy(buf, f->stars[k], n);
            buf[n] = '.';
            memcpy(buf + n + 1, s, len);
            if (sl__sink_find(f->scan->scanner, buf, n + 1 + len, f->language) != NULL) {
                sl__val_set_name(f, v, buf, n + 1 + len, NULL, 0);
                return;
            }
        }
    }
}

/* Applies `.name` to `v`. */
static void sl__attr(sl__file *f, sl__val *v, const char *name, size_t len)
{
    v->flags &= ~(SL__VF_LITERAL | SL__VF_CHR_OF_VAR | SL__VF_GENERATED);
    if (v->kind == SL__V_NAME) {
        sl__val_set_name(f, v, v->s, v->len, name, len);
        if (sl__val_name_is(v, "fs.promises")) {
            v->len = 2;
        }
        return;
    }
    if (v->kind == SL__V_STR || v->kind == SL__V_LIST || v->kind == SL__V_INTS) {
        sl__val *base = (sl__val *)sl__arena_alloc(&f->arena, sizeof(sl__val));
        if (base == NULL) {
            sl__scan_fail(f->scan, SL_ENOMEM);
            v->kind = SL__V_NONE;
            return;
        }
        *base = *v;
        v->kind = SL__V_METHOD;
        v->base = base;
    } else {
        v->kind = SL__V_NONE;
    }
    v->s = name;
    v->len = len;
}

/* Concatenates `b` onto `a` for `+`. */
static void sl__concat(sl__file *f, sl__val *a, const sl__val *b)
{
    unsigned flags = (a->flags | b->flags) & ~(SL__VF_LITERAL | SL__VF_CHR_OF_VAR);
    char *p;

    if (a->kind == SL__V_STR && b->kind == SL__V_STR && sl__budget(f, a->len + b->len + 1)) {
        p = (char *)sl__arena_alloc(&f->arena, a->len + b->len + 1);
        if (p == NULL) {
            sl__scan_fail(f->scan, SL_ENOMEM);
            a->kind = SL__V_NONE;
            return;
        }
        memcpy(p, a->s, a->len);
        memcpy(p + a->len, b->s, b->len);
        p[a->len + b->len] = '\0';
        a->s = p;
        a->len += b->len;
        a->flags = flags | SL__VF_OBFUSCATED;
        sl__check_string(f, a->s, a->len, a->off);
        return;
    }
    if (a->kind == SL__V_INT && b->kind == SL__V_INT) {
        a->num += b->num;
        a->flags = flags;
        return;
    }
    a->kind = SL__V_NONE;
    a->s = NULL;
    a->flags = flags;
}

/* Joins known strings with `sep`; the result replaces `v`. */
static void sl__join(sl__file *f, sl__val *v, const sl_str *items, size_t count,
                     const char *sep, size_t sep_len, unsigned flags)
{
    size_t total = 0;
    size_t k;
    char *p;

    for (k = 0; k < count; k++) {
        total += items[k].len + (k > 0 ? sep_len : 0);
        if (total > (1u << 24)) {
            v->kind = SL__V_NONE;
            return;
        }
    }
    if (!sl__budget(f, total + 1) || (p = (char *)sl__arena_alloc(&f->arena, total + 1)) == NULL) {
        v->kind = SL__V_NONE;
        return;
    }
    total = 0;
    for (k = 0; k < count; k++) {
        if (k > 0) {
            memcpy(p + total, sep, sep_len);
            total += sep_len;
        }
        memcpy(p + total, items[k].ptr, items[k].len);
        total += items[k].len;
    }
    p[total] = '\0';
    v->kind = SL__V_STR;
    v->s = p;
    v->len = total;
    v->flags = (v->flags | flags | SL__VF_OBFUSCATED) & ~SL__VF_LITERAL;
    sl__check_string(f, p, total, v->off);
}

/* Makes `v` a list of one-character strings from known integers (chr() over a list). */
static void sl__ints_to_chars(sl__file *f, sl__val *v, const int64_t *ints, size_t count)
{
    sl_str *items;
    char *buf;
    size_t k;
    size_t used = 0;

    if (!sl__budget(f, count * (sizeof(sl_str) + 4)) ||
        (items = (sl_str *)sl__arena_alloc(&f->arena, count * sizeof(sl_str) + 1)) == NULL ||
        (buf = (char *)sl__arena_alloc(&f->arena, count * 4 + 1)) == NULL) {
        v->kind = SL__V_NONE;
        return;
    }
    for (k = 0; k < count; k++) {
        unsigned long cp = ints[k] < 0 || ints[k] > 0x10FFFF ? 0xFFFD : (unsigned long)ints[k];
        size_t n = sl__utf8_encode(cp, buf + used);
        items[k].ptr = buf + used;
        items[k].len = n;
        used += n;
    }
    v->kind = SL__V_LIST;
    v->items = items;
    v->count = count;
    v->flags = (v->flags | SL__VF_OBFUSCATED) & ~SL__VF_LITERAL;
}

/* Arguments of one call, as far as the actions need them. */
typedef struct sl__call {
    sl__val arg[4];       /* first positional arguments */
    size_t nargs;         /* positional arguments seen */
    unsigned flags;       /* value flags of everything inside the parentheses */
    sl__val mode;         /* Python keyword `mode` */
    int has_mode;
    int64_t *ints;        /* String.fromCharCode: every argument, when all are integers */
    size_t nints;
    int ints_ok;
    size_t open;
    size_t close;
} sl__call;

static int sl__is_shell_name(const char *s, size_t len)
{
    static const char *const shells[] = {
        "sh", "bash", "zsh", "dash", "ksh", "ash", "csh", "tcsh", "fish", "cmd", "cmd.exe",
        "powershell", "powershell.exe", "pwsh", NULL
    };
    size_t k = len;

    while (k > 0 && s[k - 1] != '/' && s[k - 1] != '\\') {
        k--;
    }
    return len > k && sl__in_words(s + k, len - k, shells);
}

/* Returns the interpreter language of a program name: python, node or a shell. */
static int sl__interpreter(const char *s, size_t len)
{
    size_t k = len;

    while (k > 0 && s[k - 1] != '/') {
        k--;
    }
    s += k;
    len -= k;
    if (sl__starts(s, len, "python") || sl__streq(s, len, "py")) {
        return SL__PY;
    }
    if (sl__streq(s, len, "node") || sl__streq(s, len, "nodejs") || sl__streq(s, len, "deno") ||
        sl__streq(s, len, "bun")) {
        return SL__JS;
    }
    if (sl__is_shell_name(s, len)) {
        return SL__SH;
    }
    return 0;
}

/* Looks at an argv list handed to a process call: `sh -c CODE`, `python -c CODE` and
 * `node -e CODE` have their code scanned in that language; any other command line is
 * scanned as shell, quoted word by word, to catch `chmod +x`, `nc -e`, `crontab`, .... */
static void sl__argv_scan(sl__file *f, const sl_str *items, size_t count, size_t off)
{
    int lang;
    size_t k;
    sl_buf line;

    if (count == 0) {
        return;
    }
    lang = sl__interpreter(items[0].ptr, items[0].len);
    if (sl__is_shell_name(items[0].ptr, items[0].len)) {
        sl__fact(f, SL__F_SHELLSTR, off);
    }
    for (k = 1; lang != 0 && k + 1 < count; k++) {
        if (sl__streq(items[k].ptr, items[k].len, "-c") ||
            (lang == SL__JS && (sl__streq(items[k].ptr, items[k].len, "-e") ||
                                sl__streq(items[k].ptr, items[k].len, "--eval")))) {
            sl__subscan_queue(f, lang, items[k + 1].ptr, items[k + 1].len, off);
            return;
        }
    }
    sl_buf_init(&line, &f->arena.alloc);
    for (k = 0; k < count && line.len < 65536; k++) {
        size_t j;
        sl_buf_append(&line, k > 0 ? " '" : "'", k > 0 ? 2 : 1);
        for (j = 0; j < items[k].len; j++) {
            if (items[k].ptr[j] == '\'') {
                sl_buf_append(&line, "'\\''", 4);
            } else {
                sl_buf_putc(&line, items[k].ptr[j]);
            }
        }
        sl_buf_putc(&line, '\'');
    }
    if (line.failed) {
        sl__scan_fail(f->scan, SL_ENOMEM);
    } else {
        char *copy = sl__fdup(f, line.data, line.len);
        if (copy != NULL) {
            sl__subscan_queue(f, SL__SH, copy, line.len, off);
        }
    }
    sl_buf_free(&line);
}

/* Findings shared by every executing call: what reached it decides how bad it is. */
static void sl__exec_input(sl__file *f, const sl__val *callee, unsigned flags, size_t off)
{
    if (flags & SL__VF_DECODED) {
        sl__emit(f, SL__C_DECODE_EXEC, off);
    }
    if (flags & SL__VF_NETWORK) {
        sl__emit(f, SL__C_DOWNLOAD_EXEC, off);
    }
    if (callee->flags & SL__VF_OBFUSCATED) {
        sl__emit(f, SL__C_OBFUSCATED, off);
    }
}

/* Scans the tokens of a call for `shell=True` or `shell: true`. */
static int sl__call_has_shell(const sl__file *f, const sl__call *c)
{
    size_t i;

    for (i = c->open + 1; i + 2 < c->close; i++) {
        if (sl__kw(f, i, "shell") && (sl__op(f, i + 1, "=") || sl__op(f, i + 1, ":")) &&
            (sl__kw(f, i + 2, "True") || sl__kw(f, i + 2, "true"))) {
            return 1;
        }
    }
    return 0;
}

/* Returns 1 when an identifier or literal in the call sets an executable bit. */
static int sl__call_chmod_exec(const sl__file *f, const sl__call *c)
{
    size_t i;

    for (i = c->open + 1; i < c->close; i++) {
        const sl__tok *t = sl__t(f, i);
        size_t len;
        const char *s;
        int64_t n;
        if (t->kind == SL__TK_IDENT) {
            s = sl__raw(f, i, &len);
            if (sl__starts(s, len, "S_IX") || sl__streq(s, len, "S_IEXEC") ||
                sl__starts(s, len, "S_IRWX")) {
                return 1;
            }
        } else if (t->kind == SL__TK_NUMBER) {
            s = sl__raw(f, i, &len);
            if (sl__parse_int(s, len, f->language == SL__JS, &n) && (n & 0111) != 0 &&
                n <= 07777) {
                return 1;
            }
        } else if (t->kind == SL__TK_STRING) {
            s = sl__tok_text(&f->lx, i, &len);
            if (sl__streq(s, len, "+x") || sl__streq(s, len, "755") || sl__streq(s, len, "777") ||
                sl__streq(s, len, "0755")) {
                return 1;
            }
        }
    }
    return 0;
}

/* Scans the tokens of yaml.load(...) for a safe loader. */
static int sl__call_safe_loader(const sl__file *f, const sl__call *c)
{
    size_t i;

    for (i = c->open + 1; i < c->close; i++) {
        size_t len;
        const char *s;
        if (sl__t(f, i)->kind == SL__TK_IDENT) {
            s = sl__raw(f, i, &len);
            if (sl__streq(s, len, "SafeLoader") || sl__streq(s, len, "CSafeLoader") ||
                sl__streq(s, len, "BaseLoader")) {
                return 1;
            }
        }
    }
    return 0;
}

static void sl__write_path(sl__file *f, const sl__val *path, size_t off)
{
    sl__fact(f, SL__F_WRITE_FILE, off);
    if (path->kind == SL__V_STR && sl__path_outside(path->s, path->len)) {
        sl__emit(f, SL__C_WRITE_OUTSIDE, off);
    }
}

/* Process and shell calls. */
static void sl__act_process(sl__file *f, const sl__val *callee, const sl__call *c, int shell,
                            sl__val *out)
{
    size_t off = callee->off;
    const sl__val *a0 = &c->arg[0];

    sl__fact(f, SL__F_PROCESS, off);
    if (c->nargs >= 1 && a0->kind == SL__V_LIST && a0->count >= 2 &&
        sl__is_shell_name(a0->items[0].ptr, a0->items[0].len) &&
        sl__streq(a0->items[1].ptr, a0->items[1].len, "-c")) {
        shell = 1; /* ["bash", "-c", "..."] hands a command line to a shell */
    }
    sl__emit(f, shell ? SL__C_EXEC_SHELL : SL__C_EXEC_PROCESS, off);
    sl__exec_input(f, callee, c->flags, off);
    if (c->nargs >= 1 && a0->kind == SL__V_STR) {
        if (sl__is_shell_name(a0->s, a0->len)) {
            sl__fact(f, SL__F_SHELLSTR, off);
        }
        if (c->nargs >= 2 && c->arg[1].kind == SL__V_LIST && !shell) {
            /* spawn("sh", ["-c", code]) */
            size_t n = c->arg[1].count;
            sl_str *items = (sl_str *)sl__arena_alloc(&f->arena, (n + 1) * sizeof(sl_str));
            if (items == NULL) {
                sl__scan_fail(f->scan, SL_ENOMEM);
                return;
            }
            items[0].ptr = a0->s;
            items[0].len = a0->len;
            if (n > 0) {
                memcpy(items + 1, c->arg[1].items, n * sizeof(sl_str));
            }
            sl__argv_scan(f, items, n + 1, off);
        } else {
            sl__subscan_queue(f, SL__SH, a0->s, a0->len, off);
        }
    } else if (c->nargs >= 1 && a0->kind == SL__V_LIST) {
        sl__argv_scan(f, a0->items, a0->count, off);
    }
    sl__val_none(out, off);
}

/* eval, exec, Function, vm.*: the code string is scanned as the same language. */
static void sl__act_code(sl__file *f, const sl__val *callee, const sl__call *c, sl__val *out)
{
    size_t off = callee->off;
    const sl__val *code = &c->arg[0];

    if (sl__val_name_is(callee, "Function") && c->nargs >= 1 && c->nargs <= 4) {
        code = &c->arg[c->nargs - 1];
    }
    sl__emit(f, SL__C_DYNAMIC_CODE, off);
    sl__exec_input(f, callee, c->flags, off);
    if (c->nargs >= 1 && code->kind == SL__V_STR) {
        sl__subscan_queue(f, f->language, code->s, code->len, off);
    }
    if (c->nargs >= 1 && !(code->flags & SL__VF_LITERAL)) {
        /* a variable may change after its first value (d += chunk) */
        sl__fact(f, SL__F_DYN_EVAL, off);
    }
    sl__val_none(out, off);
}

/* __import__, import_module, require, import(): the result names the module. */
static void sl__act_import(sl__file *f, const sl__val *callee, const sl__call *c, sl__val *out)
{
    static const char *const ffi_modules[] = {
        "ffi-napi", "ffi", "node-ffi", "koffi", "ref-napi", "ctypes", "cffi", NULL
    };
    const sl__val *name = &c->arg[0];
    const char *s;
    size_t len;

    sl__val_none(out, callee->off);
    if (c->nargs < 1 || name->kind != SL__V_STR) {
        sl__emit(f, SL__C_DYNAMIC_IMPORT, callee->off);
        return;
    }
    if (!(name->flags & SL__VF_LITERAL)) {
        sl__emit(f, SL__C_DYNAMIC_IMPORT, callee->off);
    }
    s = name->s;
    len = name->len;
    sl__name_normalize(&s, &len);
    if (sl__streq(s, len, "fs/promises")) {
        len = 2;
    }
    if (len > 0 && sl__in_words(s, len, ffi_modules)) {
        sl__emit(f, SL__C_FFI, callee->off);
        sl__fact(f, SL__F_CTYPES, callee->off);
    }
    sl__val_set_name(f, out, s, len, NULL, 0);
    out->flags = (name->flags | callee->flags) & (SL__VF_OBFUSCATED | SL__VF_DECODED);
    if (!(name->flags & SL__VF_LITERAL)) {
        out->flags |= SL__VF_OBFUSCATED;
    }
}

/* getattr(obj, "name"), globals()["name"], vars(obj). */
static void sl__act_getattr(sl__file *f, const sl__val *callee, const sl__call *c, int action,
                            sl__val *out)
{
    sl__val_none(out, callee->off);
    if (action == SL__A_GLOBALS) {
        if (c->nargs == 0) {
            sl__val_set_name(f, out, "__dict__", 8, NULL, 0);
        } else if (c->arg[0].kind == SL__V_NAME) {
            sl__val_set_name(f, out, c->arg[0].s, c->arg[0].len, "__dict__", 8);
        }
        return;
    }
    if (c->nargs >= 2 && c->arg[0].kind == SL__V_NAME && c->arg[1].kind == SL__V_STR) {
        sl__val_set_name(f, out, c->arg[0].s, c->arg[0].len, c->arg[1].s, c->arg[1].len);
        out->flags = c->arg[0].flags | c->arg[1].flags | SL__VF_OBFUSCATED;
    }
}

/* Reverses a known string or list (`[::-1]`, reversed(), .reverse()); anything else
 * becomes unknown. */
static void sl__reverse(sl__file *f, sl__val *v)
{
    size_t k;

    v->flags = (v->flags | SL__VF_OBFUSCATED) & ~SL__VF_LITERAL;
    if (v->kind == SL__V_STR && sl__budget(f, v->len + 1)) {
        char *p = (char *)sl__arena_alloc(&f->arena, v->len + 1);
        if (p == NULL) {
            sl__scan_fail(f->scan, SL_ENOMEM);
            v->kind = SL__V_NONE;
            return;
        }
        for (k = 0; k < v->len; k++) {
            p[k] = v->s[v->len - 1 - k];
        }
        p[v->len] = '\0';
        v->s = p;
        sl__check_string(f, p, v->len, v->off);
        return;
    }
    if (v->kind == SL__V_LIST && sl__budget(f, v->count * sizeof(sl_str))) {
        sl_str *items = (sl_str *)sl__arena_alloc(&f->arena, v->count * sizeof(sl_str) + 1);
        if (items == NULL) {
            sl__scan_fail(f->scan, SL_ENOMEM);
            v->kind = SL__V_NONE;
            return;
        }
        for (k = 0; k < v->count; k++) {
            items[k] = v->items[v->count - 1 - k];
        }
        v->items = items;
        return;
    }
    v->kind = SL__V_NONE;
}

/* Folding calls that build strings: chr, bytes, fromhex, base64, codecs, map, ... */
static void sl__act_fold(sl__file *f, const sl__val *callee, sl__call *c, int action,
                         sl__val *out)
{
    const sl__val *a0 = &c->arg[0];
    const sl__val *a1 = &c->arg[1];
    char ch[4];

    *out = c->nargs >= 1 ? *a0 : *out;
    out->off = callee->off;
    out->flags = c->flags & ~(SL__VF_LITERAL | SL__VF_CHR_OF_VAR | SL__VF_GENERATED);
    if (c->nargs == 0) {
        out->kind = SL__V_NONE;
        return;
    }
    switch (action) {
    case SL__A_CHR:
        if (a0->kind == SL__V_INT && a0->num >= 0 && a0->num <= 0x10FFFF) {
            sl__val_set_str(f, out, ch, sl__utf8_encode((unsigned long)a0->num, ch),
                            SL__VF_OBFUSCATED);
        } else {
            out->kind = SL__V_NONE;
            out->flags |= SL__VF_CHR_OF_VAR;
        }
        break;
    case SL__A_BYTES:
        if (a0->kind == SL__V_INTS) {
            sl__val tmp = *out;
            sl__ints_to_chars(f, &tmp, a0->ints, a0->count);
            if (tmp.kind == SL__V_LIST) {
                sl__join(f, out, tmp.items, tmp.count, "", 0, 0);
            } else {
                out->kind = SL__V_NONE;
            }
        } else if (a0->kind != SL__V_STR) {
            out->kind = SL__V_NONE;
        }
        break;
    case SL__A_FROMHEX:
        sl__val_decode(f, out, SL__DEC_HEX);
        break;
    case SL__A_B64:
    case SL__A_ATOB:
        sl__val_decode(f, out, SL__DEC_B64);
        break;
    case SL__A_URIDECODE:
        if (a0->kind == SL__V_STR && memchr(a0->s, '%', a0->len) != NULL) {
            sl__val_decode(f, out, SL__DEC_PERCENT);
        }
        break;
    case SL__A_BUFFER_FROM:
    case SL__A_CODECS:
        if (c->nargs >= 2 && a1->kind == SL__V_STR) {
            if (sl__starts(a1->s, a1->len, "rot")) {
                sl__val_decode(f, out, SL__DEC_ROT13);
            } else if (sl__starts(a1->s, a1->len, "hex")) {
                sl__val_decode(f, out, SL__DEC_HEX);
            } else if (sl__starts(a1->s, a1->len, "base64")) {
                sl__val_decode(f, out, SL__DEC_B64);
            }
        } else if (a0->kind == SL__V_INTS) {
            sl__act_fold(f, callee, c, SL__A_BYTES, out);
        }
        break;
    case SL__A_DECOMPRESS:
        out->kind = SL__V_NONE;
        out->flags |= SL__VF_DECODED | SL__VF_OBFUSCATED;
        break;
    case SL__A_MAP:
        if (sl__val_name_is(a0, "chr") && c->nargs >= 2 && a1->kind == SL__V_INTS) {
            sl__ints_to_chars(f, out, a1->ints, a1->count);
        } else {
            out->kind = SL__V_NONE;
        }
        break;
    case SL__A_REVERSED:
        sl__reverse(f, out);
        break;
    case SL__A_FROMCHARCODE:
        if (c->ints_ok && c->nints > 0) {
            sl__val tmp = *out;
            sl__ints_to_chars(f, &tmp, c->ints, c->nints);
            if (tmp.kind == SL__V_LIST) {
                sl__join(f, out, tmp.items, tmp.count, "", 0, 0);
                break;
            }
        } else if (c->nargs == 1 && a0->kind == SL__V_INTS) {
            sl__val tmp = *out;
            sl__ints_to_chars(f, &tmp, a0->ints, a0->count);
            if (tmp.kind == SL__V_LIST) {
                sl__join(f, out, tmp.items, tmp.count, "", 0, 0);
                break;
            }
        }
        out->kind = SL__V_NONE;
        break;
    default: /* SL__A_PASS */
        break;
    }
}

/* Returns 1 when the string value contains any byte of `set`. */
static int sl__mem_any(const sl__val *v, const char *set)
{
    size_t k;

    for (k = 0; k < v->len; k++) {
        if (sl__in_set((unsigned char)v->s[k], set)) {
            return 1;
        }
    }
    return 0;
}

/* Calls a method of a known string or list ("".join, .split, .reverse, .lower, ...). */
static void sl__act_method(sl__file *f, const sl__val *m, const sl__call *c, sl__val *out)
{
    const sl__val *base = m->base;
    const sl__val *a0 = &c->arg[0];
    const char *name = m->s;
    size_t len = m->len;

    *out = *base;
    out->off = m->off;
    out->flags = (base->flags | c->flags) & ~(SL__VF_LITERAL | SL__VF_CHR_OF_VAR);
    if (base->kind == SL__V_STR) {
        if (sl__streq(name, len, "join") && c->nargs == 1 && a0->kind == SL__V_LIST) {
            sl__join(f, out, a0->items, a0->count, base->s, base->len, a0->flags);
        } else if (sl__streq(name, len, "join") && c->nargs == 1 && a0->kind == SL__V_STR &&
                   base->len == 0) {
            *out = *a0;
            out->off = m->off;
            out->flags |= SL__VF_OBFUSCATED;
        } else if (sl__in_words(name, len, (const char *const[]){
                       "decode", "encode", "toString", "valueOf", "strip", "trim", "lstrip",
                       "rstrip", "casefold", NULL})) {
            /* keeps the known string; surrounding whitespace does not matter for names */
        } else if (sl__in_words(name, len, (const char *const[]){
                       "lower", "upper", "toLowerCase", "toUpperCase", NULL})) {
            size_t k;
            char *p = sl__budget(f, base->len + 1) ? sl__fdup(f, base->s, base->len) : NULL;
            int up = name[0] == 'u' || name[2] == 'U';
            if (p == NULL) {
                out->kind = SL__V_NONE;
                return;
            }
            for (k = 0; k < base->len; k++) {
                char ch = p[k];
                if (up && ch >= 'a' && ch <= 'z') {
                    p[k] = (char)(ch - 32);
                } else if (!up && ch >= 'A' && ch <= 'Z') {
                    p[k] = (char)(ch + 32);
                }
            }
            out->s = p;
            out->flags |= SL__VF_OBFUSCATED;
            sl__check_string(f, p, base->len, out->off);
        } else if (sl__streq(name, len, "split") && c->nargs == 1 && a0->kind == SL__V_STR &&
                   a0->len == 0) {
            sl_str *items;
            size_t k;
            if (!sl__budget(f, base->len * sizeof(sl_str)) ||
                (items = (sl_str *)sl__arena_alloc(&f->arena,
                                                   base->len * sizeof(sl_str) + 1)) == NULL) {
                out->kind = SL__V_NONE;
                return;
            }
            for (k = 0; k < base->len; k++) {
                items[k].ptr = base->s + k;
                items[k].len = 1;
            }
            out->kind = SL__V_LIST;
            out->items = items;
            out->count = base->len;
        } else if (sl__streq(name, len, "replace") && c->nargs == 2 && a0->kind == SL__V_STR &&
                   a0->len > 0 && c->arg[1].kind == SL__V_STR) {
            sl_buf b;
            size_t k = 0;
            sl_buf_init(&b, &f->arena.alloc);
            while (k < base->len && b.len < (1u << 20)) {
                if (base->len - k >= a0->len && memcmp(base->s + k, a0->s, a0->len) == 0) {
                    sl_buf_append(&b, c->arg[1].s, c->arg[1].len);
                    k += a0->len;
                } else {
                    sl_buf_putc(&b, base->s[k++]);
                }
            }
            out->kind = SL__V_NONE;
            if (!b.failed) {
                sl__val_set_str(f, out, b.len > 0 ? b.data : "", b.len, SL__VF_OBFUSCATED);
                sl__check_string(f, out->s, out->len, out->off);
            }
            sl_buf_free(&b);
        } else {
            out->kind = SL__V_NONE;
        }
    } else if (base->kind == SL__V_LIST) {
        if (sl__streq(name, len, "reverse")) {
            sl__reverse(f, out);
        } else if (sl__streq(name, len, "join")) {
            if (c->nargs == 0) {
                sl__join(f, out, base->items, base->count, ",", 1, 0);
            } else if (a0->kind == SL__V_STR) {
                sl__join(f, out, base->items, base->count, a0->s, a0->len, 0);
            } else {
                out->kind = SL__V_NONE;
            }
        } else {
            out->kind = SL__V_NONE;
        }
    } else {
        out->kind = SL__V_NONE;
    }
}

/* Applies what the callee does, given its evaluated arguments; `callee` becomes the
 * call's result. */
static void sl__apply(sl__file *f, sl__val *callee, sl__call *c, int action)
{
    size_t off = callee->off;
    sl__val out;

    sl__val_none(&out, off);
    if ((c->flags & SL__VF_ENV) && action != SL__A_SHELL && action != SL__A_PROCESS &&
        action != SL__A_PTY && action != SL__A_ENV_COPY) {
        sl__fact(f, SL__F_ENV_WHOLE, off);
    }
    switch (action) {
    case SL__A_SHELL:
        sl__act_process(f, callee, c, 1, &out);
        break;
    case SL__A_PTY:
        sl__fact(f, SL__F_PTY, off);
        sl__act_process(f, callee, c, 0, &out);
        break;
    case SL__A_PROCESS:
        sl__act_process(f, callee, c, sl__call_has_shell(f, c), &out);
        break;
    case SL__A_CODE_STRING:
        /* setTimeout("code") runs code, setTimeout(fn) does not */
        if (c->nargs == 0 || c->arg[0].kind != SL__V_STR) {
            break;
        }
        /* fall through */
    case SL__A_CODE:
        sl__act_code(f, callee, c, &out);
        break;
    case SL__A_YAML_LOAD:
        if (sl__call_safe_loader(f, c)) {
            break;
        }
        /* fall through */
    case SL__A_DESERIALIZE:
    case SL__A_MARSHAL:
        sl__emit(f, SL__C_DESERIALIZE, off);
        sl__exec_input(f, callee, c->flags, off);
        if (action == SL__A_MARSHAL) {
            out.flags = SL__VF_DECODED;
        }
        break;
    case SL__A_SOCKET:
        sl__fact(f, SL__F_SOCKET, off);
        /* fall through */
    case SL__A_DOWNLOAD:
        if (action == SL__A_DOWNLOAD) {
            sl__fact(f, SL__F_DOWNLOAD_FILE, off);
        }
        /* fall through */
    case SL__A_NETWORK:
        sl__emit(f, SL__C_NETWORK, off);
        sl__fact(f, SL__F_NETWORK, off);
        out.flags = SL__VF_NETWORK;
        break;
    case SL__A_DUP2:
        sl__fact(f, SL__F_DUP2, off);
        break;
    case SL__A_FFI:
        sl__emit(f, SL__C_FFI, off);
        sl__fact(f, SL__F_CTYPES, off);
        break;
    case SL__A_OPEN:
        if ((c->has_mode && c->mode.kind == SL__V_STR && sl__mem_any(&c->mode, "wax+")) ||
            (c->nargs >= 2 && c->arg[1].kind == SL__V_STR && sl__mem_any(&c->arg[1], "wax+"))) {
            sl__write_path(f, &c->arg[0], off);
        }
        break;
    case SL__A_WRITE0:
        sl__write_path(f, &c->arg[0], off);
        if ((c->flags & SL__VF_NETWORK) != 0) {
            sl__fact(f, SL__F_DOWNLOAD_FILE, off);
        }
        break;
    case SL__A_WRITE1:
        sl__write_path(f, &c->arg[1], off);
        break;
    case SL__A_CHMOD:
        if (sl__call_chmod_exec(f, c)) {
            sl__fact(f, SL__F_CHMOD_EXEC, off);
        }
        break;
    case SL__A_IMPORT:
        sl__act_import(f, callee, c, &out);
        break;
    case SL__A_GETATTR:
    case SL__A_GLOBALS:
        sl__act_getattr(f, callee, c, action, &out);
        break;
    case SL__A_CHR: case SL__A_BYTES: case SL__A_FROMHEX: case SL__A_B64:
    case SL__A_CODECS: case SL__A_DECOMPRESS: case SL__A_MAP: case SL__A_REVERSED:
    case SL__A_PASS: case SL__A_FROMCHARCODE: case SL__A_ATOB: case SL__A_BUFFER_FROM:
    case SL__A_URIDECODE:
        sl__act_fold(f, callee, c, action, &out);
        break;
    case SL__A_JOINPATH: {
        size_t k;
        int all = c->nargs >= 1 && c->nargs <= 4;
        for (k = 0; all && k < c->nargs; k++) {
            all = c->arg[k].kind == SL__V_STR;
        }
        out.flags = c->flags & ~SL__VF_LITERAL;
        if (all) {
            sl_str items[4];
            size_t first = 0;
            for (k = 0; k < c->nargs; k++) {
                items[k].ptr = c->arg[k].s;
                items[k].len = c->arg[k].len;
                if (items[k].len > 0 && items[k].ptr[0] == '/') {
                    first = k;
                }
            }
            sl__join(f, &out, items + first, c->nargs - first, "/", 1, 0);
        }
        break;
    }
    case SL__A_ENV_ITEMS:
        out.flags = SL__VF_ENV;
        break;
    case SL__A_REQUIRE_FN:
        sl__val_set_name(f, &out, "require", 7, NULL, 0);
        break;
    default:
        if (callee->kind == SL__V_NONE) {
            out.flags = callee->flags & (SL__VF_NETWORK | SL__VF_DECODED | SL__VF_OBFUSCATED);
            if ((c->flags & SL__VF_NETWORK) && callee->s != NULL &&
                sl__streq(callee->s, callee->len, "write")) {
                sl__fact(f, SL__F_DOWNLOAD_FILE, off); /* f.write(response.content) */
            }
        }
        break;
    }
    *callee = out;
}

static int sl__display_method(const sl__val *callee)
{
    static const char *const names[] = {
        "info", "debug", "warning", "warn", "error", "exception", "critical", "log", NULL
    };
    if (callee->kind != SL__V_NONE || callee->s == NULL || callee->len == 0) {
        return 0;
    }
    /* logger.info(...), raise ValueError(...): the text is a message */
    return sl__in_words(callee->s, callee->len, names) ||
           sl__ends(callee->s, callee->len, "Error") ||
           sl__ends(callee->s, callee->len, "Exception") ||
           sl__ends(callee->s, callee->len, "Warning");
}

/* Queues a token range for evaluation from the top (the depth limit was reached). */
static void sl__pending_push(sl__file *f, size_t start, size_t end, int stmt)
{
    if (f->npending + 3 > f->pending_cap) {
        size_t ncap = f->pending_cap == 0 ? 48 : f->pending_cap * 2;
        size_t *p = (size_t *)sl__arena_alloc(&f->arena, ncap * sizeof(size_t));
        if (p == NULL) {
            sl__scan_fail(f->scan, SL_ENOMEM);
            return;
        }
        if (f->npending > 0) {
            memcpy(p, f->pending, f->npending * sizeof(size_t));
        }
        f->pending = p;
        f->pending_cap = ncap;
    }
    f->pending[f->npending++] = start;
    f->pending[f->npending++] = end;
    f->pending[f->npending++] = (size_t)stmt;
}

/* Collects an integer argument for String.fromCharCode. */
static void sl__call_int(sl__file *f, sl__call *c, const sl__val *v)
{
    if (!c->ints_ok) {
        return;
    }
    if (v->kind != SL__V_INT || c->nints >= 65536) {
        c->ints_ok = 0;
        return;
    }
    if ((c->nints & (c->nints - 1)) == 0) {
        size_t ncap = c->nints == 0 ? 16 : c->nints * 2;
        int64_t *p = (int64_t *)sl__arena_alloc(&f->arena, ncap * sizeof(int64_t));
        if (p == NULL) {
            sl__scan_fail(f->scan, SL_ENOMEM);
            c->ints_ok = 0;
            return;
        }
        if (c->nints > 0) {
            memcpy(p, c->ints, c->nints * sizeof(int64_t));
        }
        c->ints = p;
    }
    c->ints[c->nints++] = v->num;
}

/* Evaluates the arguments of a call at `open` and applies the callee. Returns the index
 * after the closing parenthesis. */
static size_t sl__eval_call(sl__file *f, size_t open, size_t end, int depth, sl__val *callee)
{
    static const char *const help_words[] = {"help", "description", "epilog", "usage", NULL};
    size_t close = sl__close_of(f, open, end);
    int action = sl__sink_action(f, callee);
    int display = action == SL__A_DISPLAY || sl__display_method(callee);
    int new_arg = 1;
    size_t i = open + 1;
    sl__call c;

    if (depth >= SL__EVAL_DEPTH) {
        sl__pending_push(f, open + 1, close, 0);
        sl__val_none(callee, callee->off);
        return close + 1;
    }
    memset(&c, 0, sizeof(c));
    c.open = open;
    c.close = close;
    c.ints_ok = action == SL__A_FROMCHARCODE;
    f->display += display;
    while (i < close && f->scan->status == SL_OK) {
        const char *kw = NULL;
        size_t kw_len = 0;
        int kw_display = 0;
        sl__val v;
        if (sl__op(f, i, ",")) {
            new_arg = 1;
            i++;
            continue;
        }
        if (sl__is_term(f, i)) {
            i++;
            continue;
        }
        if (f->language == SL__PY && new_arg && sl__t(f, i)->kind == SL__TK_IDENT &&
            i + 1 < close && sl__op(f, i + 1, "=")) {
            kw = sl__raw(f, i, &kw_len);
            kw_display = sl__in_words(kw, kw_len, help_words);
            i += 2;
        }
        f->display += kw_display;
        i = sl__eval_expr(f, i, close, depth + 1, &v);
        f->display -= kw_display;
        c.flags |= v.flags;
        if (!new_arg) {
            continue;
        }
        new_arg = 0;
        if (kw != NULL) {
            if (sl__streq(kw, kw_len, "mode")) {
                c.mode = v;
                c.has_mode = 1;
            }
            continue;
        }
        if (c.nargs < 4) {
            c.arg[c.nargs] = v;
        }
        c.nargs++;
        sl__call_int(f, &c, &v);
    }
    f->display -= display;
    if (callee->kind == SL__V_METHOD) {
        sl__val out;
        sl__act_method(f, callee, &c, &out);
        *callee = out;
    } else {
        sl__apply(f, callee, &c, action);
    }
    return close + 1;
}

/* Evaluates `v[...]` with the bracket at `open`. */
static size_t sl__eval_subscript(sl__file *f, size_t open, size_t end, int depth, sl__val *v)
{
    size_t close = sl__close_of(f, open, end);
    sl__val idx;
    unsigned flags;

    v->flags &= ~(SL__VF_LITERAL | SL__VF_CHR_OF_VAR | SL__VF_GENERATED);
    if (close == open + 5 && sl__op(f, open + 1, ":") && sl__op(f, open + 2, ":") &&
        sl__op(f, open + 3, "-") && sl__tok_is(&f->lx, open + 4, SL__TK_NUMBER, "1")) {
        sl__reverse(f, v);
        return close + 1;
    }
    if (depth >= SL__EVAL_DEPTH) {
        sl__pending_push(f, open + 1, close, 0);
        v->kind = SL__V_NONE;
        return close + 1;
    }
    flags = sl__eval_seq(f, open + 1, close, depth + 1, 0, &idx);
    if (v->kind == SL__V_NAME && idx.kind == SL__V_STR) {
        const char *n = v->s;
        size_t len = v->len;
        unsigned keep = v->flags | idx.flags | SL__VF_OBFUSCATED;
        if (f->language == SL__JS) {
            sl__val_set_name(f, v, n, len, idx.s, idx.len);
        } else if (sl__streq(n, len, "__dict__") || sl__streq(n, len, "sys.modules")) {
            sl__val_set_name(f, v, idx.s, idx.len, NULL, 0);
        } else if (sl__ends(n, len, ".__dict__")) {
            sl__val_set_name(f, v, n, len - 9, idx.s, idx.len);
        } else {
            v->kind = SL__V_NONE;
        }
        v->flags = keep & ~SL__VF_LITERAL;
    } else if (v->kind == SL__V_LIST && idx.kind == SL__V_INT && idx.num >= 0 &&
               (size_t)idx.num < v->count) {
        const sl_str *item = &v->items[idx.num];
        v->kind = SL__V_STR;
        v->s = item->ptr;
        v->len = item->len;
        v->flags |= SL__VF_OBFUSCATED;
    } else if (v->kind == SL__V_STR && idx.kind == SL__V_INT && idx.num >= 0 &&
               (size_t)idx.num < v->len) {
        v->s += idx.num;
        v->len = 1;
        v->flags |= SL__VF_OBFUSCATED;
    } else {
        v->kind = SL__V_NONE;
        v->s = NULL;
        v->flags |= flags & (SL__VF_NETWORK | SL__VF_DECODED);
    }
    return close + 1;
}

/* Evaluates one string literal (JavaScript) or a run of adjacent ones (Python). */
static size_t sl__eval_strings(sl__file *f, size_t i, size_t end, sl__val *v)
{
    size_t first = i;
    size_t count = 0;
    int dynamic = 0;
    int escaped = 0;

    while (i < end && sl__t(f, i)->kind == SL__TK_STRING) {
        size_t len;
        const char *s = sl__tok_text(&f->lx, i, &len);
        const sl__tok *t = sl__t(f, i);
        sl__check_string(f, s, len, t->off);
        sl__check_opaque(f, s, len, t->off);
        dynamic |= (t->flags & SL__TF_DYNAMIC) != 0;
        escaped |= (t->flags & SL__TF_ESCAPED) != 0;
        count++;
        i++;
        if (f->language != SL__PY || dynamic) {
            break;
        }
    }
    if (dynamic) {
        return i;
    }
    if (count == 1) {
        v->kind = SL__V_STR;
        v->s = sl__tok_text(&f->lx, first, &v->len);
        v->flags = SL__VF_LITERAL | (escaped ? SL__VF_OBFUSCATED : 0);
        return i;
    }
    {
        size_t total = 0;
        size_t k;
        char *p;
        for (k = first; k < i; k++) {
            total += sl__t(f, k)->vlen;
        }
        if (!sl__budget(f, total + 1) ||
            (p = (char *)sl__arena_alloc(&f->arena, total + 1)) == NULL) {
            return i;
        }
        total = 0;
        for (k = first; k < i; k++) {
            size_t len;
            const char *s = sl__tok_text(&f->lx, k, &len);
            memcpy(p + total, s, len);
            total += len;
        }
        p[total] = '\0';
        v->kind = SL__V_STR;
        v->s = p;
        v->len = total;
        v->flags = escaped ? SL__VF_OBFUSCATED : 0;
    }
    return i;
}

/* Evaluates a list display `[...]` at `open`: known strings or integers become a LIST or
 * INTS value. */
static size_t sl__eval_list(sl__file *f, size_t open, size_t end, int depth, sl__val *v)
{
    size_t close = sl__close_of(f, open, end);
    size_t i = open + 1;
    size_t n = 0;
    size_t seen = 0;
    size_t cap = 0;
    sl_str *strs = NULL;
    int64_t *ints = NULL;
    int all_str = 1;
    int all_int = 1;
    sl__val item;
    sl__val single;

    if (depth >= SL__EVAL_DEPTH) {
        sl__pending_push(f, open + 1, close, 0);
        return close + 1;
    }
    sl__val_none(&single, v->off);
    while (i < close && f->scan->status == SL_OK) {
        if (sl__is_term(f, i)) {
            all_str &= !sl__op(f, i, ":");
            all_int &= !sl__op(f, i, ":");
            i++;
            continue;
        }
        i = sl__eval_expr(f, i, close, depth + 1, &item);
        v->flags |= item.flags & (SL__VF_NETWORK | SL__VF_DECODED | SL__VF_ENV);
        single = item;
        seen++;
        all_str &= item.kind == SL__V_STR;
        all_int &= item.kind == SL__V_INT;
        if ((!all_str && !all_int) || n >= (1u << 20)) {
            all_str = all_int = 0;
            continue;
        }
        if (n == cap) {
            size_t ncap = cap == 0 ? 16 : cap * 2;
            void *p = sl__arena_alloc(&f->arena, ncap * (all_str ? sizeof(sl_str)
                                                                 : sizeof(int64_t)));
            if (p == NULL || !sl__budget(f, ncap * sizeof(sl_str))) {
                all_str = all_int = 0;
                continue;
            }
            if (all_str) {
                if (n > 0) {
                    memcpy(p, strs, n * sizeof(sl_str));
                }
                strs = (sl_str *)p;
            } else {
                if (n > 0) {
                    memcpy(p, ints, n * sizeof(int64_t));
                }
                ints = (int64_t *)p;
            }
            cap = ncap;
        }
        if (all_str) {
            strs[n].ptr = item.s;
            strs[n].len = item.len;
        } else {
            ints[n] = item.num;
        }
        n++;
    }
    if (seen == 1 && single.kind == SL__V_LIST && (single.flags & SL__VF_GENERATED)) {
        *v = single;
    } else if (n > 0 && all_str) {
        v->kind = SL__V_LIST;
        v->items = strs;
        v->count = n;
    } else if (n > 0 && all_int) {
        v->kind = SL__V_INTS;
        v->ints = ints;
        v->count = n;
    }
    return close + 1;
}

/* Identifiers that mark native code made executable. */
static void sl__note_exec_memory(sl__file *f, size_t i)
{
    static const char *const names[] = {
        "PROT_EXEC", "PAGE_EXECUTE_READWRITE", "PAGE_EXECUTE_READ", "VirtualAlloc",
        "VirtualProtect", "mprotect", NULL
    };
    size_t len;
    const char *s = sl__raw(f, i, &len);

    if ((s[0] == 'P' || s[0] == 'V' || s[0] == 'm') && sl__in_words(s, len, names)) {
        sl__fact(f, SL__F_EXEC_MEM, sl__t(f, i)->off);
    }
}

static size_t sl__eval_primary(sl__file *f, size_t i, size_t end, int depth, sl__val *v)
{
    const sl__tok *t = sl__t(f, i);
    size_t len;
    const char *s;

    sl__val_none(v, t->off);
    if (t->kind == SL__TK_STRING) {
        return sl__eval_strings(f, i, end, v);
    }
    if (t->kind == SL__TK_NUMBER) {
        s = sl__raw(f, i, &len);
        if (sl__parse_int(s, len, f->language == SL__JS, &v->num)) {
            v->kind = SL__V_INT;
        }
        return i + 1;
    }
    if (t->kind == SL__TK_IDENT) {
        s = sl__raw(f, i, &len);
        if (f->language == SL__JS && sl__streq(s, len, "import") && i + 1 < end &&
            sl__op(f, i + 1, "(")) {
            v->kind = SL__V_NAME;
            v->s = s;
            v->len = len;
            return i + 1;
        }
        if (f->language == SL__JS && sl__streq(s, len, "function")) {
            i++;
            if (i < end && sl__op(f, i, "*")) {
                i++;
            }
            return (i < end && sl__t(f, i)->kind == SL__TK_IDENT) ? i + 1 : i;
        }
        if (sl__is_keyword(f, i)) {
            return i + 1;
        }
        sl__note_exec_memory(f, i);
        sl__resolve_ident(f, i, v);
        return i + 1;
    }
    if (t->kind != SL__TK_OP || t->len != 1) {
        return i + 1;
    }
    s = f->lx.src + t->off;
    if (s[0] == '(' || s[0] == '{') {
        size_t close = sl__close_of(f, i, end);
        int stmt = s[0] == '{' && f->language == SL__JS;
        if (depth >= SL__EVAL_DEPTH) {
            sl__pending_push(f, i + 1, close, stmt);
            return close + 1;
        }
        v->flags = sl__eval_seq(f, i + 1, close, depth + 1, stmt, s[0] == '(' ? v : NULL);
        v->off = t->off;
        if (s[0] == '{') {
            v->flags &= ~SL__VF_ENV; /* {...process.env} is usually a child's environment */
        }
        v->flags &= ~SL__VF_LITERAL;
        return close + 1;
    }
    if (s[0] == '[') {
        return sl__eval_list(f, i, end, depth, v);
    }
    return i + 1;
}

static size_t sl__eval_trailers(sl__file *f, size_t i, size_t end, int depth, sl__val *v)
{
    while (i < end && f->scan->status == SL_OK) {
        int optional = sl__op(f, i, "?.");
        if ((sl__op(f, i, ".") || optional) && i + 1 < end &&
            sl__t(f, i + 1)->kind == SL__TK_IDENT) {
            size_t len;
            const char *s = sl__raw(f, i + 1, &len);
            sl__note_exec_memory(f, i + 1);
            sl__attr(f, v, s, len);
            i += 2;
            continue;
        }
        if (optional) {
            i++;
        }
        if (i < end && sl__op(f, i, "(")) {
            size_t close = sl__close_of(f, i, end);
            if (f->language == SL__JS && close + 1 < end && sl__op(f, close + 1, "{")) {
                /* `name(params) {` is a method definition, not a call */
                sl__eval_seq(f, i + 1, close, depth + 1, 0, NULL);
                sl__val_none(v, v->off);
                return close + 1;
            }
            i = sl__eval_call(f, i, end, depth, v);
            continue;
        }
        if (i < end && sl__op(f, i, "[")) {
            i = sl__eval_subscript(f, i, end, depth, v);
            continue;
        }
        break;
    }
    if (sl__val_name_is(v, f->language == SL__PY ? "os.environ" : "process.env")) {
        v->flags |= SL__VF_ENV;
    }
    return i;
}

static size_t sl__eval_unary(sl__file *f, size_t i, size_t end, int depth, sl__val *v)
{
    static const char *const prefix[] = {
        "new", "await", "typeof", "void", "delete", "yield", "not", NULL
    };
    int negate = 0;

    while (i < end) {
        const sl__tok *t = sl__t(f, i);
        size_t len;
        const char *s = sl__raw(f, i, &len);
        if (t->kind == SL__TK_OP && (sl__streq(s, len, "-") || sl__streq(s, len, "+") ||
                                     sl__streq(s, len, "~") || sl__streq(s, len, "!") ||
                                     sl__streq(s, len, "*") || sl__streq(s, len, "**") ||
                                     sl__streq(s, len, "..."))) {
            negate ^= s[0] == '-';
            i++;
        } else if (t->kind == SL__TK_IDENT && sl__in_words(s, len, prefix)) {
            i++;
        } else {
            break;
        }
    }
    if (i >= end) {
        sl__val_none(v, 0);
        return i;
    }
    i = sl__eval_primary(f, i, end, depth, v);
    i = sl__eval_trailers(f, i, end, depth, v);
    if (negate && v->kind == SL__V_INT) {
        v->num = -v->num;
    }
    return i;
}

/* Evaluates one expression from `i` until a terminator. Binary operators other than `+`
 * make the value unknown but keep its flags, so `exec(a if c else decode(b))` is still
 * marked as receiving decoded data. */
static size_t sl__eval_expr(sl__file *f, size_t i, size_t end, int depth, sl__val *out)
{
    sl__val rhs;
    int have = 0;

    sl__val_none(out, i < end ? sl__t(f, i)->off : 0);
    while (i < end && !sl__is_term(f, i) && f->scan->status == SL_OK) {
        size_t before = i;
        if (!have) {
            i = sl__eval_unary(f, i, end, depth, out);
            have = 1;
        } else if (sl__op(f, i, "+")) {
            i = sl__eval_unary(f, i + 1, end, depth, &rhs);
            sl__concat(f, out, &rhs);
        } else if ((out->flags & SL__VF_CHR_OF_VAR) && sl__kw(f, i, "for") && i + 2 < end &&
                   sl__kw(f, i + 2, "in")) {
            /* chr(c) for c in [104, 105] */
            i = sl__eval_unary(f, i + 3, end, depth, &rhs);
            if (rhs.kind == SL__V_INTS) {
                sl__ints_to_chars(f, out, rhs.ints, rhs.count);
                out->flags |= SL__VF_GENERATED;
            } else {
                out->kind = SL__V_NONE;
            }
            out->flags &= ~SL__VF_CHR_OF_VAR;
        } else if (sl__js_new_statement(f, i, end)) {
            break;
        } else {
            if (sl__t(f, i)->kind == SL__TK_OP || sl__is_keyword(f, i)) {
                i++;
            }
            if (i < end && !sl__is_term(f, i)) {
                i = sl__eval_unary(f, i, end, depth, &rhs);
                out->flags |= rhs.flags & (SL__VF_NETWORK | SL__VF_DECODED | SL__VF_ENV |
                                           SL__VF_OBFUSCATED);
            }
            out->kind = SL__V_NONE;
            out->s = NULL;
            out->flags &= ~(SL__VF_LITERAL | SL__VF_CHR_OF_VAR | SL__VF_GENERATED);
        }
        if (i == before) {
            i++;
        }
    }
    return i;
}

/* ------------------------------------------------------------- statements --- */

/* Reads a dotted name `a.b.c` at `i` into `buf`; returns the index after it. */
static size_t sl__dotted(const sl__file *f, size_t i, size_t end, char *buf, size_t cap,
                         size_t *len)
{
    *len = 0;
    while (i < end && sl__t(f, i)->kind == SL__TK_IDENT) {
        size_t n;
        const char *s = sl__raw(f, i, &n);
        if (*len + n + 1 >= cap) {
            *len = 0;
            return i + 1;
        }
        if (*len > 0) {
            buf[(*len)++] = '.';
        }
        memcpy(buf + *len, s, n);
        *len += n;
        i++;
        if (i + 1 < end && sl__op(f, i, ".") && sl__t(f, i + 1)->kind == SL__TK_IDENT) {
            i++;
        } else {
            break;
        }
    }
    return i;
}

static int sl__is_ffi_module(const char *s, size_t len)
{
    return sl__streq(s, len, "ctypes") || sl__starts(s, len, "ctypes.") ||
           sl__streq(s, len, "cffi") || sl__streq(s, len, "_ctypes");
}

/* Binds `name` (source bytes) to the module or member `full`. */
static void sl__bind_name(sl__file *f, const char *name, size_t name_len, const char *full,
                          size_t full_len)
{
    sl__val v;

    sl__val_none(&v, 0);
    if (full != NULL) {
        sl__val_set_name(f, &v, full, full_len, NULL, 0);
    }
    sl__var_set(f, name, name_len, &v);
}

static int sl__stmt_end(const sl__file *f, size_t i)
{
    return sl__t(f, i)->kind == SL__TK_NEWLINE || sl__op(f, i, ";");
}

/* import a.b as c, d */
static size_t sl__py_import(sl__file *f, size_t i, size_t end)
{
    char buf[SL__NAME_MAX];
    size_t len;

    i++;
    while (i < end && !sl__stmt_end(f, i)) {
        size_t start = i;
        i = sl__dotted(f, i, end, buf, sizeof(buf), &len);
        if (len == 0) {
            i = i > start ? i : start + 1;
            continue;
        }
        if (sl__is_ffi_module(buf, len)) {
            sl__emit(f, SL__C_FFI, sl__t(f, start)->off);
            sl__fact(f, SL__F_CTYPES, sl__t(f, start)->off);
        }
        if (i + 1 < end && sl__kw(f, i, "as") && sl__t(f, i + 1)->kind == SL__TK_IDENT) {
            size_t n;
            const char *alias = sl__raw(f, i + 1, &n);
            sl__bind_name(f, alias, n, buf, len);
            i += 2;
        } else {
            size_t n;
            const char *first = sl__raw(f, start, &n);
            sl__bind_name(f, first, n, first, n);
        }
        if (i < end && sl__op(f, i, ",")) {
            i++;
        } else {
            break;
        }
    }
    return i;
}

/* from a.b import c as d, e   /   from a import *   /   from . import x */
static size_t sl__py_from(sl__file *f, size_t i, size_t end)
{
    char module[SL__NAME_MAX];
    size_t mlen = 0;
    int relative = 0;
    size_t start;

    i++;
    while (i < end && (sl__op(f, i, ".") || sl__op(f, i, "..."))) {
        relative = 1;
        i++;
    }
    start = i;
    i = sl__dotted(f, i, end, module, sizeof(module), &mlen);
    if (mlen > 0 && sl__is_ffi_module(module, mlen)) {
        sl__emit(f, SL__C_FFI, sl__t(f, start)->off);
        sl__fact(f, SL__F_CTYPES, sl__t(f, start)->off);
    }
    if (i >= end || !sl__kw(f, i, "import")) {
        return i;
    }
    i++;
    while (i < end && !sl__stmt_end(f, i)) {
        size_t n;
        const char *name;
        if (sl__op(f, i, "(") || sl__op(f, i, ")") || sl__op(f, i, ",")) {
            i++;
            continue;
        }
        if (sl__op(f, i, "*")) {
            if (!relative && mlen > 0 && f->nstars < 8) {
                f->stars[f->nstars] = sl__fdup(f, module, mlen);
                f->nstars += f->stars[f->nstars] != NULL;
            }
            i++;
            continue;
        }
        if (sl__t(f, i)->kind != SL__TK_IDENT) {
            break;
        }
        name = sl__raw(f, i, &n);
        {
            char full[SL__NAME_MAX * 2];
            size_t flen = 0;
            const char *bind = name;
            size_t bind_len = n;
            if (mlen + n + 2 < sizeof(full)) {
                memcpy(full, module, mlen);
                full[mlen] = '.';
                memcpy(full + mlen + 1, name, n);
                flen = mlen + 1 + n;
            }
            if (i + 2 < end && sl__kw(f, i + 1, "as") && sl__t(f, i + 2)->kind == SL__TK_IDENT) {
                bind = sl__raw(f, i + 2, &bind_len);
                i += 2;
            }
            sl__bind_name(f, bind, bind_len, relative || flen == 0 ? NULL : full, flen);
        }
        i++;
    }
    return i;
}

/* Returns 1 when the token at `i` begins its line (no indentation). */
static int sl__at_column_one(const sl__file *f, size_t i)
{
    size_t off = sl__t(f, i)->off;
    return off == 0 || f->lx.src[off - 1] == '\n';
}

/* for a, b in EXPR: the targets take the flags of EXPR. */
static size_t sl__py_for(sl__file *f, size_t i, size_t end, int depth)
{
    size_t targets = i + 1;
    size_t in = targets;
    sl__val v;
    size_t k;

    while (in < end && !sl__kw(f, in, "in") && !sl__stmt_end(f, in) && in - targets < 32) {
        in++;
    }
    if (in >= end || !sl__kw(f, in, "in")) {
        return i + 1;
    }
    i = sl__eval_expr(f, in + 1, end, depth, &v);
    if (v.flags & SL__VF_ENV) {
        sl__fact(f, SL__F_ENV_WHOLE, sl__t(f, in)->off);
    }
    v.kind = SL__V_NONE;
    v.flags &= SL__VF_NETWORK | SL__VF_DECODED;
    for (k = targets; k < in; k++) {
        if (sl__t(f, k)->kind == SL__TK_IDENT) {
            size_t n;
            const char *s = sl__raw(f, k, &n);
            sl__var_set(f, s, n, &v);
        }
    }
    return i;
}

/* with EXPR as NAME, EXPR as NAME: */
static size_t sl__py_with(sl__file *f, size_t i, size_t end, int depth)
{
    sl__val v;

    i++;
    while (i < end && !sl__op(f, i, ":") && !sl__stmt_end(f, i)) {
        size_t before = i;
        if (sl__op(f, i, ",") || sl__op(f, i, "(") || sl__op(f, i, ")")) {
            i++;
            continue;
        }
        i = sl__eval_expr(f, i, end, depth, &v);
        if (i + 1 < end && sl__kw(f, i, "as") && sl__t(f, i + 1)->kind == SL__TK_IDENT) {
            size_t n;
            const char *s = sl__raw(f, i + 1, &n);
            sl__var_set(f, s, n, &v);
            i += 2;
        }
        if (i == before) {
            i++;
        }
    }
    return i;
}

/* Stores the value of an assignment into each plain name target. */
static void sl__assign(sl__file *f, const size_t *names, size_t count, sl__val *v, int aug)
{
    size_t k;

    if (count > 1) {
        v->kind = SL__V_NONE;
        v->flags &= SL__VF_NETWORK | SL__VF_DECODED | SL__VF_ENV;
    }
    for (k = 0; k < count; k++) {
        size_t n;
        const char *s = sl__raw(f, names[k], &n);
        if (aug) {
            const sl__val *old = sl__var_get(f, s, n);
            sl__val cur;
            if (old == NULL) {
                sl__val_none(&cur, v->off);
            } else {
                cur = *old;
            }
            sl__concat(f, &cur, v);
            sl__var_set(f, s, n, &cur);
        } else {
            sl__var_set(f, s, n, v);
        }
    }
}

/* a = b = EXPR, a, b = EXPR, a: T = EXPR, a += EXPR. Returns `i` when not an assignment. */
static size_t sl__py_assign(sl__file *f, size_t i, size_t end, int depth)
{
    size_t names[8];
    size_t count = 0;
    size_t j = i;
    int aug = 0;
    sl__val v;

    for (;;) {
        size_t group = count;
        while (j < end && sl__t(f, j)->kind == SL__TK_IDENT && !sl__is_keyword(f, j)) {
            if (count < 8) {
                names[count++] = j;
            }
            j++;
            if (j < end && sl__op(f, j, ",")) {
                j++;
                continue;
            }
            break;
        }
        if (count == group || j >= end) {
            return i;
        }
        if (sl__op(f, j, ":") && count == 1) {
            /* annotation: skip to `=` on this line */
            while (j < end && !sl__op(f, j, "=") && !sl__stmt_end(f, j)) {
                j++;
            }
        }
        if (j < end && sl__op(f, j, "=")) {
            j++;
            if (j + 1 < end && sl__t(f, j)->kind == SL__TK_IDENT && sl__op(f, j + 1, "=")) {
                continue; /* chained a = b = ... */
            }
            break;
        }
        if (j < end && sl__op(f, j, "+=") && count == 1) {
            aug = 1;
            j++;
            break;
        }
        return i;
    }
    j = sl__eval_expr(f, j, end, depth, &v);
    sl__assign(f, names, count, &v, aug);
    return j;
}

/* Handles a Python statement keyword or assignment at `i`; returns `i` when there is
 * none, so the caller evaluates an expression instead. */
static size_t sl__py_statement(sl__file *f, size_t i, size_t end, int depth)
{
    const sl__tok *t = sl__t(f, i);
    size_t n;
    const char *s;

    if (t->kind == SL__TK_STRING) {
        size_t j = i;
        while (j < end && sl__t(f, j)->kind == SL__TK_STRING) {
            j++;
        }
        if (j >= end || sl__stmt_end(f, j)) {
            /* a docstring: text, not data */
            sl__val v;
            f->display++;
            j = sl__eval_expr(f, i, end, depth, &v);
            f->display--;
            return j;
        }
        return i;
    }
    if (t->kind != SL__TK_IDENT) {
        return i;
    }
    s = sl__raw(f, i, &n);
    if (sl__streq(s, n, "import")) {
        return sl__py_import(f, i, end);
    }
    if (sl__streq(s, n, "from")) {
        return sl__py_from(f, i, end);
    }
    if ((sl__streq(s, n, "def") || sl__streq(s, n, "class")) && i + 1 < end &&
        sl__t(f, i + 1)->kind == SL__TK_IDENT) {
        if (sl__at_column_one(f, i)) {
            size_t len;
            const char *name = sl__raw(f, i + 1, &len);
            sl__bind_name(f, name, len, NULL, 0);
        }
        return i + 2;
    }
    if (sl__streq(s, n, "async")) {
        return i + 1 < end ? sl__py_statement(f, i + 1, end, depth) : i + 1;
    }
    if (sl__streq(s, n, "global") || sl__streq(s, n, "nonlocal")) {
        while (i < end && !sl__stmt_end(f, i)) {
            i++;
        }
        return i;
    }
    if (sl__streq(s, n, "for")) {
        return sl__py_for(f, i, end, depth);
    }
    if (sl__streq(s, n, "with")) {
        return sl__py_with(f, i, end, depth);
    }
    return sl__py_assign(f, i, end, depth);
}

/* The module a JavaScript import or require names, normalized. */
static void sl__js_module_bind(sl__file *f, const char *local, size_t local_len,
                               const char *module, size_t mlen, const char *member,
                               size_t member_len)
{
    sl__val v;

    sl__val_none(&v, 0);
    sl__val_set_name(f, &v, module, mlen, member, member_len);
    sl__var_set(f, local, local_len, &v);
}

/* import X from "m"; import * as X from "m"; import {a as b} from "m"; import "m" */
static size_t sl__js_import(sl__file *f, size_t i, size_t end)
{
    static const char *const ffi_modules[] = {"ffi-napi", "ffi", "node-ffi", "koffi", NULL};
    size_t start = i;
    size_t from = 0;
    size_t k;
    const char *module;
    size_t mlen;

    i++;
    for (k = i; k < end && k - i < 512 && !sl__op(f, k, ";"); k++) {
        if (sl__t(f, k)->kind == SL__TK_STRING) {
            from = k;
            break;
        }
    }
    if (from == 0) {
        return i;
    }
    module = sl__tok_text(&f->lx, from, &mlen);
    sl__name_normalize(&module, &mlen);
    if (sl__streq(module, mlen, "fs/promises")) {
        mlen = 2;
    }
    if (sl__in_words(module, mlen, ffi_modules)) {
        sl__emit(f, SL__C_FFI, sl__t(f, start)->off);
        sl__fact(f, SL__F_CTYPES, sl__t(f, start)->off);
    }
    for (k = i; k < from; k++) {
        size_t n;
        const char *s;
        if (sl__t(f, k)->kind != SL__TK_IDENT || sl__is_keyword(f, k) || sl__kw(f, k, "from") ||
            sl__kw(f, k, "type")) {
            continue;
        }
        s = sl__raw(f, k, &n);
        if (k > i && sl__kw(f, k - 1, "as")) {
            if (k >= i + 2 && sl__op(f, k - 2, "*")) {
                sl__js_module_bind(f, s, n, module, mlen, NULL, 0);
            } else if (k >= i + 2 && sl__t(f, k - 2)->kind == SL__TK_IDENT) {
                size_t m;
                const char *member = sl__raw(f, k - 2, &m);
                sl__js_module_bind(f, s, n, module, mlen, member, m);
            }
        } else if (k + 1 < from && sl__kw(f, k + 1, "as")) {
            continue;
        } else if (k > i && (sl__op(f, k - 1, "{") || sl__op(f, k - 1, ","))) {
            /* a named import, unless it is the default one before a comma */
            int named = 0;
            size_t b;
            for (b = k; b > i; b--) {
                if (sl__op(f, b - 1, "{")) {
                    named = 1;
                    break;
                }
                if (sl__op(f, b - 1, "}")) {
                    break;
                }
            }
            if (named) {
                sl__js_module_bind(f, s, n, module, mlen, s, n);
            } else {
                sl__js_module_bind(f, s, n, module, mlen, NULL, 0);
            }
        } else {
            sl__js_module_bind(f, s, n, module, mlen, NULL, 0);
        }
    }
    return from + 1;
}

/* const {a, b: c} = EXPR: each local gets the member of EXPR's name. */
static void sl__js_destructure(sl__file *f, size_t open, size_t close, const sl__val *v)
{
    size_t k;

    for (k = open + 1; k < close; k++) {
        size_t n;
        size_t m;
        const char *key;
        const char *local;
        sl__val item;
        if (sl__t(f, k)->kind != SL__TK_IDENT || (k > open + 1 && !sl__op(f, k - 1, ",") &&
                                                   !sl__op(f, k - 1, "{"))) {
            continue;
        }
        key = sl__raw(f, k, &n);
        local = key;
        m = n;
        if (k + 2 < close && sl__op(f, k + 1, ":") && sl__t(f, k + 2)->kind == SL__TK_IDENT) {
            local = sl__raw(f, k + 2, &m);
        }
        item = *v;
        if (v->kind == SL__V_NAME) {
            sl__val_set_name(f, &item, v->s, v->len, key, n);
        } else {
            item.kind = SL__V_NONE;
        }
        sl__var_set(f, local, m, &item);
    }
}

/* const|let|var declarations. */
static size_t sl__js_declare(sl__file *f, size_t i, size_t end, int depth)
{
    sl__val v;

    i++;
    while (i < end && f->scan->status == SL_OK) {
        size_t name = i;
        size_t open = 0;
        size_t close = 0;
        if (sl__t(f, i)->kind == SL__TK_IDENT && !sl__is_keyword(f, i)) {
            i++;
        } else if (sl__op(f, i, "{") || sl__op(f, i, "[")) {
            open = i;
            close = sl__close_of(f, i, end);
            i = close + 1;
        } else {
            return i;
        }
        if (i < end && sl__op(f, i, ":")) {
            while (i < end && !sl__op(f, i, "=") && !sl__op(f, i, ",") && !sl__op(f, i, ";")) {
                i = (sl__op(f, i, "(") || sl__op(f, i, "[") || sl__op(f, i, "{"))
                        ? sl__close_of(f, i, end) + 1 : i + 1;
            }
        }
        if (i < end && sl__op(f, i, "=")) {
            i = sl__eval_expr(f, i + 1, end, depth, &v);
            if (open != 0 && sl__op(f, open, "{")) {
                sl__js_destructure(f, open, close, &v);
            } else if (open == 0) {
                size_t n;
                const char *s = sl__raw(f, name, &n);
                sl__var_set(f, s, n, &v);
            }
        }
        if (i < end && sl__op(f, i, ",")) {
            i++;
            continue;
        }
        return i;
    }
    return i;
}

static size_t sl__js_statement(sl__file *f, size_t i, size_t end, int depth)
{
    size_t n;
    const char *s;

    if (sl__t(f, i)->kind != SL__TK_IDENT) {
        return i;
    }
    s = sl__raw(f, i, &n);
    if (sl__streq(s, n, "export")) {
        i++;
        if (i < end && sl__kw(f, i, "default")) {
            i++;
        }
        return i < end ? sl__js_statement(f, i, end, depth) : i;
    }
    if (sl__streq(s, n, "const") || sl__streq(s, n, "let") || sl__streq(s, n, "var")) {
        return sl__js_declare(f, i, end, depth);
    }
    if (sl__streq(s, n, "import") && i + 1 < end && !sl__op(f, i + 1, "(") &&
        !sl__op(f, i + 1, ".")) {
        return sl__js_import(f, i, end);
    }
    if (i + 1 < end && sl__op(f, i + 1, "=") && !sl__is_keyword(f, i)) {
        sl__val v;
        size_t j = sl__eval_expr(f, i + 2, end, depth, &v);
        sl__var_set(f, s, n, &v);
        return j;
    }
    return i;
}

/* Evaluates every expression in [i, end). With `stmt` set, statements (imports,
 * assignments, declarations) are recognised at their starts. Returns the union of the
 * value flags seen; `last` (may be NULL) gets the last expression's value. */
static unsigned sl__eval_seq(sl__file *f, size_t i, size_t end, int depth, int stmt,
                             sl__val *last)
{
    unsigned flags = 0;
    int at_start = 1;
    sl__val v;

    if (last != NULL) {
        sl__val_none(last, i < end ? sl__t(f, i)->off : 0);
    }
    while (i < end && f->scan->status == SL_OK) {
        size_t j;
        if (sl__is_term(f, i)) {
            if (stmt && (sl__t(f, i)->kind == SL__TK_NEWLINE || sl__op(f, i, ";") ||
                         sl__op(f, i, ":"))) {
                at_start = 1;
            }
            i++;
            continue;
        }
        if (stmt && at_start) {
            at_start = 0;
            j = f->language == SL__PY ? sl__py_statement(f, i, end, depth)
                                      : sl__js_statement(f, i, end, depth);
            if (j != i) {
                i = j;
                continue;
            }
        }
        j = sl__eval_expr(f, i, end, depth, &v);
        if (j == i) {
            j++;
        }
        flags |= v.flags;
        if (last != NULL) {
            *last = v;
        }
        if (stmt && j < end && !sl__is_term(f, j)) {
            at_start = 1;
        }
        i = j;
    }
    return flags;
}

/* ---------------------------------------------------------------- sub-scans --- */

/* A string found to be code (a shell command, an exec() argument, a Markdown code block),
 * analyzed after the current text so the C stack does not grow with it. */
typedef struct sl__sub {
    int language;
    const char *text;
    size_t len;
    int exact;      /* offsets map onto the root (heredocs and code blocks) */
    size_t base;    /* root offset of text[0] when exact */
    size_t anchor;  /* root offset that findings go to otherwise */
    struct sl__sub *next;
} sl__sub;

static void sl__subscan_push(sl__file *f, int language, const char *s, size_t len, int exact,
                             size_t base, size_t anchor)
{
    sl__sub *e;

    if (f->depth >= SL__SUBSCAN_DEPTH || len == 0 || language == 0) {
        return;
    }
    e = (sl__sub *)sl__arena_calloc(&f->arena, sizeof(sl__sub));
    if (e == NULL) {
        sl__scan_fail(f->scan, SL_ENOMEM);
        return;
    }
    e->language = language;
    e->text = s;
    e->len = len;
    e->exact = exact;
    e->base = base;
    e->anchor = anchor;
    if (f->sub_tail != NULL) {
        f->sub_tail->next = e;
    } else {
        f->sub_head = e;
    }
    f->sub_tail = e;
}

/* Queues a string value (decoded, so positions inside it are not in the file). */
static void sl__subscan_queue(sl__file *f, int language, const char *s, size_t len,
                              size_t off)
{
    sl__subscan_push(f, language, s, len, 0, 0, sl__root_offset(f, off));
}

/* Queues bytes [off, off + len) of this file's own text, keeping exact positions. */
static void sl__subscan_range(sl__file *f, int language, size_t off, size_t len)
{
    sl__subscan_push(f, language, f->lx.src + off, len, f->exact, sl__root_offset(f, off),
                     sl__root_offset(f, off));
}

/* ------------------------------------------------------- python, javascript --- */

/* Rules that need two things seen anywhere in the same file. */
static void sl__combined_rules(sl__file *f)
{
    /* socket + dup2 + a shell, or socket + pty.spawn, or socket + spawn("/bin/sh") */
    if (sl__has(f, SL__F_SOCKET) &&
        ((sl__has(f, SL__F_DUP2) && (sl__has(f, SL__F_PROCESS) || sl__has(f, SL__F_SHELLSTR))) ||
         sl__has(f, SL__F_PTY) || (sl__has(f, SL__F_PROCESS) && sl__has(f, SL__F_SHELLSTR)))) {
        int at = sl__has(f, SL__F_DUP2) ? SL__F_DUP2
                 : sl__has(f, SL__F_PTY) ? SL__F_PTY : SL__F_PROCESS;
        sl__emit_root(f, SL__C_REVERSE_SHELL, f->fact_at[at]);
    }
    if (sl__has(f, SL__F_MKFIFO) && sl__has(f, SL__F_NETCAT)) {
        sl__emit_root(f, SL__C_REVERSE_SHELL, f->fact_at[SL__F_MKFIFO]);
    }
    if (sl__has(f, SL__F_ENV_WHOLE) && sl__has(f, SL__F_NETWORK)) {
        sl__emit_root(f, SL__C_ENV_EXFIL, f->fact_at[SL__F_ENV_WHOLE]);
    }
    /* a download saved to a file that is then made executable */
    /* JavaScript saves downloads in callbacks the evaluator does not follow, so any file
     * write counts there; Python needs network data seen reaching the file */
    if ((sl__has(f, SL__F_DOWNLOAD_FILE) ||
         (f->language == SL__JS && sl__has(f, SL__F_NETWORK) && sl__has(f, SL__F_WRITE_FILE))) &&
        sl__has(f, SL__F_CHMOD_EXEC)) {
        sl__emit_root(f, SL__C_DOWNLOAD_EXEC, f->fact_at[SL__F_CHMOD_EXEC]);
    }
    if (f->language == SL__JS && sl__has(f, SL__F_NETWORK) && sl__has(f, SL__F_DYN_EVAL)) {
        /* callback style: https.get(url, r => r.on("data", d => eval(d))) */
        sl__emit_root(f, SL__C_DOWNLOAD_EXEC, f->fact_at[SL__F_DYN_EVAL]);
    }
    if (sl__has(f, SL__F_CTYPES) && sl__has(f, SL__F_EXEC_MEM)) {
        sl__emit_root(f, SL__C_NATIVE_EXEC, f->fact_at[SL__F_EXEC_MEM]);
    }
}

static void sl__analyze_code(sl__file *f)
{
    sl__eval_seq(f, 0, f->lx.ntok, 0, 1, NULL);
    while (f->npending > 0 && f->scan->status == SL_OK) {
        size_t stmt = f->pending[--f->npending];
        size_t end = f->pending[--f->npending];
        size_t start = f->pending[--f->npending];
        sl__eval_seq(f, start, end, 0, (int)stmt, NULL);
    }
}

/* -------------------------------------------------------------------- shell --- */

/* Traits a finished command adds to its pipeline and substitution. */
#define SL__T_DOWNLOAD 0x01  /* writes downloaded data to stdout (curl, wget -O-) */
#define SL__T_DECODE 0x02    /* decodes its input (base64 -d, xxd -r, rev, rot13 tr) */
#define SL__T_INTERP 0x04    /* runs code from stdin or an argument */
#define SL__T_NETCAT 0x08    /* a raw network pipe (nc, telnet, socat) */
#define SL__T_ENVDUMP 0x10   /* prints the whole environment */
#define SL__T_NETWORK 0x20

typedef struct sl__sh_cmd {
    size_t first;       /* first token */
    long name;          /* token of the command name, -1 before it is seen */
    int skip_opts;      /* after sudo/env/...: option words still to skip */
    int skip_next;      /* the next word is an option's value */
    int name_pos_sub;   /* a substitution is where the name would be */
    unsigned name_sub;  /* traits of that substitution */
    unsigned arg_sub;   /* traits of substitutions among the arguments */
    unsigned procsub;   /* traits of <( ) arguments */
    long heredoc;       /* token of a << redirection, -1 */
    long prefix;        /* first prefix word (sudo, env, ...), -1 when none */
    int piped;          /* came after | */
} sl__sh_cmd;

typedef struct sl__sh_frame {
    sl__sh_cmd cmd;
    unsigned pipe;      /* traits of the earlier commands of the current pipeline */
    unsigned all;       /* traits of every command in the frame */
    int name_pos;       /* this substitution opened in name position */
    int procsub;        /* this is <( ) or >( ) */
} sl__sh_frame;

/* Here-documents waiting for their body, by redirection token. */
typedef struct sl__sh_doc {
    long redir;
    int language;       /* interpreter that reads the body, 0 for data */
} sl__sh_doc;

typedef struct sl__sh_state {
    sl__file *f;
    sl__sh_frame frames[SL__LEX_MAX_NEST + 1];
    int nframes;
    sl__sh_doc docs[SL__LEX_MAX_HEREDOCS];
    int ndocs;
} sl__sh_state;

static const char *sl__word(const sl__file *f, size_t i, size_t *len)
{
    return sl__tok_text(&f->lx, i, len);
}

static void sl__basename(const char **s, size_t *len)
{
    size_t k = *len;

    while (k > 0 && (*s)[k - 1] != '/') {
        k--;
    }
    *s += k;
    *len -= k;
}

static void sl__cmd_reset(sl__sh_cmd *c, size_t first, int piped)
{
    memset(c, 0, sizeof(*c));
    c->first = first;
    c->name = -1;
    c->heredoc = -1;
    c->prefix = -1;
    c->piped = piped;
}

/* Iterates the argument words of a command: skips substitutions and redirection
 * targets. Returns the next argument token at or after `k`, or `end`. */
static size_t sl__next_arg(const sl__file *f, size_t k, size_t end)
{
    while (k < end) {
        const sl__tok *t = sl__t(f, k);
        if (t->kind == SL__TK_WORD) {
            if (k > 0 && sl__t(f, k - 1)->kind == SL__TK_REDIR) {
                k++;
                continue;
            }
            return k;
        }
        if (t->kind == SL__TK_SUB_OPEN && t->match > (int32_t)k) {
            k = (size_t)t->match + 1;
            continue;
        }
        k++;
    }
    return end;
}

/* Returns 1 when some argument word equals one of `words`. */
static int sl__has_arg(const sl__file *f, const sl__sh_cmd *c, size_t end,
                       const char *const *words)
{
    size_t k;

    for (k = sl__next_arg(f, (size_t)c->name + 1, end); k < end;
         k = sl__next_arg(f, k + 1, end)) {
        size_t len;
        const char *w = sl__word(f, k, &len);
        if (sl__in_words(w, len, words)) {
            return 1;
        }
    }
    return 0;
}

/* Returns 1 when some argument word contains `needle` (case-insensitive, lowercase). */
static int sl__arg_contains(const sl__file *f, const sl__sh_cmd *c, size_t end,
                            const char *needle)
{
    size_t n = strlen(needle);
    size_t k;

    for (k = sl__next_arg(f, (size_t)c->name + 1, end); k < end;
         k = sl__next_arg(f, k + 1, end)) {
        size_t len;
        size_t j;
        const char *w = sl__word(f, k, &len);
        for (j = 0; j + n <= len; j++) {
            if (sl__eq_nocase(w + j, needle, n)) {
                return 1;
            }
        }
    }
    return 0;
}

static size_t sl__arg_count(const sl__file *f, const sl__sh_cmd *c, size_t end)
{
    size_t count = 0;
    size_t k;

    for (k = sl__next_arg(f, (size_t)c->name + 1, end); k < end;
         k = sl__next_arg(f, k + 1, end)) {
        count++;
    }
    return count;
}

/* Returns 1 when a single-dash option cluster (-rf) or a long option contains `letter`. */
static int sl__has_flag(const sl__file *f, const sl__sh_cmd *c, size_t end, char letter,
                        const char *long_opt)
{
    size_t k;

    for (k = sl__next_arg(f, (size_t)c->name + 1, end); k < end;
         k = sl__next_arg(f, k + 1, end)) {
        size_t len;
        const char *w = sl__word(f, k, &len);
        if (len >= 2 && w[0] == '-' && w[1] != '-' && memchr(w + 1, letter, len - 1) != NULL) {
            return 1;
        }
        if (long_opt != NULL && sl__streq(w, len, long_opt)) {
            return 1;
        }
    }
    return 0;
}

/* A command name written so a reader does not see it: escapes, or quotes around part of
 * it (c"u"rl). Fully quoted names ("./run.sh") are ordinary. */
/* Returns 1 when the decoded word can name a program (`curl`, `/usr/bin/nc`, `x86_64-gcc`):
 * two or more of letters, digits and `_.+/-`, one of them a letter. JSON in a Markdown code
 * span (`{"result": 42}`) or a `$'\t'` case pattern decodes to something else. */
static int sl__scan_command_like(const char *w, size_t len)
{
    size_t k;
    int letter = 0;

    if (len < 2) {
        return 0;
    }
    for (k = 0; k < len; k++) {
        char c = w[k];

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            letter = 1;
        } else if (!(c >= '0' && c <= '9') && strchr("_.+/-", c) == NULL) {
            return 0;
        }
    }
    return letter;
}

static int sl__name_obfuscated(const sl__file *f, size_t i)
{
    const sl__tok *t = sl__t(f, i);
    const char *raw = f->lx.src + t->off;
    size_t len;
    const char *w = sl__word(f, i, &len);

    if (!sl__scan_command_like(w, len)) {
        return 0;
    }
    if (t->flags & SL__TF_ESCAPED) {
        return 1;
    }
    if (t->len == len && memcmp(raw, w, len) == 0) {
        return 0;
    }
    if (t->len == len + 2 && (raw[0] == '"' || raw[0] == '\'') && raw[t->len - 1] == raw[0] &&
        memcmp(raw + 1, w, len) == 0) {
        return 0;
    }
    return len > 0;
}

/* Returns the language that an interpreter command runs, 0 when the scanner does not read
 * that language. `*kind` is 1 for any interpreter and 0 for other commands. */
static int sl__sh_interp(const char *s, size_t len, int *kind)
{
    static const char *const others[] = {
        "perl", "ruby", "php", "lua", "pwsh", "powershell", "osascript", "tclsh", NULL
    };
    int lang = sl__interpreter(s, len);

    *kind = lang != 0 || sl__in_words(s, len, others) || sl__starts(s, len, "python") ||
            sl__starts(s, len, "perl") || sl__starts(s, len, "ruby");
    return lang;
}

/* Checks a word used as a path that the command writes or deletes. */
static void sl__sh_write_target(sl__file *f, size_t k)
{
    size_t len;
    const char *w = sl__word(f, k, &len);

    if (sl__path_outside(w, len)) {
        sl__emit(f, SL__C_WRITE_OUTSIDE, sl__t(f, k)->off);
    }
}

/* rm -r with the root, home or a system folder as target. */
static int sl__rm_destroys(const char *w, size_t len)
{
    static const char *const targets[] = {
        "/", "/*", "~", "~/", "~/*", "$HOME", "${HOME}", "$HOME/", "$HOME/*", "${HOME}/",
        "/home", "/etc", "/usr", "/var", "/boot", "/bin", "/lib", "/root", "/opt", "/srv",
        "--no-preserve-root", NULL
    };
    return sl__in_words(w, len, targets);
}

/* Network commands. Returns their traits. */
static unsigned sl__sh_network(sl__file *f, const sl__sh_cmd *c, size_t end, const char *b,
                               size_t bl, size_t off)
{
    static const char *const downloaders[] = {
        "curl", "wget", "fetch", "aria2c", "lwp-download", "lwp-request", "http", "https",
        "xh", "iwr", "irm", "invoke-webrequest", "invoke-restmethod", NULL
    };
    static const char *const netcats[] = {"nc", "ncat", "netcat", "socat", "telnet", NULL};
    static const char *const remote[] = {
        "ssh", "scp", "sftp", "ftp", "tftp", "smbclient", "nmap", "rsync", NULL
    };
    static const char *const exec_opts[] = {
        "-e", "-c", "--exec", "--sh-exec", "--lua-exec", NULL
    };
    static const char *const out_opts[] = {"-o", "-O", "--output", "--remote-name", NULL};
    static const char *const stdout_opts[] = {"-O-", "-qO-", "-O", "-", NULL};

    if (sl__in_words(b, bl, downloaders)) {
        sl__emit(f, SL__C_NETWORK, off);
        sl__fact(f, SL__F_NETWORK, off);
        if (sl__streq(b, bl, "wget") ? !sl__has_arg(f, c, end, stdout_opts)
                                     : sl__has_arg(f, c, end, out_opts)) {
            sl__fact(f, SL__F_DOWNLOAD_FILE, off);
        }
        return SL__T_DOWNLOAD | SL__T_NETWORK;
    }
    if (sl__in_words(b, bl, netcats)) {
        sl__emit(f, SL__C_NETWORK, off);
        sl__fact(f, SL__F_NETWORK, off);
        sl__fact(f, SL__F_NETCAT, off);
        if ((!sl__streq(b, bl, "socat") && sl__has_arg(f, c, end, exec_opts)) ||
            (sl__streq(b, bl, "socat") && (sl__arg_contains(f, c, end, "exec:") ||
                                           sl__arg_contains(f, c, end, "system:")))) {
            sl__emit(f, SL__C_REVERSE_SHELL, off);
        }
        return SL__T_NETCAT | SL__T_NETWORK;
    }
    if (sl__in_words(b, bl, remote) &&
        (!sl__streq(b, bl, "rsync") || sl__arg_contains(f, c, end, ":"))) {
        sl__emit(f, SL__C_NETWORK, off);
        sl__fact(f, SL__F_NETWORK, off);
        return SL__T_NETWORK;
    }
    return 0;
}

/* Interpreters: code from a pipe, a substitution, -c, <( ) or a here-document. */
static unsigned sl__sh_interpreter(sl__sh_state *st, const sl__sh_cmd *c, size_t end,
                                   const char *b, size_t bl, size_t off, unsigned pipe)
{
    sl__file *f = st->f;
    int any;
    int lang = sl__sh_interp(b, bl, &any);
    size_t k;

    if (!any) {
        return 0;
    }
    if (c->piped && (pipe & SL__T_DOWNLOAD)) {
        sl__emit(f, SL__C_DOWNLOAD_EXEC, off);
    }
    if (c->piped && (pipe & SL__T_DECODE)) {
        sl__emit(f, SL__C_DECODE_EXEC, off);
    }
    if (c->piped && (pipe & SL__T_NETCAT)) {
        sl__emit(f, SL__C_REVERSE_SHELL, off);
    }
    if (c->procsub & SL__T_DOWNLOAD) {
        sl__emit(f, SL__C_DOWNLOAD_EXEC, off);
    }
    if (c->procsub & SL__T_DECODE) {
        sl__emit(f, SL__C_DECODE_EXEC, off);
    }
    for (k = sl__next_arg(f, (size_t)c->name + 1, end); k < end;
         k = sl__next_arg(f, k + 1, end)) {
        size_t len;
        const char *w = sl__word(f, k, &len);
        size_t code;
        if (!sl__streq(w, len, "-c") && !sl__streq(w, len, "-e") &&
            !sl__streq(w, len, "--eval") && !sl__streq(w, len, "-ic")) {
            continue;
        }
        code = k + 1;
        if (c->arg_sub & (SL__T_DOWNLOAD | SL__T_DECODE)) {
            /* sh -c "$(curl ...)" */
            sl__emit(f, (c->arg_sub & SL__T_DOWNLOAD) ? SL__C_DOWNLOAD_EXEC : SL__C_DECODE_EXEC,
                     off);
        }
        if (code < end && sl__t(f, code)->kind == SL__TK_SUB_OPEN) {
            sl__emit(f, SL__C_DYNAMIC_CODE, off);
        } else if (code < end && sl__t(f, code)->kind == SL__TK_WORD) {
            const sl__tok *t = sl__t(f, code);
            if ((t->flags & (SL__TF_DYNAMIC | SL__TF_JOIN_NEXT)) != 0) {
                sl__emit(f, SL__C_DYNAMIC_CODE, off);
            }
            if (lang != 0) {
                const char *s = sl__word(f, code, &len);
                sl__subscan_queue(f, lang, s, len, t->off);
            }
        }
        break;
    }
    if (c->heredoc >= 0 && lang != 0 && st->ndocs < SL__LEX_MAX_HEREDOCS) {
        st->docs[st->ndocs].redir = c->heredoc;
        st->docs[st->ndocs].language = lang;
        st->ndocs++;
    }
    return SL__T_INTERP;
}

/* eval, source and ., and commands whose name is computed. */
static void sl__sh_eval(sl__file *f, const sl__sh_cmd *c, size_t end, const char *b,
                        size_t bl, size_t off, unsigned pipe)
{
    size_t k;
    int literal = 1;
    sl_buf code;

    if (sl__streq(b, bl, "source") || sl__streq(b, bl, ".")) {
        if ((c->procsub & SL__T_DOWNLOAD) || (c->arg_sub & SL__T_DOWNLOAD) ||
            (c->piped && (pipe & SL__T_DOWNLOAD))) {
            sl__emit(f, SL__C_DOWNLOAD_EXEC, off);
        }
        if ((c->procsub & SL__T_DECODE) || (c->piped && (pipe & SL__T_DECODE))) {
            sl__emit(f, SL__C_DECODE_EXEC, off);
        }
        return;
    }
    if (!sl__streq(b, bl, "eval")) {
        return;
    }
    sl__emit(f, SL__C_DYNAMIC_CODE, off);
    if (c->arg_sub & SL__T_DOWNLOAD) {
        sl__emit(f, SL__C_DOWNLOAD_EXEC, off);
    }
    if (c->arg_sub & SL__T_DECODE) {
        sl__emit(f, SL__C_DECODE_EXEC, off);
    }
    /* eval of literal text: scan the text as shell */
    sl_buf_init(&code, &f->arena.alloc);
    for (k = (size_t)c->name + 1; k < end; k++) {
        const sl__tok *t = sl__t(f, k);
        size_t len;
        const char *w;
        if (t->kind != SL__TK_WORD || (t->flags & SL__TF_DYNAMIC)) {
            literal = t->kind == SL__TK_WORD;
            if (!literal) {
                break;
            }
            continue;
        }
        w = sl__word(f, k, &len);
        sl_buf_append(&code, w, len);
        sl_buf_putc(&code, ' ');
    }
    if (literal && code.len > 0 && !code.failed) {
        char *copy = sl__fdup(f, code.data, code.len);
        if (copy != NULL) {
            sl__subscan_queue(f, SL__SH, copy, code.len, off);
        }
    }
    sl_buf_free(&code);
}

/* Decoders; returns SL__T_DECODE when the command decodes. */
static unsigned sl__sh_decoder(const sl__file *f, const sl__sh_cmd *c, size_t end,
                               const char *b, size_t bl)
{
    static const char *const always[] = {
        "gunzip", "zcat", "bunzip2", "unxz", "xzcat", "uudecode", "rev", "lzcat", NULL
    };
    static const char *const decode_opts[] = {"-d", "--decode", "-D", "-r", "-rp", "-pr",
                                              NULL};
    size_t k;

    if (sl__in_words(b, bl, always)) {
        return SL__T_DECODE;
    }
    if ((sl__streq(b, bl, "base64") || sl__streq(b, bl, "base32") || sl__streq(b, bl, "basenc") ||
         sl__streq(b, bl, "xxd") || sl__streq(b, bl, "gzip") || sl__streq(b, bl, "bzip2") ||
         sl__streq(b, bl, "xz") || sl__streq(b, bl, "openssl")) &&
        sl__has_arg(f, c, end, decode_opts)) {
        return SL__T_DECODE;
    }
    if (sl__streq(b, bl, "tr") && sl__arg_contains(f, c, end, "n-za-m")) {
        return SL__T_DECODE;
    }
    if (sl__streq(b, bl, "printf") || sl__streq(b, bl, "echo")) {
        for (k = sl__next_arg(f, (size_t)c->name + 1, end); k < end;
             k = sl__next_arg(f, k + 1, end)) {
            const sl__tok *t = sl__t(f, k);
            const char *raw = f->lx.src + t->off;
            size_t j;
            for (j = 0; j + 2 < t->len; j++) {
                if (raw[j] == '\\' && (raw[j + 1] == 'x' || raw[j + 1] == '0' ||
                                       (raw[j + 1] >= '1' && raw[j + 1] <= '7'))) {
                    return SL__T_DECODE;
                }
            }
            if (t->flags & SL__TF_ESCAPED) {
                return SL__T_DECODE;
            }
        }
    }
    return 0;
}

/* Persistence, protections switched off, privileges. */
static void sl__sh_system(sl__file *f, const sl__sh_cmd *c, size_t end, const char *b,
                          size_t bl, size_t off)
{
    static const char *const only_list[] = {"-l", NULL};
    static const char *const enable[] = {"enable", "link", NULL};
    static const char *const disable[] = {"stop", "disable", "mask", "kill", NULL};
    static const char *const guards[] = {
        "firewalld", "ufw", "apparmor", "auditd", "iptables", "nftables", "fail2ban",
        "clamav-daemon", "falcon-sensor", "osqueryd", "wazuh-agent", "selinux", NULL
    };
    static const char *const launch[] = {"load", "bootstrap", "submit", "enable", NULL};
    static const char *const flush[] = {"-F", "--flush", "-X", NULL};
    static const char *const privileged[] = {"su", "doas", "pkexec", "sudo", "runas", NULL};
    size_t nargs = sl__arg_count(f, c, end);

    if (sl__streq(b, bl, "crontab") &&
        !(nargs == 1 && sl__has_arg(f, c, end, only_list))) {
        sl__emit(f, SL__C_PERSISTENCE, off);
    } else if ((sl__streq(b, bl, "systemctl") && sl__has_arg(f, c, end, enable)) ||
               (sl__streq(b, bl, "launchctl") && sl__has_arg(f, c, end, launch)) ||
               sl__streq(b, bl, "update-rc.d") || sl__streq(b, bl, "chkconfig") ||
               sl__streq(b, bl, "rc-update") || sl__streq(b, bl, "at")) {
        sl__emit(f, SL__C_PERSISTENCE, off);
    }
    if ((sl__streq(b, bl, "systemctl") || sl__streq(b, bl, "service")) &&
        sl__has_arg(f, c, end, disable) && sl__has_arg(f, c, end, guards)) {
        sl__emit(f, SL__C_DISABLE_SAFETY, off);
    }
    if ((sl__streq(b, bl, "setenforce") && sl__arg_contains(f, c, end, "0")) ||
        (sl__streq(b, bl, "ufw") && sl__arg_contains(f, c, end, "disable")) ||
        ((sl__streq(b, bl, "iptables") || sl__streq(b, bl, "ip6tables")) &&
         (sl__has_arg(f, c, end, flush) || sl__arg_contains(f, c, end, "accept"))) ||
        (sl__streq(b, bl, "spctl") && sl__arg_contains(f, c, end, "--master-disable")) ||
        (sl__streq(b, bl, "csrutil") && sl__arg_contains(f, c, end, "disable")) ||
        (sl__streq(b, bl, "history") && sl__has_flag(f, c, end, 'c', NULL)) ||
        (sl__streq(b, bl, "unset") && sl__arg_contains(f, c, end, "histfile")) ||
        (sl__streq(b, bl, "set") && sl__arg_contains(f, c, end, "history") &&
         sl__arg_contains(f, c, end, "+o")) ||
        (sl__streq(b, bl, "auditctl") && (sl__has_flag(f, c, end, 'D', NULL) ||
                                          sl__arg_contains(f, c, end, "-e")))) {
        sl__emit(f, SL__C_DISABLE_SAFETY, off);
    }
    if (sl__in_words(b, bl, privileged)) {
        sl__emit(f, SL__C_PRIVILEGE, off);
    }
}

/* rm, cp, mv, tee, dd, mkfs, chmod. */
static void sl__sh_files(sl__file *f, const sl__sh_cmd *c, size_t end, const char *b,
                         size_t bl, size_t off)
{
    static const char *const last_is_dest[] = {"cp", "mv", "install", "ln", "rsync", NULL};
    static const char *const all_targets[] = {"tee", "touch", "mkdir", "truncate", "shred",
                                              NULL};
    size_t k;
    size_t last = end;

    if (sl__starts(b, bl, "mkfs") || sl__streq(b, bl, "wipefs")) {
        sl__emit(f, SL__C_DESTRUCTIVE, off);
        return;
    }
    for (k = sl__next_arg(f, (size_t)c->name + 1, end); k < end;
         k = sl__next_arg(f, k + 1, end)) {
        size_t len;
        const char *w = sl__word(f, k, &len);
        last = k;
        if (sl__streq(b, bl, "rm") && sl__has_flag(f, c, end, 'r', "--recursive") &&
            sl__rm_destroys(w, len)) {
            sl__emit(f, SL__C_DESTRUCTIVE, off);
        } else if (sl__streq(b, bl, "rm") && len > 0 && w[0] != '-') {
            sl__sh_write_target(f, k);
        }
        if (sl__streq(b, bl, "rm") && sl__has_flag(f, c, end, 'R', NULL) &&
            sl__rm_destroys(w, len)) {
            sl__emit(f, SL__C_DESTRUCTIVE, off);
        }
        if (sl__streq(b, bl, "dd") && sl__starts(w, len, "of=")) {
            if (sl__starts(w + 3, len - 3, "/dev/sd") || sl__starts(w + 3, len - 3, "/dev/nvme") ||
                sl__starts(w + 3, len - 3, "/dev/hd") || sl__starts(w + 3, len - 3, "/dev/vd") ||
                sl__starts(w + 3, len - 3, "/dev/xvd") ||
                sl__starts(w + 3, len - 3, "/dev/mmcblk")) {
                sl__emit(f, SL__C_DESTRUCTIVE, off);
            } else if (sl__path_outside(w + 3, len - 3)) {
                sl__emit(f, SL__C_WRITE_OUTSIDE, sl__t(f, k)->off);
            }
        }
        if (sl__in_words(b, bl, all_targets) && len > 0 && w[0] != '-') {
            sl__sh_write_target(f, k);
        }
        if (sl__streq(b, bl, "chmod")) {
            if (sl__streq(w, len, "+s") || sl__ends(w, len, "+s") ||
                (len == 4 && (w[0] == '4' || w[0] == '2' || w[0] == '6'))) {
                sl__emit(f, SL__C_PRIVILEGE, off);
            }
            if (sl__ends(w, len, "+x") || sl__streq(w, len, "755") || sl__streq(w, len, "777") ||
                sl__streq(w, len, "700") || sl__streq(w, len, "775") ||
                sl__streq(w, len, "0755")) {
                sl__fact(f, SL__F_CHMOD_EXEC, off);
            }
        }
    }
    if (last < end && sl__in_words(b, bl, last_is_dest)) {
        sl__sh_write_target(f, last);
    }
}

/* Assignment words (NAME=value) before a command or after export/declare. A literal
 * value is remembered, so `c=curl; $c url | sh` resolves the command name. */
static void sl__sh_assignment(sl__file *f, size_t k)
{
    size_t len;
    const char *w = sl__word(f, k, &len);
    size_t off = sl__t(f, k)->off;
    const char *eq = (const char *)memchr(w, '=', len);

    if (eq != NULL && eq > w && eq[-1] != '+' &&
        !(sl__t(f, k)->flags & (SL__TF_DYNAMIC | SL__TF_JOIN_NEXT))) {
        sl__val v;
        sl__val_none(&v, off);
        v.kind = SL__V_STR;
        v.s = eq + 1;
        v.len = len - (size_t)(eq + 1 - w);
        sl__var_set(f, w, (size_t)(eq - w), &v);
    }

    if (sl__starts(w, len, "LD_PRELOAD=") || sl__starts(w, len, "LD_LIBRARY_PATH=/tmp") ||
        sl__starts(w, len, "DYLD_INSERT_LIBRARIES=")) {
        sl__emit(f, SL__C_LD_PRELOAD, off);
    }
    if (sl__streq(w, len, "HISTFILE=/dev/null") || sl__streq(w, len, "HISTFILE=") ||
        sl__streq(w, len, "HISTSIZE=0") || sl__streq(w, len, "HISTFILESIZE=0")) {
        sl__emit(f, SL__C_DISABLE_SAFETY, off);
    }
}

/* Analyzes the command of the top frame, which ends before token `end`, and folds its
 * traits into the frame's pipeline. */
static void sl__sh_finish(sl__sh_state *st, size_t end)
{
    static const char *const dumpers[] = {"env", "printenv", NULL};
    static const char *const declare[] = {"export", "declare", "typeset", "readonly", "local",
                                          NULL};
    sl__file *f = st->f;
    sl__sh_frame *fr = &st->frames[st->nframes - 1];
    sl__sh_cmd *c = &fr->cmd;
    unsigned traits = 0;
    const char *b;
    size_t bl;
    size_t off;
    size_t k;

    if (c->name < 0 && c->prefix >= 0 && !c->name_pos_sub) {
        /* a lone `env` prints the whole environment */
        size_t pl;
        const char *p = sl__word(f, (size_t)c->prefix, &pl);
        if (sl__streq(p, pl, "env")) {
            fr->pipe |= SL__T_ENVDUMP;
            fr->all |= SL__T_ENVDUMP;
            sl__fact(f, SL__F_ENV_WHOLE, sl__t(f, (size_t)c->prefix)->off);
        }
        return;
    }
    if (c->name < 0) {
        if (c->name_pos_sub) {
            /* $(...) as the command: what it prints is run */
            off = sl__t(f, c->first)->off;
            if (c->name_sub & SL__T_DECODE) {
                sl__emit(f, SL__C_DECODE_EXEC, off);
            }
            if (c->name_sub & SL__T_DOWNLOAD) {
                sl__emit(f, SL__C_DOWNLOAD_EXEC, off);
            }
        }
        return;
    }
    off = sl__t(f, (size_t)c->name)->off;
    b = sl__word(f, (size_t)c->name, &bl);
    if (bl > 1 && b[0] == '$' && (sl__t(f, (size_t)c->name)->flags & SL__TF_JOIN_NEXT) == 0) {
        /* $name or ${name} holding a literal command */
        const char *v = b + 1;
        size_t vl = bl - 1;
        const sl__val *val;
        if (vl > 2 && v[0] == '{' && v[vl - 1] == '}') {
            v++;
            vl -= 2;
        }
        val = sl__var_get(f, v, vl);
        if (val != NULL && val->kind == SL__V_STR) {
            b = val->s;
            bl = val->len;
        }
    }
    sl__basename(&b, &bl);
    if ((sl__t(f, (size_t)c->name)->flags & (SL__TF_DYNAMIC | SL__TF_JOIN_NEXT)) == 0 &&
        sl__name_obfuscated(f, (size_t)c->name)) {
        sl__emit(f, SL__C_OBF_COMMAND, off);
    }
    traits |= sl__sh_network(f, c, end, b, bl, off);
    traits |= sl__sh_interpreter(st, c, end, b, bl, off, fr->pipe);
    traits |= sl__sh_decoder(f, c, end, b, bl);
    sl__sh_eval(f, c, end, b, bl, off, fr->pipe);
    sl__sh_system(f, c, end, b, bl, off);
    sl__sh_files(f, c, end, b, bl, off);
    if ((sl__in_words(b, bl, dumpers) && sl__arg_count(f, c, end) == 0) ||
        (sl__streq(b, bl, "set") && sl__arg_count(f, c, end) == 0) ||
        (sl__streq(b, bl, "export") && sl__has_flag(f, c, end, 'p', NULL))) {
        traits |= SL__T_ENVDUMP;
        sl__fact(f, SL__F_ENV_WHOLE, off);
    }
    if ((fr->pipe & SL__T_ENVDUMP) && (traits & SL__T_NETWORK)) {
        sl__emit(f, SL__C_ENV_EXFIL, off);
    }
    if (sl__streq(b, bl, "mkfifo")) {
        sl__fact(f, SL__F_MKFIFO, off);
    }
    if (sl__in_words(b, bl, declare)) {
        for (k = sl__next_arg(f, (size_t)c->name + 1, end); k < end;
             k = sl__next_arg(f, k + 1, end)) {
            sl__sh_assignment(f, k);
        }
    }
    fr->pipe |= traits;
    fr->all |= traits;
}

static int sl__sh_reserved(const char *w, size_t len)
{
    static const char *const words[] = {
        "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}",
        "esac", "in", NULL
    };
    return sl__in_words(w, len, words);
}

/* Words before the real command: sudo, env, nohup, timeout 5, xargs -I {} ... */
static int sl__sh_prefix(sl__file *f, sl__sh_cmd *c, size_t i)
{
    static const char *const prefixes[] = {
        "sudo", "doas", "env", "nohup", "exec", "command", "builtin", "time", "nice",
        "timeout", "xargs", "busybox", "stdbuf", "setsid", "ionice", "unbuffer", "nocorrect",
        NULL
    };
    static const char *const with_value[] = {
        "-u", "-g", "-n", "-I", "-P", "-L", "-d", "-s", "-E", "-C", "-p", "-k", "-c", "-i", NULL
    };
    const sl__tok *t = sl__t(f, i);
    size_t len;
    const char *w = sl__word(f, i, &len);

    if (c->skip_next) {
        c->skip_next = 0;
        return 1;
    }
    if (c->skip_opts && len > 0 && w[0] == '-') {
        c->skip_next = sl__in_words(w, len, with_value);
        return 1;
    }
    if (c->skip_opts && len > 0 && w[0] >= '0' && w[0] <= '9') {
        return 1; /* timeout 10, nice 5 */
    }
    if (t->flags & SL__TF_JOIN_NEXT) {
        return 0;
    }
    if (sl__in_words(w, len, prefixes)) {
        if (sl__streq(w, len, "sudo") || sl__streq(w, len, "doas")) {
            sl__emit(f, SL__C_PRIVILEGE, t->off);
        }
        if (c->prefix < 0) {
            c->prefix = (long)i;
        }
        c->skip_opts = 1;
        return 1;
    }
    return 0;
}

/* Checks one word: needles, blobs, /proc/.../environ, and redirection targets. */
static void sl__sh_word(sl__sh_state *st, size_t i)
{
    sl__file *f = st->f;
    const sl__sh_cmd *c = &st->frames[st->nframes - 1].cmd;
    const sl__tok *t = sl__t(f, i);
    size_t len;
    const char *w = sl__word(f, i, &len);
    int redir = i > 0 && sl__t(f, i - 1)->kind == SL__TK_REDIR;
    int display = 0;

    if (!redir && c->name >= 0 && (size_t)c->name != i) {
        size_t bl;
        const char *b = sl__word(f, (size_t)c->name, &bl);
        sl__basename(&b, &bl);
        display = sl__streq(b, bl, "echo") || sl__streq(b, bl, "printf");
    }
    f->display += display;
    sl__check_string(f, w, len, t->off);
    f->display -= display;
    sl__check_opaque(f, w, len, t->off);
    if (sl__starts(w, len, "/proc/") && sl__ends(w, len, "/environ")) {
        sl__fact(f, SL__F_ENV_WHOLE, t->off);
    }
    if (redir) {
        size_t rl;
        const char *r = sl__raw(f, i - 1, &rl);
        if (memchr(r, '>', rl) != NULL && !(len > 0 && w[0] >= '0' && w[0] <= '9' && len <= 2)) {
            sl__sh_write_target(f, i);
        }
    }
}

/* A here-document body: scanned as code when an interpreter reads it, else as data. */
static void sl__sh_heredoc_body(sl__sh_state *st, size_t i)
{
    sl__file *f = st->f;
    const sl__tok *t = sl__t(f, i);
    size_t len;
    const char *body = sl__word(f, i, &len);
    int k;

    for (k = 0; k < st->ndocs; k++) {
        if (st->docs[k].redir == (long)t->match) {
            sl__subscan_range(f, st->docs[k].language, t->off, t->len);
            st->docs[k] = st->docs[--st->ndocs];
            return;
        }
    }
    sl__check_string(f, body, len, t->off);
    sl__check_opaque(f, body, len, t->off);
}

/* A word in command position or after it. */
static void sl__sh_command_word(sl__sh_state *st, size_t i)
{
    sl__file *f = st->f;
    sl__sh_cmd *c = &st->frames[st->nframes - 1].cmd;
    const sl__tok *t = sl__t(f, i);
    size_t len;
    const char *w = sl__word(f, i, &len);

    if (c->name >= 0 || c->name_pos_sub) {
        return;
    }
    if (t->flags & SL__TF_ASSIGN) {
        sl__sh_assignment(f, i);
        return;
    }
    if (!(t->flags & SL__TF_QUOTED) &&
        (sl__sh_reserved(w, len) || sl__streq(w, len, "$") || sl__streq(w, len, ">"))) {
        return;
    }
    if (sl__sh_prefix(f, c, i)) {
        return;
    }
    c->name = (long)i;
}

static void sl__sh_sub_open(sl__sh_state *st, size_t i)
{
    sl__sh_frame *parent = &st->frames[st->nframes - 1];
    sl__sh_frame *fr;

    if (st->nframes > SL__LEX_MAX_NEST) {
        return;
    }
    fr = &st->frames[st->nframes++];
    memset(fr, 0, sizeof(*fr));
    sl__cmd_reset(&fr->cmd, i + 1, 0);
    fr->procsub = (sl__t(st->f, i)->flags & SL__TF_PROCSUB) != 0;
    fr->name_pos = !fr->procsub && parent->cmd.name < 0 && !parent->cmd.name_pos_sub &&
                   !(i > 0 && sl__t(st->f, i - 1)->kind == SL__TK_WORD &&
                     (sl__t(st->f, i - 1)->flags & SL__TF_JOIN_NEXT));
}

static void sl__sh_sub_close(sl__sh_state *st, size_t i)
{
    sl__sh_frame *fr;
    sl__sh_cmd *pc;
    unsigned traits;

    if (st->nframes <= 1) {
        return;
    }
    sl__sh_finish(st, i);
    fr = &st->frames[st->nframes - 1];
    traits = fr->all | fr->pipe;
    st->nframes--;
    pc = &st->frames[st->nframes - 1].cmd;
    if (fr->name_pos) {
        pc->name_pos_sub = 1;
        pc->name_sub |= traits;
    } else if (fr->procsub) {
        pc->procsub |= traits;
    } else {
        pc->arg_sub |= traits;
    }
}

static void sl__analyze_shell(sl__file *f)
{
    sl__sh_state *st = (sl__sh_state *)sl__arena_calloc(&f->arena, sizeof(sl__sh_state));
    size_t i;

    if (st == NULL) {
        sl__scan_fail(f->scan, SL_ENOMEM);
        return;
    }
    st->f = f;
    st->nframes = 1;
    sl__cmd_reset(&st->frames[0].cmd, 0, 0);
    for (i = 0; i < f->lx.ntok && f->scan->status == SL_OK; i++) {
        const sl__tok *t = sl__t(f, i);
        sl__sh_frame *fr = &st->frames[st->nframes - 1];
        switch (t->kind) {
        case SL__TK_WORD:
            sl__sh_word(st, i);
            if (!(i > 0 && sl__t(f, i - 1)->kind == SL__TK_REDIR)) {
                sl__sh_command_word(st, i);
            }
            break;
        case SL__TK_SUB_OPEN:
            sl__sh_sub_open(st, i);
            break;
        case SL__TK_SUB_CLOSE:
            sl__sh_sub_close(st, i);
            break;
        case SL__TK_REDIR:
            if (sl__starts(f->lx.src + t->off, t->len, "<<") &&
                !sl__starts(f->lx.src + t->off, t->len, "<<<")) {
                fr->cmd.heredoc = (long)i + 1;
            }
            break;
        case SL__TK_HEREDOC:
            sl__sh_heredoc_body(st, i);
            break;
        case SL__TK_OP:
        case SL__TK_NEWLINE: {
            int pipe = t->kind == SL__TK_OP && (sl__op(f, i, "|") || sl__op(f, i, "|&"));
            if (t->kind == SL__TK_NEWLINE && fr->cmd.piped && fr->cmd.name < 0 &&
                fr->cmd.prefix < 0 && !fr->cmd.name_pos_sub) {
                break; /* `curl x |` then the next line: the pipeline goes on */
            }
            sl__sh_finish(st, i);
            if (!pipe) {
                fr->pipe = 0;
            }
            sl__cmd_reset(&fr->cmd, i + 1, pipe);
            break;
        }
        default:
            break;
        }
    }
    while (st->nframes > 1) {
        sl__sh_sub_close(st, f->lx.ntok);
    }
    sl__sh_finish(st, f->lx.ntok);
}

/* ----------------------------------------------------------------- markdown --- */

/* A phrase: word groups that must appear in order, each within `window` words of the
 * previous one. Words compare case-insensitively. */
typedef struct sl__phrase {
    int cls;
    int window;
    const char *const *groups[4];
    int negatable;   /* "does not ask you to disable the sandbox" does not count */
} sl__phrase;

static const char *const sl__w_paste[] = {"paste", "copy-paste", "copy-and-paste", NULL};
static const char *const sl__w_terminal[] = {
    "terminal", "shell", "console", "powershell", "cmd", "command-line", "bash", "zsh",
    "iterm", NULL
};
static const char *const sl__w_run_box[] = {"win+r", "windows+r", "cmd+space", NULL};
static const char *const sl__w_disable[] = {
    "disable", "disabling", "deactivate", "bypass", "bypassing", "circumvent", "off",
    "ignore", "suppress", "override", "kill", "uninstall", NULL
};
static const char *const sl__w_guard[] = {
    "sandbox", "sandboxing", "antivirus", "anti-virus", "firewall", "defender", "gatekeeper",
    "selinux", "apparmor", "sip", "uac", "safety", "security", "guardrails", "scanner",
    "protections", "edr", "av", "xprotect", NULL
};
static const char *const sl__w_flags[] = {
    "--dangerously-skip-permissions", "--no-sandbox", "--disable-web-security",
    "--unsafe-perm", "--allow-dangerously-skip-permissions", "--dangerously-bypass-approvals",
    NULL
};
static const char *const sl__w_ignore[] = {
    "ignore", "disregard", "forget", "override", NULL
};
static const char *const sl__w_prior[] = {
    "previous", "prior", "above", "earlier", "all", "any", "your", "system", "other", NULL
};
static const char *const sl__w_instructions[] = {
    "instructions", "instruction", "prompt", "prompts", "rules", "guidelines", "directives",
    NULL
};
static const char *const sl__w_negate[] = {
    "not", "never", "without", "don't", "dont", "avoid", NULL
};
static const char *const sl__w_tell[] = {
    "tell", "telling", "inform", "informing", "mention", "mentioning", "notify",
    "notifying", "alert", "alerting", "reveal", "revealing", NULL
};
static const char *const sl__w_user[] = {"user", "users", "human", "operator", "owner", NULL};
static const char *const sl__w_hide[] = {"hide", "conceal", NULL};
static const char *const sl__w_from[] = {"from", NULL};

static const sl__phrase sl__phrases[] = {
    /* "paste the following command into your terminal" */
    {SL__C_PASTE_TERMINAL, 8, {sl__w_paste, sl__w_terminal, NULL, NULL}, 1},
    /* "press Win+R and paste" */
    {SL__C_PASTE_TERMINAL, 1, {sl__w_run_box, NULL, NULL, NULL}, 0},
    /* "disable the sandbox", "turn off antivirus" */
    {SL__C_DISABLE_SAFETY, 3, {sl__w_disable, sl__w_guard, NULL, NULL}, 1},
    /* "claude --dangerously-skip-permissions" */
    {SL__C_DISABLE_SAFETY, 1, {sl__w_flags, NULL, NULL, NULL}, 0},
    /* "ignore all previous instructions" */
    {SL__C_PROMPT_INJECTION, 3, {sl__w_ignore, sl__w_prior, sl__w_instructions, NULL}, 1},
    /* "do not tell the user" */
    {SL__C_PROMPT_INJECTION, 3, {sl__w_negate, sl__w_tell, sl__w_user, NULL}, 0},
    /* "hide this from the user" */
    {SL__C_PROMPT_INJECTION, 4, {sl__w_hide, sl__w_from, sl__w_user, NULL}, 1},
};

typedef struct sl__words {
    uint32_t *off;
    uint32_t *len;
    size_t count;
    size_t cap;
} sl__words;

static int sl__word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '\'' || c == '+' || c == '-';
}

static void sl__words_add(sl__file *f, sl__words *w, size_t off, size_t len)
{
    if (w->count == w->cap) {
        size_t ncap = w->cap == 0 ? 256 : w->cap * 2;
        uint32_t *o = (uint32_t *)sl__arena_alloc(&f->arena, ncap * sizeof(uint32_t));
        uint32_t *l = (uint32_t *)sl__arena_alloc(&f->arena, ncap * sizeof(uint32_t));
        if (o == NULL || l == NULL) {
            sl__scan_fail(f->scan, SL_ENOMEM);
            return;
        }
        if (w->count > 0) {
            memcpy(o, w->off, w->count * sizeof(uint32_t));
            memcpy(l, w->len, w->count * sizeof(uint32_t));
        }
        w->off = o;
        w->len = l;
        w->cap = ncap;
    }
    w->off[w->count] = (uint32_t)off;
    w->len[w->count] = (uint32_t)len;
    w->count++;
}

static int sl__word_in(const sl__file *f, const sl__words *w, size_t k,
                       const char *const *group)
{
    const char *s = f->lx.src + w->off[k];
    size_t len = w->len[k];
    size_t g;

    for (g = 0; group[g] != NULL; g++) {
        if (strlen(group[g]) == len && sl__eq_nocase(s, group[g], len)) {
            return 1;
        }
    }
    return 0;
}

static void sl__phrases_match(sl__file *f, const sl__words *w)
{
    size_t p;

    for (p = 0; p < sizeof(sl__phrases) / sizeof(sl__phrases[0]); p++) {
        const sl__phrase *ph = &sl__phrases[p];
        size_t k;
        for (k = 0; k < w->count; k++) {
            size_t at = k;
            int g;
            if (!sl__word_in(f, w, k, ph->groups[0])) {
                continue;
            }
            if (ph->negatable) {
                size_t b = k > 5 ? k - 5 : 0;
                while (b < k && !sl__word_in(f, w, b, sl__w_negate)) {
                    b++;
                }
                if (b < k) {
                    continue;
                }
            }
            for (g = 1; g < 4 && ph->groups[g] != NULL; g++) {
                size_t j;
                size_t limit = at + 1 + (size_t)ph->window;
                for (j = at + 1; j < w->count && j < limit; j++) {
                    if (sl__word_in(f, w, j, ph->groups[g])) {
                        break;
                    }
                }
                if (j >= w->count || j >= limit) {
                    break;
                }
                at = j;
            }
            if (g == 4 || ph->groups[g] == NULL) {
                sl__emit(f, ph->cls, w->off[k]);
            }
        }
    }
}

/* The language of a fenced code block from its info string. */
static int sl__fence_language(const char *s, size_t len)
{
    static const char *const sh[] = {
        "sh", "bash", "shell", "console", "zsh", "terminal", "shell-session", "sh-session", NULL
    };
    static const char *const py[] = {"python", "py", "python3", NULL};
    static const char *const js[] = {
        "js", "javascript", "node", "ts", "typescript", "mjs", "cjs", "jsx", "tsx", NULL
    };
    char lower[16];
    size_t k;

    if (len == 0) {
        return SL__SH;
    }
    if (len >= sizeof(lower)) {
        return 0;
    }
    for (k = 0; k < len; k++) {
        lower[k] = (char)sl__lower((unsigned char)s[k]);
    }
    if (sl__in_words(lower, len, sh)) {
        return SL__SH;
    }
    if (sl__in_words(lower, len, py)) {
        return SL__PY;
    }
    return sl__in_words(lower, len, js) ? SL__JS : 0;
}

/* "curl ... | sh" written in prose, outside code spans. */
static void sl__md_pipe_line(sl__file *f, const char *s, size_t a, size_t b)
{
    static const char *const fetch[] = {"curl ", "wget ", "iwr ", "invoke-webrequest", NULL};
    static const char *const pipes[] = {
        "| sh", "|sh", "| bash", "|bash", "| sudo", "|sudo", "| zsh", "| python", "|python",
        "| iex", "|iex", "| node", NULL
    };
    int got_fetch = 0;
    int got_pipe = 0;
    size_t i;
    size_t k;

    for (i = a; i < b && !(got_fetch && got_pipe); i++) {
        for (k = 0; fetch[k] != NULL && !got_fetch; k++) {
            size_t n = strlen(fetch[k]);
            got_fetch = n <= b - i && sl__eq_nocase(s + i, fetch[k], n);
        }
        for (k = 0; pipes[k] != NULL && got_fetch && !got_pipe; k++) {
            size_t n = strlen(pipes[k]);
            got_pipe = n <= b - i && sl__eq_nocase(s + i, pipes[k], n);
        }
    }
    if (got_fetch && got_pipe) {
        sl__emit(f, SL__C_DOWNLOAD_EXEC, a);
    }
}

/* A prose line: code spans are scanned as shell, the rest gives words for phrases. */
static void sl__md_prose(sl__file *f, sl__words *w, size_t a, size_t b)
{
    const char *s = f->lx.src;
    size_t i = a;
    size_t seg = a;

    while (i < b) {
        if (s[i] == '`') {
            size_t ticks = 0;
            size_t j;
            while (i + ticks < b && s[i + ticks] == '`') {
                ticks++;
            }
            for (j = i + ticks; j + ticks <= b; j++) {
                size_t t = 0;
                while (t < ticks && s[j + t] == '`') {
                    t++;
                }
                if (t == ticks) {
                    break;
                }
            }
            if (j + ticks <= b) {
                sl__md_pipe_line(f, s, seg, i);
                sl__subscan_range(f, SL__SH, i + ticks, j - i - ticks);
                i = j + ticks;
                seg = i;
                continue;
            }
            i += ticks;
            continue;
        }
        if (sl__word_char((unsigned char)s[i])) {
            size_t j = i;
            while (j < b && sl__word_char((unsigned char)s[j])) {
                j++;
            }
            sl__words_add(f, w, i, j - i);
            i = j;
            continue;
        }
        i++;
    }
    sl__md_pipe_line(f, s, seg, b);
    {
        unsigned found = sl__needles_find(f->scan->scanner, s + a, b - a,
                                          (1u << SL__C_SECRET) | (1u << SL__C_METADATA), 1);
        if (found != 0) {
            sl__emit(f, SL__C_SECRET, a);
        }
    }
}

static void sl__analyze_text(sl__file *f)
{
    const char *s = f->lx.src;
    size_t n = f->lx.len;
    size_t i = 0;
    int in_fence = 0;
    char fence_char = 0;
    size_t fence_len = 0;
    int fence_lang = 0;
    size_t block = 0;
    sl__words words;

    memset(&words, 0, sizeof(words));
    while (i < n && f->scan->status == SL_OK) {
        size_t end = i;
        size_t p = i;
        size_t ticks = 0;
        while (end < n && s[end] != '\n') {
            end++;
        }
        while (p < end && p - i < 3 && s[p] == ' ') {
            p++;
        }
        while (p + ticks < end && (s[p + ticks] == '`' || s[p + ticks] == '~') &&
               s[p + ticks] == s[p]) {
            ticks++;
        }
        if (ticks >= 3 && (!in_fence || (s[p] == fence_char && ticks >= fence_len))) {
            if (!in_fence) {
                size_t info = p + ticks;
                size_t info_end;
                while (info < end && s[info] == ' ') {
                    info++;
                }
                for (info_end = info; info_end < end && s[info_end] != ' ' &&
                                      s[info_end] != '\r' && s[info_end] != '{';
                     info_end++) {
                }
                in_fence = 1;
                fence_char = s[p];
                fence_len = ticks;
                fence_lang = sl__fence_language(s + info, info_end - info);
                block = end < n ? end + 1 : n;
            } else {
                in_fence = 0;
                sl__subscan_range(f, fence_lang, block, i - block);
            }
        } else if (!in_fence) {
            sl__md_prose(f, &words, i, end);
        }
        i = end < n ? end + 1 : n;
    }
    if (in_fence && block < n) {
        sl__subscan_range(f, fence_lang, block, n - block);
    }
    sl__phrases_match(f, &words);
}

/* ------------------------------------------------------------- custom rules --- */

static int sl__pattern_at(const sl__file *f, size_t i, const sl__rule *r, size_t *end)
{
    size_t p = 0;

    while (p < r->ntokens) {
        const sl_str *pt = &r->tokens[p];
        size_t len;
        const char *s;
        if (i >= f->lx.ntok) {
            return 0;
        }
        if (sl__t(f, i)->kind == SL__TK_NEWLINE) {
            i++;
            continue;
        }
        s = sl__tok_text(&f->lx, i, &len);
        if (sl__streq(pt->ptr, pt->len, "$ANY")) {
            /* any one token */
        } else if (sl__streq(pt->ptr, pt->len, "$STRING")) {
            if (sl__t(f, i)->kind != SL__TK_STRING && sl__t(f, i)->kind != SL__TK_HEREDOC) {
                return 0;
            }
        } else if (len != pt->len || memcmp(s, pt->ptr, len) != 0) {
            return 0;
        }
        i++;
        p++;
    }
    *end = i;
    return 1;
}

/* Runs the rule file's rules over `f`. Substring rules look at the root file once. */
static void sl__custom_rules(sl__file *f)
{
    const sl_scanner *sc = f->scan->scanner;
    size_t r;

    for (r = SL__RULE_BUILTIN_COUNT; r < sc->nrules; r++) {
        const sl__rule *rule = &sc->rules[r];
        if (!rule->enabled || !(rule->languages & (1u << f->language))) {
            continue;
        }
        if (rule->match == SL__MATCH_SUBSTRING && f->depth == 0) {
            const char *s = f->root->text;
            size_t n = f->root->len;
            size_t i;
            for (i = 0; rule->text_len > 0 && i + rule->text_len <= n; i++) {
                if (s[i] == rule->text[0] && memcmp(s + i, rule->text, rule->text_len) == 0) {
                    sl__emit_rule(f->scan, f->root, r, i);
                    i += rule->text_len - 1;
                }
            }
        } else if (rule->match == SL__MATCH_TOKENS && f->language != SL__MD) {
            size_t i;
            for (i = 0; i < f->lx.ntok; i++) {
                size_t end;
                if (sl__t(f, i)->kind != SL__TK_NEWLINE && sl__pattern_at(f, i, rule, &end)) {
                    sl__emit_rule(f->scan, f->root, r, sl__root_offset(f, sl__t(f, i)->off));
                }
            }
        }
    }
}

/* ------------------------------------------------------------------ driver --- */

static void sl__file_init(sl__file *f, sl__scan *scan, sl__root *root, int language,
                          const char *text, size_t len)
{
    memset(f, 0, sizeof(*f));
    f->scan = scan;
    f->root = root;
    f->language = language;
    f->exact = 1;
    sl__arena_init(&f->arena, &scan->report->alloc);
    sl__lex_init(&f->lx, &scan->report->alloc, root->path, text, len, NULL);
}

static void sl__file_free(sl__file *f)
{
    sl__lex_free(&f->lx);
    sl__arena_free(&f->arena);
}

static int sl__analyze(sl__file *f);

static void sl__run_subs(sl__file *f)
{
    sl__sub *e;

    for (e = f->sub_head; e != NULL && f->scan->status == SL_OK; e = e->next) {
        sl__file child;
        int k;
        sl__file_init(&child, f->scan, f->root, e->language, e->text, e->len);
        child.parent = f;
        child.depth = f->depth + 1;
        child.exact = e->exact;
        child.base = e->base;
        child.anchor = e->anchor;
        sl__analyze(&child);
        for (k = 0; k < SL__F_COUNT; k++) {
            if (sl__has(&child, k) && !sl__has(f, k)) {
                f->facts |= 1u << k;
                f->fact_at[k] = child.fact_at[k];
            }
        }
        sl__file_free(&child);
    }
}

/* Analyzes `f` and the strings inside it found to be code. A tokenizer limit fails a
 * whole file (fail closed) but is ignored inside strings, which are only extra checks. */
static int sl__analyze(sl__file *f)
{
    if (f->language == SL__MD) {
        sl__analyze_text(f);
    } else {
        int rc;
        f->lx.err = f->depth == 0 ? f->scan->err : NULL;
        rc = sl__lex_run(&f->lx, f->language);
        if (rc != SL_OK) {
            if (f->depth == 0 || rc == SL_ENOMEM) {
                return sl__scan_fail(f->scan, rc);
            }
            return SL_OK;
        }
        if (f->language == SL__SH) {
            sl__analyze_shell(f);
        } else {
            sl__analyze_code(f);
        }
    }
    sl__run_subs(f);
    sl__combined_rules(f);
    sl__custom_rules(f);
    return f->scan->status;
}
