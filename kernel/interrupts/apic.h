/* The local APIC (xAPIC or x2APIC, whichever firmware left) and the legacy
 * 8259 pair: put into svmtest's own state before interrupts are ever
 * enabled, and the timer that bounds guest runs. */
#ifndef SVMTEST_APIC_H
#define SVMTEST_APIC_H

#include <stdint.h>

/* Remap the 8259 PICs off the exception vectors, mask them and end any
 * interrupt firmware left in service. */
void apic_quiet_legacy_pic(void);
/* Local APIC: enabled in the mode firmware left (x2APIC stays x2APIC: it
 * cannot be left without a reset), every LVT masked but LINT1, which is set
 * to deliver the platform's NMIs (counted by kernel/interrupts/idt.c), TPR 0, spurious vector
 * programmed, in-service interrupts ended (bounded). What was pending
 * arrives once interrupts are enabled and is counted as stray. */
void apic_init(void);
uint32_t apic_read(uint32_t reg);
void apic_write(uint32_t reg, uint32_t v);
int apic_x2apic_mode(void);
/* This CPU's APIC ID (x2APIC: all 32 bits; xAPIC: the 8-bit ID). */
uint32_t apic_current_id(void);
/* Enable the local APIC and start a periodic timer on VECTOR_TIMER. */
void apic_timer_start(uint32_t initial_count);
void apic_timer_stop(void);
void apic_eoi(void);
/* EOI only if the vector is in service at the local APIC (a stray vector
 * may have come from elsewhere, e.g. a software INT). */
void apic_eoi_if_in_service(unsigned vector);
/* EOI to the 8259 pair for IRQ irq (0-15) only if it is in service there
 * (a spurious IRQ 7 or 15 is not). */
void legacy_pic_eoi_if_in_service(unsigned irq);
/* Calibration (kernel/timer.c): a masked one-shot count-down from
 * initial_count at the same divide-by-16, and its current count. */
void apic_timer_count_down(uint32_t initial_count);
uint32_t apic_timer_current(void);

#endif
