/* Messages of the CLI in its own words: --waive names, --max-procs and --memory minimums,
 * the default network, --yes below level 3, paths given as files, validate --strict
 * labels, entry-point problems, list depth and the permission-error notes. Skill folders
 * that the fixtures do not cover are written to a temporary folder. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */

#include "cli_util.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define CALCULATOR "examples/skills/calculator"

#define REQUIRE_LEVEL2()                                                            \
    do {                                                                            \
        if (cli_level2_missing()[0] != '\0') {                                      \
            SKIP(cli_level2_missing());                                             \
        }                                                                           \
    } while (0)

/* Writes `text` to `root`/`rel`, creating the folders of `rel`. Returns 0 or -1. */
static int write_file(const char *root, const char *rel, const char *text)
{
    char path[512];
    size_t i;
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", root, rel);
    for (i = strlen(root) + 1; path[i] != '\0'; i++) {
        if (path[i] == '/') {
            path[i] = '\0';
            if (mkdir(path, 0755) != 0 && access(path, F_OK) != 0) {
                return -1;
            }
            path[i] = '/';
        }
    }
    f = fopen(path, "w");
    if (f == NULL) {
        return -1;
    }
    fputs(text, f);
    return fclose(f) == 0 ? 0 : -1;
}

/* Creates a new temporary folder in `dir` (at least 32 bytes). Returns 0 or -1. */
static int make_temp_dir(char *dir)
{
    strcpy(dir, "/tmp/sl-cli-msg-XXXXXX");
    return mkdtemp(dir) != NULL ? 0 : -1;
}

/* Removes a temporary folder tree made by these tests. */
static void remove_tree(const char *dir)
{
    char command[300];

    snprintf(command, sizeof(command), "rm -rf '%s'", dir);
    if (system(command) != 0) {
        fprintf(stderr, "note: could not remove %s\n", dir);
    }
}

/* ---- --waive ---------------------------------------------------------------------------- */

TEST(waive_namespace_rejected)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "run", "--waive", "userns", CALCULATOR, "{}") == 0);
    CHECK_INT(o.status, 2);
    CHECK_STR(o.err, "skilllite: error: --waive: layer 'userns' cannot be waived, only seccomp, "
                     "landlock and cgroup can; the namespaces (userns, mountns, pidns, netns, "
                     "ipcns, utsns) are one unit that level 2 needs; use --level 1 to run "
                     "without isolation\n");
    cli_output_free(&o);
}

TEST(waive_rlimits_rejected)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--waive", "seccomp,no_new_privs", "--", "/bin/true") ==
            0);
    CHECK_INT(o.status, 125);
    CHECK_STR(o.err, "skilllite: error: --waive: layer 'no_new_privs' cannot be waived, only "
                     "seccomp, landlock and cgroup can; rlimits and no_new_privs are always "
                     "on, at every level\n");
    cli_output_free(&o);
}

TEST(waive_unknown_layer)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "run", "--waive", "frob", CALCULATOR, "{}") == 0);
    CHECK_INT(o.status, 2);
    CHECK_STR(o.err, "skilllite: error: --waive: unknown layer 'frob'; the layers that can be "
                     "waived are seccomp, landlock and cgroup\n");
    cli_output_free(&o);
}

TEST(waive_accepted_layers)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--level", "1", "--waive", "seccomp,landlock",
                    "--waive", "cgroup", "--", "/bin/true") == 0);
    CHECK_INT(o.status, 0);
    CHECK_STR(o.err, "");
    cli_output_free(&o);
}

TEST(waive_help_names_layers)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "run", "--help") == 0);
    CHECK_INT(o.status, 0);
    CHECK(cli_contains(o.out, "  --waive LAYER[,LAYER]  allow level 2 to run when the kernel "
                              "lacks these layers\n"
                              "                         (repeatable): seccomp, landlock or "
                              "cgroup."));
    cli_output_free(&o);
}

/* ---- --max-procs and --memory --------------------------------------------------------- */

