#include "serial.h"

#include "kernel/cpu/cpu.h"
#include "uart_divisor.h"

#define REG_DATA 0      /* DLAB=0: THR/RBR; DLAB=1: divisor low */
#define REG_IER 1       /* DLAB=1: divisor high */
#define REG_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define REG_MSR 6
#define REG_SCR 7
#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define FCR_ENABLE_CLEAR 0x07
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define THRE_POLL_LIMIT 200000  /* far more than a byte at 9600 baud takes */
#define DRAIN_POLL_LIMIT 4000000 /* status reads: far more than a 64-byte FIFO at 9600 baud (~70 ms) takes */
#define SCRATCH_A 0x5a
#define SCRATCH_B 0xa5
/* loopback (MCR bit 4): the modem status inputs follow the modem control
 * outputs, CTS = RTS, DSR = DTR, RI = OUT1, DCD = OUT2 (the 16550's data
 * sheet; Linux's 8250 autoconfig tests the same) */
#define MCR_LOOP 0x10
#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MSR_INPUTS 0xf0
#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI 0x40
#define MSR_DCD 0x80

static uint8_t reg_read(const struct uart *u, unsigned reg)
{
    uint64_t a = u->base + ((uint64_t)reg << u->reg_shift);
    if (!u->mmio) {
        if (u->access_bytes == 4)
            return (uint8_t)inl((uint16_t)a);
        if (u->access_bytes == 2)
            return (uint8_t)inw((uint16_t)a);
        return inb((uint16_t)a);
    }
    if (u->access_bytes == 4)
        return (uint8_t)*(volatile uint32_t *)(uintptr_t)a;
    if (u->access_bytes == 2)
        return (uint8_t)*(volatile uint16_t *)(uintptr_t)a;
    return *(volatile uint8_t *)(uintptr_t)a;
}

static void reg_write(const struct uart *u, unsigned reg, uint8_t v)
{
    uint64_t a = u->base + ((uint64_t)reg << u->reg_shift);
    if (!u->mmio) {
        if (u->access_bytes == 4)
            outl((uint16_t)a, v);
        else if (u->access_bytes == 2)
            outw((uint16_t)a, v);
        else
            outb((uint16_t)a, v);
        return;
    }
    if (u->access_bytes == 4)
        *(volatile uint32_t *)(uintptr_t)a = v;
    else if (u->access_bytes == 2)
        *(volatile uint16_t *)(uintptr_t)a = v;
    else
        *(volatile uint8_t *)(uintptr_t)a = v;
}

/* scratch register test: a bus with nothing on it reads back 0xff */
static int scratch_answers(const struct uart *u)
{
    reg_write(u, REG_SCR, SCRATCH_A);
    if (reg_read(u, REG_SCR) != SCRATCH_A)
        return 0;
    reg_write(u, REG_SCR, SCRATCH_B);
    return reg_read(u, REG_SCR) == SCRATCH_B;
}

int uart_answers(const struct uart *u)
{
    if (!scratch_answers(u))
        return 0;
    /* two loopback patterns: memory or a latch that keeps what was written
     * cannot turn MCR's outputs into MSR's inputs both ways */
    uint8_t mcr = reg_read(u, REG_MCR);
    reg_write(u, REG_MCR, MCR_LOOP | MCR_RTS | MCR_OUT2);
    int ok = (reg_read(u, REG_MSR) & MSR_INPUTS) == (MSR_CTS | MSR_DCD);
    reg_write(u, REG_MCR, MCR_LOOP | MCR_DTR | MCR_OUT1);
    ok = ok && (reg_read(u, REG_MSR) & MSR_INPUTS) == (MSR_DSR | MSR_RI);
    reg_write(u, REG_MCR, mcr & (uint8_t)~MCR_LOOP);
    return ok;
}

int uart_init(struct uart *u, uint32_t baud)
{
    u->present = 0;
    if (!scratch_answers(u))
        return 0;
    reg_write(u, REG_IER, 0x00);
    uint16_t divisor;
    const char *why;
    if (baud && !uart_divisor(u->clock_hz ? u->clock_hz : UART_CLOCK_DEFAULT_HZ, baud, &divisor, &why)) {
        reg_write(u, REG_LCR, LCR_DLAB);
        reg_write(u, REG_DATA, (uint8_t)divisor);
        reg_write(u, REG_IER, (uint8_t)(divisor >> 8));
    }
    reg_write(u, REG_LCR, LCR_8N1);
    reg_write(u, REG_FCR, FCR_ENABLE_CLEAR);
    reg_write(u, REG_MCR, MCR_DTR_RTS_OUT2);
    u->present = 1;
    return 1;
}

void uart_putc(struct uart *u, char c)
{
    if (!u->present)
        return;
    for (unsigned i = 0; !(reg_read(u, REG_LSR) & LSR_THRE); i++) {
        if (i == THRE_POLL_LIMIT) {
            u->present = 0; /* stuck: stop waiting on it for the rest of the run */
            return;
        }
        cpu_pause();
    }
    reg_write(u, REG_DATA, (uint8_t)c);
}

void uart_drain(struct uart *u)
{
    if (!u->present)
        return;
    for (unsigned i = 0; i < DRAIN_POLL_LIMIT && !(reg_read(u, REG_LSR) & LSR_TEMT); i++)
        cpu_pause();
}
