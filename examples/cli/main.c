/* skilllite: the example command-line tool. This file compiles the library (the one
 * SKILLLITE_IMPLEMENTATION of the program) and dispatches to the command files. */
#define SKILLLITE_IMPLEMENTATION
#include "skilllite.h"

#include "common.h"

#include <stdio.h>
#include <string.h>

static const char main_help[] =
    "Usage: skilllite [--json] COMMAND [ARGS...]\n"
    "       skilllite --help | --version | help COMMAND\n"
    "\n"
    "Runs Agent Skills (folders with a SKILL.md) and other programs in a Linux sandbox.\n"
    "\n"
    "Commands:\n"
    "  run DIR [JSON|@FILE|-]    run a skill's entry point with JSON input\n"
    "  exec DIR SCRIPT [ARGS]    run one script of a skill with arguments\n"
    "  list [DIR]                list the skills under DIR (default ./skills or .)\n"
    "  info DIR                  show every field and diagnostic of one skill\n"
    "  validate DIR...           check SKILL.md files; prints file:line:col diagnostics\n"
    "  scan DIR|FILE             static security scan of a skill or a script\n"
    "  status                    show which isolation layers this kernel offers\n"
    "  sandbox [OPTIONS] -- CMD  run any command in the sandbox\n"
    "\n"
    "Options for every command:\n"
    "  --json                    machine-readable output: one JSON value on stdout\n"
    "  -h, --help                help for the command\n"
    "\n"
    "Exit status (every command except 'sandbox', see 'skilllite sandbox --help'):\n"
    "  0  success\n"
    "  1  the skill failed (non-zero exit or signal), scan findings, or an internal error\n"
    "  2  invalid arguments, options, environment variables or input\n"
    "  3  the skill is invalid (SKILL.md errors, no usable entry point)\n"
    "  4  the sandbox could not start the run (a layer the kernel refused, or the\n"
    "     interpreter could not be executed)\n"
    "  5  a limit ended the run (timeout, memory, CPU time, processes, file size)\n"
    "  6  denied: scan findings were not confirmed\n";

typedef struct cli_command {
    const char *name;
    int (*run)(cli_context *ctx, int argc, char **argv);
    const char *help;
} cli_command;

static const cli_command cli_commands[] = {
    {"run", cmd_run, cmd_run_help},
    {"exec", cmd_exec, cmd_exec_help},
    {"list", cmd_list, cmd_list_help},
    {"info", cmd_info, cmd_info_help},
    {"validate", cmd_validate, cmd_validate_help},
    {"scan", cmd_scan, cmd_scan_help},
    {"status", cmd_status, cmd_status_help},
    {"sandbox", cmd_sandbox, cmd_sandbox_help},
};

static const cli_command *cli_find_command(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(cli_commands) / sizeof(cli_commands[0]); i++) {
        if (strcmp(cli_commands[i].name, name) == 0) {
            return &cli_commands[i];
        }
    }
    return NULL;
}

static int cli_print_version(cli_context *ctx)
{
    if (ctx->json) {
        printf("{\"version\":\"%s\",\"header_version\":\"%s\"}\n", sl_version_string(),
               SKILLLITE_VERSION_STRING);
    } else {
        printf("skilllite %s\n", sl_version_string());
    }
    return CLI_EXIT_OK;
}

/* `skilllite help [COMMAND]`. */
static int cli_help_command(cli_context *ctx, int argc, char **argv)
{
    const cli_command *command;

    if (argc < 1) {
        return cli_print_help(main_help);
    }
    command = cli_find_command(argv[0]);
    if (command == NULL) {
        return cli_fail(ctx, CLI_EXIT_USAGE, "unknown command '%s'; 'skilllite --help' lists "
                        "the commands", argv[0]);
    }
    return cli_print_help(command->help);
}

int main(int argc, char **argv)
{
    cli_context ctx;
    int i = 1;
    const cli_command *command;

    memset(&ctx, 0, sizeof(ctx));
    ctx.command = "skilllite";

    /* Options before the command. */
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            ctx.json = 1;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            return cli_print_help(main_help);
        } else if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-V") == 0) {
            return cli_print_version(&ctx);
        } else {
            return cli_fail(&ctx, CLI_EXIT_USAGE, "unknown option '%s'; 'skilllite --help' "
                            "lists the options", argv[i]);
        }
    }
    if (i >= argc) {
        fputs(main_help, stderr);
        return cli_fail(&ctx, CLI_EXIT_USAGE, "no command given; 'skilllite --help' lists "
                        "the commands");
    }
    if (strcmp(argv[i], "help") == 0) {
        return cli_help_command(&ctx, argc - i - 1, argv + i + 1);
    }
    if (strcmp(argv[i], "version") == 0) {
        return cli_print_version(&ctx);
    }
    command = cli_find_command(argv[i]);
    if (command == NULL) {
        return cli_fail(&ctx, CLI_EXIT_USAGE, "unknown command '%s'; 'skilllite --help' lists "
                        "the commands", argv[i]);
    }
    ctx.command = command->name;
    return command->run(&ctx, argc - i - 1, argv + i + 1);
}
