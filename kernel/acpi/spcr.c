#include "spcr.h"

#include <string.h>

#include "kernel/console/uart_divisor.h"
#include "kernel/lib/bytes.h"
#include "kernel/lib/fmt.h"

#define SPCR_MIN_LEN 80
#define SPCR_REVISION 8
#define SPCR_INTERFACE_TYPE 36
#define SPCR_GAS 40
#define SPCR_BAUD 58
#define SPCR_UART_CLOCK 76      /* revision 3+ */
#define SPCR_PRECISE_BAUD 80    /* revision 4+ */
#define SPCR_REV_CLOCK 3
#define SPCR_REV_PRECISE_BAUD 4
#define IO_PORT_MAX 0xfff8
#define COM1_PORT 0x3f8
#define BAUD_CODES 8

static int is_16550(uint8_t type)
{
    return type == SPCR_TYPE_16550 || type == SPCR_TYPE_16450 || type == SPCR_TYPE_16550_NVIDIA ||
           type == SPCR_TYPE_16550_GAS;
}

/* bytes per access: the GAS access size when given, else the register width */
static unsigned access_bytes_of(const struct acpi_gas *g)
{
    switch (g->access_size) {
    case ACPI_ACCESS_BYTE: return 1;
    case ACPI_ACCESS_WORD: return 2;
    case ACPI_ACCESS_DWORD: return 4;
    case ACPI_ACCESS_QWORD: return 8;
    default: return g->bit_width ? g->bit_width / 8u : 1;
    }
}

int spcr_parse(const uint8_t *t, size_t len, struct spcr_uart *out, const char **why)
{
    static const uint32_t bauds[BAUD_CODES] = { 0, 0, 0, 9600, 19200, 0, 57600, 115200 };
    if (len < SPCR_MIN_LEN || memcmp(t, "SPCR", 4)) {
        *why = "not an SPCR table of at least 80 bytes";
        return -1;
    }
    struct acpi_gas gas = acpi_gas_read(t + SPCR_GAS);
    uint8_t rev = t[SPCR_REVISION];
    uint8_t code = t[SPCR_BAUD];
    *out = (struct spcr_uart){
        .revision = rev,
        .interface_type = t[SPCR_INTERFACE_TYPE],
        .is_16550 = (uint8_t)is_16550(t[SPCR_INTERFACE_TYPE]),
        .space = gas.space == ACPI_SPACE_IO ? SPCR_SPACE_IO : SPCR_SPACE_MEMORY,
        .address = gas.address,
        .access_bytes = (uint8_t)access_bytes_of(&gas),
        .baud = code < BAUD_CODES ? bauds[code] : 0,
    };
    if (rev >= SPCR_REV_CLOCK && len >= SPCR_UART_CLOCK + 4)
        out->clock_hz = read_le32(t + SPCR_UART_CLOCK);
    if (rev >= SPCR_REV_PRECISE_BAUD && len >= SPCR_PRECISE_BAUD + 4 && read_le32(t + SPCR_PRECISE_BAUD))
        out->baud = read_le32(t + SPCR_PRECISE_BAUD);   /* overrides the code */
    else if (code >= BAUD_CODES || (code && !out->baud)) {
        *why = "SPCR baud rate code is reserved";
        return -1;
    }
    switch (gas.bit_width) {
    case 0:     /* not given: the classic byte-wide layout */
    case 8: out->reg_shift = 0; break;
    case 16: out->reg_shift = 1; break;
    case 32: out->reg_shift = 2; break;
    default:
        *why = "SPCR UART register width is not 8, 16 or 32 bits";
        return -1;
    }
    if (gas.space != ACPI_SPACE_IO && gas.space != ACPI_SPACE_MEMORY) {
        *why = "SPCR UART is neither in I/O nor memory space";
        return -1;
    }
    if (out->access_bytes != 1 && out->access_bytes != 2 && out->access_bytes != 4) {
        *why = "SPCR UART access size is not 1, 2 or 4 bytes";
        return -1;
    }
    if (!out->address) {
        *why = "SPCR UART address is zero (console disabled by firmware)";
        return -1;
    }
    if (out->space == SPCR_SPACE_IO && out->address + (7u << out->reg_shift) > IO_PORT_MAX + 7) {
        *why = "SPCR I/O port out of range";
        return -1;
    }
    return 0;
}