TEST(max_procs_one_rejected_level2)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "run", "--max-procs", "1", CALCULATOR, "{}") == 0);
    CHECK_INT(o.status, 2);
    CHECK_STR(o.err, "skilllite: error: --max-procs must be at least 2 at level 2, because the "
                     "sandbox's init process counts as one, got 1\n");
    cli_output_free(&o);
}

TEST(max_procs_checked_after_level)
{
    static const char *const env[] = {"SKILLLITE_LEVEL=3", NULL};
    static const char *const argv[] = {"run", "--max-procs", "1", CALCULATOR, "{}", NULL};
    cli_output o;

    /* --level comes after --max-procs, and the level may come from the environment. */
    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--max-procs", "1", "--level", "2", "--",
                    "/bin/true") == 0);
    CHECK_INT(o.status, 125);
    CHECK(cli_contains(o.err, "--max-procs must be at least 2 at level 2"));
    cli_output_free(&o);

    REQUIRE(cli_run_argv(&o, env, NULL, argv) == 0);
    CHECK_INT(o.status, 2);
    CHECK(cli_contains(o.err, "--max-procs must be at least 2 at level 3"));
    cli_output_free(&o);
}

TEST(max_procs_one_level1)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--level", "1", "--max-procs", "1", "--",
                    "/bin/true") == 0);
    CHECK_INT(o.status, 0);
    cli_output_free(&o);
}

TEST(max_procs_two_level2_runs)
{
    cli_output o;

    REQUIRE_LEVEL2();
    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--max-procs", "2", "--", "/bin/true") == 0);
    CHECK_INT(o.status, 0);
    cli_output_free(&o);
}

TEST(memory_below_minimum)
{
    static const char *const values[] = {"100", "0", "1023K"};
    size_t i;

    for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        cli_output o;
        char expected[200];

        REQUIRE(CLI_RUN(&o, NULL, "run", "--memory", values[i], CALCULATOR, "{}") == 0);
        CHECK_INT(o.status, 2);
        snprintf(expected, sizeof(expected), "skilllite: error: --memory must be at least 1M "
                 "(1048576 bytes), got '%s'\n", values[i]);
        CHECK_STR(o.err, expected);
        cli_output_free(&o);
    }
}

TEST(memory_not_a_number)
{
    static const char *const env[] = {"SKILLLITE_MEMORY=lots", NULL};
    static const char *const argv[] = {"run", CALCULATOR, "{}", NULL};
    cli_output o;

    REQUIRE(cli_run_argv(&o, env, NULL, argv) == 0);
    CHECK_INT(o.status, 2);
    CHECK_STR(o.err, "skilllite: error: environment variable SKILLLITE_MEMORY must be a byte "
                     "count of at least 1M, such as 268435456 or 256M, got 'lots'\n");
    cli_output_free(&o);
}

/* ---- network ---------------------------------------------------------------------------- */

TEST(network_help_exact)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--help") == 0);
    CHECK(cli_contains(o.out, "  --network              share the host network. Default at "
                              "levels 2 and 3: an empty\n"
                              "                         network namespace with only loopback, "
                              "where TCP bind and\n"
                              "                         connect fail with EACCES even on "
                              "127.0.0.1 (Landlock) and\n"
                              "                         UDP on loopback works. Level 1 has no "
                              "network isolation\n"));
    cli_output_free(&o);
}

#define NETWORK_NOTE                                                                       \
    "skilllite: note: the permission error in the program's stderr looks like a blocked "  \
    "network call; without --network, TCP bind and connect fail even on 127.0.0.1, so "     \
    "pass --network to allow them\n"
#define SUBPROCESS_NOTE                                                                    \
    "skilllite: note: the permission error in the program's stderr looks like a blocked "  \
    "subprocess; pass --allow-subprocess to let it start other programs\n"

TEST(permission_note_network)
{
    cli_output o;

    REQUIRE_LEVEL2();
    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--", "/bin/sh", "-c",
                    "echo 'connect: Permission denied' >&2; exit 1") == 0);
    CHECK_INT(o.status, 1);
    CHECK_STR(o.err, "connect: Permission denied\n" NETWORK_NOTE);
    cli_output_free(&o);
}

