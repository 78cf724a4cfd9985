/*
 * hello.c (bench) — the start-up floor: a C program linked against libc
 * alone that prints one line, as `xsirt --version` does. bench_startup
 * compares commands with it.
 */
#include <stdio.h>

int main(void)
{
    puts("hello, world");
    return 0;
}
