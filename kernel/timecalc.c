#include "timecalc.h"

#define MS_PER_S 1000u
#define COUNTED_MAX (1ull << 40)   /* x ref_hz (< 2^22) stays below 2^62 */

uint64_t timecalc_rate_hz(uint64_t counted, uint64_t ref_ticks, uint32_t ref_hz)
{
    if (!ref_ticks || counted >= COUNTED_MAX)
        return 0;
    return (counted * ref_hz + ref_ticks / 2) / ref_ticks;
}

uint32_t timecalc_counter_delta(uint32_t from, uint32_t to, unsigned bits)
{
    uint32_t mask = bits >= 32 ? 0xffffffffu : (1u << bits) - 1;
    return (to - from) & mask;
}

uint64_t timecalc_ticks_in_ms(uint32_t ref_hz, uint32_t ms)
{
    return ((uint64_t)ref_hz * ms + MS_PER_S - 1) / MS_PER_S;
}

uint64_t timecalc_median(uint64_t *v, unsigned n)
{
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return n ? v[n / 2] : 0;
}

struct guest_bound timecalc_guest_bound(uint64_t apic_timer_hz, uint64_t tsc_hz, uint32_t ms)
{
    if (apic_timer_hz < APIC_TIMER_HZ_MIN || apic_timer_hz > APIC_TIMER_HZ_MAX || !ms)
        return (struct guest_bound){ FALLBACK_INITIAL_COUNT, FALLBACK_TICKS, 0, 0 };
    int tsc_known = tsc_hz >= TSC_HZ_MIN && tsc_hz <= TSC_HZ_MAX;
    return (struct guest_bound){
        .initial_count = (uint32_t)((apic_timer_hz * GUEST_TICK_MS + MS_PER_S / 2) / MS_PER_S),
        .ticks = (ms + GUEST_TICK_MS - 1) / GUEST_TICK_MS,
        .tsc_cycles = tsc_known ? tsc_hz / MS_PER_S * ms : 0,
        .ms = ms,
    };
}
