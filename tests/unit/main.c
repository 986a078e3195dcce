/* The one unit-test file that compiles the implementation and the runner's main. */
#define SKILLLITE_IMPLEMENTATION
#include "skilllite.h"

#define TEST_MAIN
#include "test.h"
