/* Machine checks: banks enabled at boot (CR4.MCE is set on entry), and a
 * machine check reported as an ERROR with MCG_STATUS and every valid bank,
 * then the end marker and status 39: a lab sees the hardware error instead
 * of a silent reboot. */
#ifndef SVMTEST_MCE_H
#define SVMTEST_MCE_H

#include "idt.h"

void mce_init(void);
/* From the #MC vector (f) or a #VMEXIT(MC) (f NULL). Does not return. */
_Noreturn void mce_report(const struct int_frame *f);

#endif
