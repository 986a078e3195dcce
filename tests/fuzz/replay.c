/* Replays a fuzz target's seed corpus without libFuzzer, so `make test` runs every parser
 * over every seed (and under the sanitizers in `make sanitize`).
 *
 * Usage: replay_NAME DIR-OR-FILE... ; prints "N passed, 0 failed" where N counts inputs.
 * A crash or sanitizer report ends the program, which the test runner reports as a failure.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf;
    long size;

    if (f == NULL) {
        fprintf(stdout, "FAIL cannot open %s\n", path);
        return 0;
    }
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = (unsigned char *)malloc(size > 0 ? (size_t)size : 1);
    if (buf == NULL || (size > 0 && fread(buf, 1, (size_t)size, f) != (size_t)size)) {
        fprintf(stdout, "FAIL cannot read %s\n", path);
        fclose(f);
        free(buf);
        return 0;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, (size_t)size);
    free(buf);
    return 1;
}

static int replay_path(const char *path, int *failed)
{
    struct stat st;
    DIR *dir;
    struct dirent *e;
    int n = 0;

    if (stat(path, &st) != 0) {
        fprintf(stdout, "FAIL missing corpus %s\n", path);
        (*failed)++;
        return 0;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (replay_file(path)) {
            return 1;
        }
        (*failed)++;
        return 0;
    }
    dir = opendir(path);
    if (dir == NULL) {
        (*failed)++;
        return 0;
    }
    while ((e = readdir(dir)) != NULL) {
        char child[4096];
        if (e->d_name[0] == '.') {
            continue;
        }
        snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
        n += replay_path(child, failed);
    }
    closedir(dir);
    return n;
}

int main(int argc, char **argv)
{
    int passed = 0;
    int failed = 0;
    int i;

    for (i = 1; i < argc; i++) {
        passed += replay_path(argv[i], &failed);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
