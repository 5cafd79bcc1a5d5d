/* Local APIC timer (xAPIC or x2APIC): the clock that bounds guest runs. */
#ifndef SVMTEST_APIC_H
#define SVMTEST_APIC_H

#include <stdint.h>

/* Remap the 8259 PICs off the exception vectors and mask them. */
void apic_quiet_legacy_pic(void);
/* Enable the local APIC and start a periodic timer on VECTOR_TIMER. */
void apic_timer_start(uint32_t initial_count);
void apic_timer_stop(void);
void apic_eoi(void);
/* Calibration (kernel/timer.c): a masked one-shot count-down from
 * initial_count at the same divide-by-16, and its current count. */
void apic_timer_count_down(uint32_t initial_count);
uint32_t apic_timer_current(void);

#endif
