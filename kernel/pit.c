#include "pit.h"

#include <stdint.h>

#include "cpu.h"

#define PIT_HZ 1193182u
#define PIT_CH2_DATA 0x42
#define PIT_COMMAND 0x43
#define PIT_CH2_LOHI_MODE0 0xb0     /* channel 2, lobyte/hibyte, mode 0, binary */
#define PORT_B 0x61
#define PORT_B_GATE2 (1u << 0)
#define PORT_B_SPEAKER (1u << 1)
#define PORT_B_OUT2 (1u << 5)
#define US_PER_S 1000000u
#define PIT_COUNT_MAX 0xffffu
/* A port read takes about a microsecond on hardware, far less under TCG:
 * this many reads is far more than any delay asked for, and bounds the wait
 * when the PIT does not count. */
#define READS_PER_US_BOUND 64u

int pit_delay_us(unsigned us)
{
    if (us == 0)
        us = 1;
    if (us > PIT_DELAY_MAX_US)
        us = PIT_DELAY_MAX_US;
    uint32_t count = (uint32_t)(((uint64_t)us * PIT_HZ + US_PER_S - 1) / US_PER_S);
    if (count > PIT_COUNT_MAX)
        count = PIT_COUNT_MAX;
    uint8_t b = inb(PORT_B) & (uint8_t)~(PORT_B_GATE2 | PORT_B_SPEAKER);
    outb(PORT_B, b);                        /* gate low: hold the count */
    outb(PIT_COMMAND, PIT_CH2_LOHI_MODE0);  /* OUT2 goes low */
    outb(PIT_CH2_DATA, (uint8_t)count);
    outb(PIT_CH2_DATA, (uint8_t)(count >> 8));
    outb(PORT_B, b | PORT_B_GATE2);         /* gate high: count down */
    for (uint64_t reads = (uint64_t)us * READS_PER_US_BOUND; reads; reads--)
        if (inb(PORT_B) & PORT_B_OUT2)
            return 0;
    return -1;
}