TEST(permission_note_subprocess)
{
    cli_output o;

    REQUIRE_LEVEL2();
    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--json", "--", "/bin/sh", "-c",
                    "echo 'PermissionError: subprocess.py' >&2; exit 1") == 0);
    CHECK_INT(o.status, 1);
    CHECK_STR(o.err, "skilllite: error: the command exited with status 1\n" SUBPROCESS_NOTE);
    cli_output_free(&o);
}

TEST(permission_note_skipped)
{
    static const char *const cases[][4] = {
        /* no socket or subprocess hint */
        {"--level", "2", "echo 'cat: /x: Permission denied' >&2; exit 1", ""},
        /* the run succeeded */
        {"--level", "2", "echo 'connect: Permission denied' >&2; exit 0", ""},
        /* --network is already given */
        {"--network", "--level=2", "echo 'connect: Permission denied' >&2; exit 1", ""},
        /* level 1 has no network isolation */
        {"--level", "1", "echo 'connect: Permission denied' >&2; exit 1", ""},
    };
    size_t i;

    REQUIRE_LEVEL2();
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cli_output o;

        REQUIRE(CLI_RUN(&o, NULL, "sandbox", cases[i][0], cases[i][1], "--", "/bin/sh", "-c",
                        cases[i][2]) == 0);
        CHECK(!cli_contains(o.err, "skilllite: note:"));
        cli_output_free(&o);
    }
}

TEST(permission_note_python_connect)
{
    cli_output o;

    REQUIRE_LEVEL2();
    if (!cli_have_program("python3")) {
        SKIP("python3 is not installed");
    }
    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--", "python3", "-c",
                    "import socket; socket.create_connection(('127.0.0.1', 9))") == 0);
    CHECK_INT(o.status, 1);
    CHECK(cli_contains(o.err, "PermissionError: [Errno 13] Permission denied\n" NETWORK_NOTE));
    cli_output_free(&o);
}

TEST(loopback_udp_works_level2)
{
    cli_output o;

    REQUIRE_LEVEL2();
    if (!cli_have_program("python3")) {
        SKIP("python3 is not installed");
    }
    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--", "python3", "-c",
                    "import socket\n"
                    "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                    "s.bind(('127.0.0.1', 0))\n"
                    "s.sendto(b'ping', s.getsockname())\n"
                    "print(s.recv(4).decode())\n") == 0);
    CHECK_INT(o.status, 0);
    CHECK_STR(o.out, "ping\n");
    cli_output_free(&o);
}

/* ---- --yes below level 3 ---------------------------------------------------------------- */

TEST(yes_below_level3_noted)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "run", "--yes", "--memory", "1", CALCULATOR, "{}") == 0);
    CHECK_INT(o.status, 2); /* the note comes only after the flags are valid */
    CHECK(!cli_contains(o.err, "note:"));
    cli_output_free(&o);

    REQUIRE(CLI_RUN(&o, NULL, "exec", "--level", "1", "--yes", "--allow-critical", CALCULATOR,
                    "no-such-script.py") == 0);
    CHECK_INT(o.status, 2);
    CHECK(strncmp(o.err, "skilllite: note: --yes and --allow-critical only matter at "
                         "--level 3, where the security scan runs; ignored at level 1\n",
                  strlen("skilllite: note: --yes and --allow-critical only matter at "
                         "--level 3, where the security scan runs; ignored at level 1\n")) == 0);
    cli_output_free(&o);

    REQUIRE(CLI_RUN(&o, NULL, "run", "-y", "tests/cli/fixtures/does-not-exist") == 0);
    CHECK_INT(o.status, 2);
    CHECK(strncmp(o.err, "skilllite: note: --yes only matters at --level 3, where the security "
                         "scan runs; ignored at level 2\n",
                  strlen("skilllite: note: --yes only matters at --level 3, where the security "
                         "scan runs; ignored at level 2\n")) == 0);
    cli_output_free(&o);
}

/* ---- paths ------------------------------------------------------------------------------ */

#define FILE_NOT_FOLDER                                                                    \
    "skilllite: error: '" CALCULATOR "/SKILL.md' is a file, not a skill folder; give the " \
    "folder that contains it: '" CALCULATOR "'\n"

