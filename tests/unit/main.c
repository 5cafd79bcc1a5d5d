/* Runs every host unit-test suite; the last line is "N passed, N failed"
 * (N counts individual checks). */
#include "check.h"

unsigned check_passed, check_failed;

static void run(const char *name, void (*suite)(void))
{
    unsigned p = check_passed, f = check_failed;
    suite();
    printf("%-9s %u passed, %u failed\n", name, check_passed - p, check_failed - f);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);   /* keep what printed before a sanitizer abort */
    run("fmt", suite_fmt);
    run("config", suite_config);
    run("bootinfo", suite_bootinfo);
    run("ktap", suite_ktap);
    run("npt", suite_npt);
    run("exit", suite_exit_decode);
    run("spcr", suite_spcr);
    printf("%u passed, %u failed\n", check_passed, check_failed);
    return check_failed != 0;
}
