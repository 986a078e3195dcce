/* Runs the calculator skill in the sandbox: the smallest complete host program. */
#define SKILLLITE_IMPLEMENTATION
#include "skilllite.h"
#include <stdio.h>
#include <string.h>

int main(void)
{
    const char *input = "{\"operation\": \"add\", \"a\": 15, \"b\": 27}";
    sl_skill *skill = NULL;
    sl_sandbox_policy policy;
    sl_sandbox_result result;
    sl_error err;

    if (sl_skill_load("examples/skills/calculator", NULL, &skill, &err) != SL_OK) {
        return fprintf(stderr, "%s\n", err.message), 1;
    }
    sl_sandbox_policy_init(&policy); /* level 2: namespaces, seccomp, Landlock, limits */
    if (sl_skill_run(skill, &policy, input, strlen(input), &result, &err) != SL_OK) {
        return fprintf(stderr, "%s\n", err.message), 1;
    }
    printf("exit %d, output %s", result.exit_code, result.stdout_data);
    sl_sandbox_result_free(&result);
    sl_skill_free(skill);
    return 0;
}