TEST(skill_md_path_given)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "run", CALCULATOR "/SKILL.md", "{}") == 0);
    CHECK_INT(o.status, 2);
    CHECK_STR(o.err, FILE_NOT_FOLDER);
    cli_output_free(&o);

    REQUIRE(CLI_RUN(&o, NULL, "info", CALCULATOR "/SKILL.md") == 0);
    CHECK_INT(o.status, 2);
    CHECK_STR(o.err, FILE_NOT_FOLDER);
    cli_output_free(&o);

    REQUIRE(CLI_RUN(&o, NULL, "validate", CALCULATOR "/SKILL.md") == 0);
    CHECK_INT(o.status, 2);
    CHECK(cli_contains(o.err, FILE_NOT_FOLDER));
    cli_output_free(&o);
}

TEST(missing_folder_same_words)
{
    static const char *const runs[][4] = {
        {"run", "/nonexistent", "{}", NULL},
        {"exec", "/nonexistent", "x.py", NULL},
        {"info", "/nonexistent", NULL, NULL},
    };
    size_t i;

    for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
        cli_output o;

        REQUIRE(cli_run_argv(&o, NULL, NULL, runs[i]) == 0);
        CHECK_INT(o.status, 2);
        CHECK_STR(o.err, "skilllite: error: skill folder '/nonexistent' not found; give the "
                         "path of a folder that contains a SKILL.md\n");
        cli_output_free(&o);
    }
}

TEST(sandbox_command_not_executable)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--level", "1", "--", "/etc/passwd") == 0);
    CHECK_INT(o.status, 126);
    CHECK_STR(o.err, "skilllite: error: command '/etc/passwd' is not executable (permission "
                     "denied); give a program file with execute permission, or run a script "
                     "through its interpreter, such as 'python3 SCRIPT'\n");
    cli_output_free(&o);

    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--level", "1", "--", "/tmp") == 0);
    CHECK_INT(o.status, 126);
    CHECK_STR(o.err, "skilllite: error: command '/tmp' is a folder, not a program; give the "
                     "path of an executable file\n");
    cli_output_free(&o);
}

TEST(sandbox_not_executable_level2)
{
    cli_output o;

    REQUIRE_LEVEL2();
    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--", "/etc/passwd") == 0);
    CHECK_INT(o.status, 126);
    CHECK(cli_contains(o.err, "command '/etc/passwd' is not executable (permission denied)"));
    cli_output_free(&o);
}

/* ---- validate ------------------------------------------------------------------------- */

TEST(validate_strict_labels_errors)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "validate", "--strict", "tests/cli/fixtures/bad-name") == 0);
    CHECK_INT(o.status, 3);
    CHECK(strncmp(o.out, "tests/cli/fixtures/bad-name/SKILL.md:2:7: error: name \"Bad_Name\" ",
                  strlen("tests/cli/fixtures/bad-name/SKILL.md:2:7: error: name ")) == 0);
    CHECK(!cli_contains(o.out, "warning:"));
    CHECK(cli_contains(o.out, "\ntests/cli/fixtures/bad-name: skill \"Bad_Name\": invalid, "
                              "2 errors, 0 warnings\n"));
    cli_output_free(&o);
}

TEST(validate_unclosed_frontmatter)
{
    char dir[64];
    char arg[128];
    char expected[256];
    cli_output o;

    REQUIRE(make_temp_dir(dir) == 0);
    REQUIRE(write_file(dir, "open/SKILL.md", "---\nname: open\ndescription: d\nbody\n") == 0);
    snprintf(arg, sizeof(arg), "%s/open", dir);
    REQUIRE(CLI_RUN(&o, NULL, "validate", arg) == 0);
    CHECK_INT(o.status, 3);
    snprintf(expected, sizeof(expected), "\n%s: skill (no name): invalid, 1 error, "
             "0 warnings\n", arg);
    CHECK(cli_contains(o.out, expected));
    CHECK(!cli_contains(o.out, "skill \"\""));
    cli_output_free(&o);
    remove_tree(dir);
}

/* ---- entry points ------------------------------------------------------------------- */

