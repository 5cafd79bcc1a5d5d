/* IDT: all 256 vectors. An exception ends the run through the handler
 * registered for it, and a machine check goes to a handler of its own (the
 * IDT calls up, it includes neither); NMI is counted; the guest-bounding
 * timer has a handler of its own; every other vector (firmware's or a
 * loader's leftovers, the APIC spurious vector) is counted, acknowledged
 * where it came from, and ignored. */
#ifndef SVMTEST_IDT_H
#define SVMTEST_IDT_H

#include <stdint.h>

#include "int_frame.h"
#include "vectors.h"

typedef void (*timer_handler)(void);

void idt_init(void);
void idt_set_timer_handler(timer_handler h);
/* What ends the run on an exception (kernel/main.c registers the report's,
 * kernel/smp.c an application processor's); must not return. */
typedef void (*exception_handler)(const struct int_frame *f);
void idt_set_exception_handler(exception_handler h);
/* What reports a machine check (kernel/main.c registers kernel/mce/mce.c's);
 * it returns only for one that arrives while one is being reported. */
typedef void (*machine_check_handler)(const struct int_frame *f);
void idt_set_machine_check_handler(machine_check_handler h);

const struct interrupt_counts *interrupt_counts(void);

#endif
