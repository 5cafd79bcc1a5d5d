#include "serial.h"

#include "cpu.h"

#define UART_CLOCK_HZ 115200u
#define REG_DATA 0      /* DLAB=0: THR/RBR; DLAB=1: divisor low */
#define REG_IER 1       /* DLAB=1: divisor high */
#define REG_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define REG_SCR 7
#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define FCR_ENABLE_CLEAR 0x07
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_THRE 0x20
#define THRE_POLL_LIMIT 200000  /* ~ hundreds of ms of port reads; a byte at 9600 baud needs ~1 ms */

int uart_init(struct uart *u, uint16_t port, uint32_t baud)
{
    u->port = port;
    u->present = 0;
    /* scratch register test: a bus with nothing on it reads back 0xff */
    outb(port + REG_SCR, 0x5a);
    if (inb(port + REG_SCR) != 0x5a)
        return 0;
    outb(port + REG_SCR, 0xa5);
    if (inb(port + REG_SCR) != 0xa5)
        return 0;
    uint16_t divisor = (uint16_t)(UART_CLOCK_HZ / baud);
    outb(port + REG_IER, 0x00);
    outb(port + REG_LCR, LCR_DLAB);
    outb(port + REG_DATA, (uint8_t)divisor);
    outb(port + REG_IER, (uint8_t)(divisor >> 8));
    outb(port + REG_LCR, LCR_8N1);
    outb(port + REG_FCR, FCR_ENABLE_CLEAR);
    outb(port + REG_MCR, MCR_DTR_RTS_OUT2);
    u->present = 1;
    return 1;
}

void uart_putc(struct uart *u, char c)
{
    if (!u->present)
        return;
    for (unsigned i = 0; !(inb(u->port + REG_LSR) & LSR_THRE); i++) {
        if (i == THRE_POLL_LIMIT) {
            u->present = 0; /* stuck: stop waiting on it for the rest of the run */
            return;
        }
        cpu_pause();
    }
    outb(u->port + REG_DATA, (uint8_t)c);
}