TEST(run_entry_point_typo)
{
    char dir[64];
    char arg[128];
    char expected[512];
    cli_output o;

    REQUIRE(make_temp_dir(dir) == 0);
    REQUIRE(write_file(dir, "typo/SKILL.md", "---\nname: typo\ndescription: d\n"
                                             "entry_point: scripts/mian.py\n---\n") == 0);
    REQUIRE(write_file(dir, "typo/scripts/main.py", "print('{}')\n") == 0);
    snprintf(arg, sizeof(arg), "%s/typo", dir);
    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", "1", arg, "{}") == 0);
    CHECK_INT(o.status, 3);
    snprintf(expected, sizeof(expected), "skilllite: error: skill 'typo' has no entry point to "
             "run: %s/SKILL.md:4:14: entry_point \"scripts/mian.py\" does not exist; fix the "
             "path or remove the field\n", arg);
    CHECK_STR(o.err, expected);
    cli_output_free(&o);
    remove_tree(dir);
}

TEST(run_entry_point_several_scripts)
{
    char dir[64];
    char arg[128];
    cli_output o;

    REQUIRE(make_temp_dir(dir) == 0);
    REQUIRE(write_file(dir, "two/SKILL.md", "---\nname: two\ndescription: d\n---\n") == 0);
    REQUIRE(write_file(dir, "two/scripts/a.py", "print(1)\n") == 0);
    REQUIRE(write_file(dir, "two/scripts/b.py", "print(2)\n") == 0);
    snprintf(arg, sizeof(arg), "%s/two", dir);
    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", "1", arg, "{}") == 0);
    CHECK_INT(o.status, 3);
    CHECK(strncmp(o.err, "skilllite: error: skill 'two' has no entry point to run: ",
                  strlen("skilllite: error: skill 'two' has no entry point to run: ")) == 0);
    CHECK(cli_contains(o.err, "/SKILL.md:2:1: no entry point: scripts/ has several scripts "
                              "(a.py, b.py) and none is named main or index"));
    CHECK(!cli_contains(o.err, "scripts/main.py"));
    cli_output_free(&o);
    remove_tree(dir);
}

TEST(run_no_scripts_generic_advice)
{
    char dir[64];
    char arg[128];
    cli_output o;

    REQUIRE(make_temp_dir(dir) == 0);
    REQUIRE(write_file(dir, "plain/SKILL.md", "---\nname: plain\ndescription: d\n---\n") == 0);
    snprintf(arg, sizeof(arg), "%s/plain", dir);
    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", "1", arg, "{}") == 0);
    CHECK_INT(o.status, 3);
    CHECK_STR(o.err, "skilllite: error: skill 'plain' has no entry point; add 'entry_point: "
                     "scripts/main.py' to its SKILL.md or a scripts/main.* file\n");
    cli_output_free(&o);
    remove_tree(dir);
}

/* ---- list and scan ---------------------------------------------------------------------- */

TEST(list_nothing_found_note)
{
    char dir[64];
    char expected[400];
    cli_output o;

    REQUIRE(make_temp_dir(dir) == 0);
    REQUIRE(write_file(dir, "a/b/deep/SKILL.md", "---\nname: deep\ndescription: d\n---\n") == 0);
    REQUIRE(CLI_RUN(&o, NULL, "list", dir) == 0);
    CHECK_INT(o.status, 0);
    CHECK_STR(o.out, "");
    snprintf(expected, sizeof(expected), "skilllite: note: no skills found in %s or its child "
             "and grandchild folders (deeper folders are not searched); name the folder that "
             "holds the skill folders, for example 'skilllite list examples/skills'\n", dir);
    CHECK_STR(o.err, expected);
    cli_output_free(&o);
    remove_tree(dir);
}

TEST(scan_json_tool_version)
{
    cli_output o;
    sl_doc *doc;

    REQUIRE(CLI_RUN(&o, NULL, "scan", "--json", CALCULATOR) == 0);
    CHECK_INT(o.status, 0);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    CHECK_STR(sl_value_cstr(sl_value_get(sl_doc_root(doc), "tool")), "skilllite");
    CHECK_STR(sl_value_cstr(sl_value_get(sl_doc_root(doc), "version")), sl_version_string());
    sl_doc_free(doc);
    cli_output_free(&o);
}
