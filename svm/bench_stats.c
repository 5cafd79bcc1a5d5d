#include "bench.h"

struct bench_stats bench_stats_of(uint64_t *v, unsigned n)
{
    for (unsigned i = 1; i < n; i++) {
        uint64_t x = v[i];
        unsigned j = i;
        for (; j && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
    if (!n)
        return (struct bench_stats){ 0 };
    return (struct bench_stats){ v[0], v[n / 10], v[n / 2], v[n - 1 - n / 10], v[n - 1] };
}