int spcr_find(const uint8_t *rsdp, size_t rsdp_len, phys_resolver resolve, void *ctx,
              struct spcr_uart *out, const char **why)
{
    struct acpi_root root;
    if (acpi_open(&root, rsdp, rsdp_len, resolve, ctx, why))
        return -1;
    uint32_t len;
    const uint8_t *t = acpi_find(&root, "SPCR", &len);
    if (!t) {
        *why = "no ACPI SPCR table";
        return -1;
    }
    return spcr_parse(t, len, out, why);
}

/* "UART at I/O port 0x2f8" and, when not the classic layout, "(8-bit
 * access, 2-byte stride)": the first words of the "# console:" note */
static size_t describe_uart(const struct spcr_uart *s, char *note, size_t size)
{
    int mmio = s->space == SPCR_SPACE_MEMORY;
    size_t n = (size_t)fmt_snprintf(note, size, "spcr: UART at %s 0x%lx", mmio ? "MMIO" : "I/O port",
                                    s->address);
    if (n < size && (mmio || s->reg_shift || s->access_bytes != 1))
        n += (size_t)fmt_snprintf(note + n, size - n, " (%u-bit access, %u-byte stride)",
                                  8u * s->access_bytes, 1u << s->reg_shift);
    return n < size ? n : size - 1;
}

static struct uart com1(uint32_t clock_override)
{
    return (struct uart){ .base = COM1_PORT, .clock_hz = clock_override };
}

int spcr_console_choice(int found, const struct spcr_uart *s, const char *why,
                        uint32_t clock_override, uint32_t fallback_baud,
                        const struct console_memory *mem, struct uart *u, uint32_t *baud, char *note,
                        size_t size)
{
    *u = com1(clock_override);
    *baud = fallback_baud;
    if (found) {
        fmt_snprintf(note, size, "spcr: %s, using com1", why);
        return 0;
    }
    if (!s->is_16550) {
        fmt_snprintf(note, size, "SPCR interface type %u not supported, using com1", s->interface_type);
        return 0;
    }
    int mmio = s->space == SPCR_SPACE_MEMORY;
    struct uart named = { .base = s->address, .mmio = (uint8_t)mmio, .reg_shift = s->reg_shift,
                          .access_bytes = s->access_bytes };
    char refused[CONSOLE_REFUSED_MAX];
    if (console_uart_refused(&named, mem, refused, sizeof refused)) {   /* before any access */
        fmt_snprintf(note, size, "spcr: no UART can be at %s 0x%lx: %s, using com1",
                     mmio ? "MMIO" : "I/O port", s->address, refused);
        return 0;
    }
    uint32_t clock = clock_override ? clock_override : s->clock_hz ? s->clock_hz : UART_CLOCK_DEFAULT_HZ;
    uint16_t divisor = 0;
    const char *bad;
    if (s->baud && uart_divisor(clock, s->baud, &divisor, &bad)) {
        fmt_snprintf(note, size, "spcr: baud=%u with uart_clock=%u: %s, using com1", s->baud, clock, bad);
        return 0;
    }
    named.clock_hz = clock;
    *u = named;
    *baud = s->baud;
    size_t n = describe_uart(s, note, size);
    if (n < size && !s->baud)
        n += (size_t)fmt_snprintf(note + n, size - n, " baud=as-is (divisor left as the firmware set it)");
    else if (n < size)
        n += (size_t)fmt_snprintf(note + n, size - n, " baud=%u", s->baud);
    if (n < size && s->baud && clock != UART_CLOCK_DEFAULT_HZ)
        fmt_snprintf(note + n, size - n, " uart_clock=%u divisor=%u", clock, divisor);
    return 1;
}

void spcr_console_unanswered(const struct spcr_uart *s, uint32_t clock_override, uint32_t fallback_baud,
                             struct uart *u, uint32_t *baud, char *note, size_t size)
{
    *u = com1(clock_override);
    *baud = fallback_baud;
    size_t n = describe_uart(s, note, size);
    if (n < size)
        fmt_snprintf(note + n, size - n, " does not answer, using com1");
}
