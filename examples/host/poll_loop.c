/* Runs a skill from a host's own event loop, the way a game or editor would: spawn, then
 * advance the run whenever its file descriptor is readable, doing other work in between. */
#define SKILLLITE_IMPLEMENTATION
#include "skilllite.h"

#include <poll.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "examples/skills/calculator";
    const char *input = argc > 2 ? argv[2] : "{\"operation\": \"multiply\", \"a\": 6, \"b\": 7}";
    const char *python[] = { "python3", NULL, NULL };
    char script[4096];
    sl_skill *skill = NULL;
    sl_sandbox_policy policy;
    sl_sandbox_run *run = NULL;
    sl_sandbox_result result;
    sl_error err;
    int frames = 0;
    int rc;

    if (sl_skill_load(dir, NULL, &skill, &err) != SL_OK) {
        fprintf(stderr, "poll_loop: %s\n", err.message);
        return 1;
    }
    if (sl_skill_language(skill) != SL_LANGUAGE_PYTHON) {
        fprintf(stderr, "poll_loop: this example runs python skills only\n");
        sl_skill_free(skill);
        return 1;
    }

    /* Inside the sandbox the skill folder is /skill. */
    snprintf(script, sizeof(script), "/skill/%s", sl_skill_entry_point(skill));
    python[1] = script;
    sl_sandbox_policy_init(&policy);
    policy.work_dir = sl_skill_dir(skill);
    if (sl_sandbox_spawn(&policy, python, input, strlen(input), &run, &err) != SL_OK) {
        fprintf(stderr, "poll_loop: %s\n", err.message);
        sl_skill_free(skill);
        return 1;
    }

    /* The host's frame loop: wait at most 16 ms for the run, then do a frame of work. */
    do {
        struct pollfd pfd;

        pfd.fd = sl_sandbox_fd(run);
        pfd.events = POLLIN;
        pfd.revents = 0;
        poll(&pfd, 1, 16);
        rc = sl_sandbox_poll(run, 0, &err);
        frames++;
    } while (rc == SL_EAGAIN);

    if (rc != SL_OK) {
        fprintf(stderr, "poll_loop: %s\n", err.message);
    } else if (sl_sandbox_take_result(run, &result) == SL_OK) {
        printf("after %d frames: exit %d, output %s", frames, result.exit_code,
               result.stdout_data);
        sl_sandbox_result_free(&result);
    }
    sl_sandbox_free(run);
    sl_skill_free(skill);
    return rc == SL_OK ? 0 : 1;
}
