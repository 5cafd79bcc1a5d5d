/* Runs every host unit-test suite (each registers itself with SUITE(), see
 * check.h) in name order; the last line is "N passed, N failed" (N counts
 * individual checks). */
#include <stdlib.h>

#include "check.h"

#define MAX_SUITES 64

unsigned check_passed, check_failed;

static struct suite { const char *name; void (*run)(void); } suites[MAX_SUITES];
static unsigned suite_count;

void check_register(const char *name, void (*run)(void))
{
    if (suite_count == MAX_SUITES) {
        printf("more than %d unit-test suites: raise MAX_SUITES\n", MAX_SUITES);
        exit(2);
    }
    suites[suite_count++] = (struct suite){ name, run };
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct suite *)a)->name, ((const struct suite *)b)->name);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);   /* keep what printed before a sanitizer abort */
    qsort(suites, suite_count, sizeof suites[0], by_name);
    for (unsigned i = 0; i < suite_count; i++) {
        unsigned p = check_passed, f = check_failed;
        suites[i].run();
        printf("%-11s %u passed, %u failed\n", suites[i].name, check_passed - p, check_failed - f);
    }
    printf("%u passed, %u failed\n", check_passed, check_failed);
    return check_failed != 0;
}
