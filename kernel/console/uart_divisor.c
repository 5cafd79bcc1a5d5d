#include "uart_divisor.h"

int uart_divisor(uint32_t clock_hz, uint32_t baud, uint16_t *divisor, const char **why)
{
    if (!clock_hz || !baud) {
        *why = "the UART clock and the baud rate must not be 0";
        return -1;
    }
    uint64_t per_bit = (uint64_t)UART_OVERSAMPLING * baud;
    uint64_t d = ((uint64_t)clock_hz + per_bit / 2) / per_bit;
    if (d == 0) {
        *why = "the UART clock is too slow for this baud rate (divisor below 1)";
        return -1;
    }
    if (d > UART_DIVISOR_MAX) {
        *why = "the UART clock is too fast for this baud rate (divisor above 65535)";
        return -1;
    }
    /* |clock / (16 d) - baud| > baud * tolerance, in integers */
    uint64_t wanted = per_bit * d;
    uint64_t off = wanted > clock_hz ? wanted - clock_hz : clock_hz - wanted;
    if (off * 100 > (uint64_t)UART_BAUD_TOLERANCE_PERCENT * wanted) {
        *why = "no divisor gives this baud rate within 5% from this UART clock";
        return -1;
    }
    *divisor = (uint16_t)d;
    return 0;
}
