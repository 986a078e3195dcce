/* The implementation unit for the C++ host. */
#define SKILLLITE_IMPLEMENTATION
#include "skilllite.h"
