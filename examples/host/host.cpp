// A C++ host: includes the declarations only; the implementation lives in a C file
// (examples/host/impl.c) because the implementation is C.
#include "skilllite.h"

#include <cstdio>
#include <memory>
#include <string>

namespace {

struct SkillDeleter {
    void operator()(sl_skill *skill) const { sl_skill_free(skill); }
};

using SkillPtr = std::unique_ptr<sl_skill, SkillDeleter>;

} // namespace

int main(int argc, char **argv)
{
    std::string dir = argc > 1 ? argv[1] : "examples/skills/calculator";
    std::string input = argc > 2 ? argv[2] : R"({"operation": "subtract", "a": 50, "b": 8})";
    sl_error err;

    sl_skill *raw = nullptr;
    if (sl_skill_load(dir.c_str(), nullptr, &raw, &err) != SL_OK) {
        std::fprintf(stderr, "host: %s\n", err.message);
        return 1;
    }
    SkillPtr skill(raw);

    sl_sandbox_policy policy;
    sl_sandbox_policy_init(&policy);
    sl_sandbox_result result;
    if (sl_skill_run(skill.get(), &policy, input.data(), input.size(), &result, &err) != SL_OK) {
        std::fprintf(stderr, "host: %s\n", err.message);
        return 1;
    }
    std::printf("%s: exit %d, output %s", sl_skill_name(skill.get()), result.exit_code,
                result.stdout_data);
    sl_sandbox_result_free(&result);
    return 0;
}
