/* SKILLLITE_STATIC: implementation and use in one unit, every function static. Unused
 * functions must not warn under -Wall -Werror. */
#define SKILLLITE_STATIC
#define SKILLLITE_IMPLEMENTATION
#include "skilllite.h"

#include <stdio.h>
#include <string.h>

int main(void)
{
    char hex[65];

    sl_sha256_hex("abc", 3, hex);
    printf("%s\n", sl_version_string());
    return strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") != 0;
}
