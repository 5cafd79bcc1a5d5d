/* The arithmetic of time: rates measured against a reference clock, and the
 * guest run bound they give. Pure, host tested; kernel/timer.c measures. */
#ifndef SVMTEST_TIMECALC_H
#define SVMTEST_TIMECALC_H

#include <stdint.h>

#define PIT_HZ 1193182u
#define GUEST_TICK_MS 10u               /* the bound counts timer ticks this far apart */
#define GUEST_TIMEOUT_MS_DEFAULT 2000u  /* guest_timeout_ms= */
#define GUEST_TIMEOUT_MS_MIN 100u
#define GUEST_TIMEOUT_MS_MAX 60000u
/* no reference clock: the old bound, in ticks of an uncalibrated timer
 * (about 2 s at QEMU's 1 GHz APIC clock, 20 s at 100 MHz) */
#define FALLBACK_TICKS 120u
#define FALLBACK_INITIAL_COUNT 0x100000u
/* plausible rates: outside them the reference (or the counter) is broken */
#define APIC_TIMER_HZ_MIN 100000ull     /* after the divide-by-16 */
#define APIC_TIMER_HZ_MAX 1000000000ull
#define TSC_HZ_MIN 100000000ull
#define TSC_HZ_MAX 20000000000ull

/* counted events over ref_ticks of a ref_hz clock, in Hz (rounded to
 * nearest); 0 when ref_ticks is 0 or the product would overflow. */
uint64_t timecalc_rate_hz(uint64_t counted, uint64_t ref_ticks, uint32_t ref_hz);

/* to - from on a counter of bits (24 or 32) that wraps. */
uint32_t timecalc_counter_delta(uint32_t from, uint32_t to, unsigned bits);

/* Reference ticks in ms milliseconds of a ref_hz clock (rounded up). */
uint64_t timecalc_ticks_in_ms(uint32_t ref_hz, uint32_t ms);

/* The median of n values (sorts them in place); 0 for n == 0. */
uint64_t timecalc_median(uint64_t *v, unsigned n);

/* A guest run is bounded by wall time: the APIC timer interrupts it every
 * GUEST_TICK_MS, and at each tick the TSC says whether the time is up. Ticks
 * are only counted when the TSC rate is unknown: a tick held off longer than
 * its period (an SMI, a preempted virtual CPU) is lost, the TSC is not. */
struct guest_bound {
    uint32_t initial_count;  /* APIC timer (divide by 16) periodic count */
    uint32_t ticks;          /* without tsc_cycles: a run ends after this many ticks */
    uint64_t tsc_cycles;     /* a run ends after this many TSC cycles; 0: count ticks */
    uint32_t ms;             /* what it means in wall time; 0: uncalibrated */
};

/* A bound of ms milliseconds for an APIC timer counting apic_timer_hz and a
 * TSC counting tsc_hz (0: unknown); an APIC rate of 0 (not calibrated) or
 * out of range gives the fallback bound. */
struct guest_bound timecalc_guest_bound(uint64_t apic_timer_hz, uint64_t tsc_hz, uint32_t ms);

#endif
