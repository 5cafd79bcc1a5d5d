/* Time in seconds on bare metal: the local APIC timer (and the TSC, for
 * bench=on) calibrated against a clock of known frequency, the ACPI PM
 * timer (3.579545 MHz, from the FADT) or else PIT channel 2; every wait
 * bounded. The measured rates vary run to run, so they are printed only
 * with bench=on (see README "Time bounds"). */
#ifndef SVMTEST_TIMER_H
#define SVMTEST_TIMER_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/acpi/fadt.h"
#include "timecalc.h"

enum timer_reference { TIMER_REF_NONE, TIMER_REF_ACPI_PM, TIMER_REF_PIT };

struct timer_calibration {
    enum timer_reference reference;
    uint64_t apic_timer_hz;     /* after the divide-by-16; 0: not calibrated */
    uint64_t tsc_hz;            /* 0: not measured */
    const char *why_not;        /* TIMER_REF_NONE: what failed */
};

/* Remember the FADT's PM timer (fadt may be NULL); cheap, no waiting. */
void timer_init(const struct fadt_info *fadt);
/* Measure (about 50 ms) and set the guest run bound for guest_timeout_ms. */
void timer_calibrate(uint32_t guest_timeout_ms);
const struct timer_calibration *timer_calibration(void);
const char *timer_reference_name(enum timer_reference r);
/* The bound vcpu_run applies (the fallback one before timer_calibrate). */
const struct guest_bound *timer_guest_bound(void);
/* The "# timer:" line into buf: the reference at verbose=1, and the
 * fallback (a machine property, deterministic) at every verbosity.
 * Returns 1 when there is a line to print, else 0. */
int timer_describe(unsigned verbose, char *buf, size_t size);
/* Busy-wait about ms milliseconds: by the TSC once calibrated, else the PM
 * timer, else a fixed count of pauses. */
void timer_delay_ms(uint32_t ms);

#endif
