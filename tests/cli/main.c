/* The one file of the CLI test program that compiles the library and the runner's main.
 * The library is used to parse the CLI's JSON output. */
#define SKILLLITE_IMPLEMENTATION
#include "skilllite.h"

#define TEST_MAIN
#include "test.h"
