/* The implementation alone in its own unit, compiled as C99 and C11. */
#define SKILLLITE_IMPLEMENTATION
#include "skilllite.h"
