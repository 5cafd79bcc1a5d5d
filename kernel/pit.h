/* Short delays timed by the 8254 PIT's channel 2 (1.193182 MHz), gated and
 * read back through port 0x61: the clock the CPU bring-up (kernel/smp.c)
 * times its INIT-SIPI-SIPI steps and its bounded waits with. */
#ifndef SVMTEST_PIT_H
#define SVMTEST_PIT_H

#define PIT_DELAY_MAX_US 50000u

/* Wait us microseconds (1..PIT_DELAY_MAX_US). Returns 0, or -1 when channel
 * 2 never reached its terminal count (no working PIT): the wait then ended
 * after a bounded number of port reads, not after us microseconds. */
int pit_delay_us(unsigned us);

#endif
