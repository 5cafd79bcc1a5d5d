/* bench=on: timing diagnostics in TSC cycles. The only output that may vary
 * between runs; results never depend on it. */
#ifndef SVMTEST_BENCH_H
#define SVMTEST_BENCH_H

#include "scenario.h"

#define BENCH_ITERATIONS 101

/* Median and spread of a sample; sorts it in place. */
struct bench_stats { uint64_t min, p10, median, p90, max; };
struct bench_stats bench_stats_of(uint64_t *sample, unsigned n);

/* Measure VMRUN/VMMCALL and #NPF round trips and the host paging switch;
 * s provides the pool and vCPU. Prints "bench:" diagnostics. */
void bench_run(struct scenario *s, const struct svm_caps *caps);

#endif
