/* kernel/acpi/spcr.c on tables of every revision (1-4), and what console=spcr
 * opens for each: the UART with its clock and divisor, or COM1 and why. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "kernel/acpi/spcr.h"
#include "kernel/console/uart_divisor.h"

/* the identity map's reach, nothing else known: only the address limit */
static const struct console_memory map_4g = { .mmio_limit = 4ull << 30 };
#define LIMIT_4G (&map_4g)
#define NOTE_MAX 160

struct table_spec {
    uint8_t rev, type, space, bit_width, access, baud_code;
    uint64_t address;
    uint32_t clock, precise_baud;
};

static size_t build(uint8_t *t, const struct table_spec *s)
{
    size_t len = s->rev >= 4 ? 90 : 80;
    memset(t, 0, 96);
    memcpy(t, "SPCR", 4);
    uint32_t l = (uint32_t)len;
    memcpy(t + 4, &l, 4);
    t[8] = s->rev;
    t[36] = s->type;
    t[40] = s->space;
    t[41] = s->bit_width;
    t[43] = s->access;
    memcpy(t + 44, &s->address, 8);
    t[58] = s->baud_code;
    if (s->rev >= 3)
        memcpy(t + 76, &s->clock, 4);
    else
        memcpy(t + 76, &s->clock, 4);  /* reserved before revision 3: must be ignored */
    if (s->rev >= 4) {
        memcpy(t + 80, &s->precise_baud, 4);
        t[84] = 2;      /* namespace string "." at 88 */
        t[86] = 88;
        t[88] = '.';
    }
    return len;
}

static void revision_1_16450_io(void)
{
    uint8_t t[96];
    struct spcr_uart u;
    const char *why = NULL;
    struct table_spec s = { .rev = 1, .type = SPCR_TYPE_16450, .space = 1, .bit_width = 8,
                            .access = 1, .address = 0x3f8, .baud_code = 6 };
    CHECK_EQ(spcr_parse(t, build(t, &s), &u, &why), 0);
    CHECK_EQ(u.revision, 1);
    CHECK_EQ(u.is_16550, 1);
    CHECK_EQ(u.space, SPCR_SPACE_IO);
    CHECK_EQ(u.address, 0x3f8);
    CHECK_EQ(u.baud, 57600);
    CHECK_EQ(u.clock_hz, 0);
    CHECK_EQ(u.reg_shift, 0);
    CHECK_EQ(u.access_bytes, 1);
}

static void revision_2_ignores_reserved_clock(void)
{
    uint8_t t[96];
    struct spcr_uart u;
    const char *why = NULL;
    struct table_spec s = { .rev = 2, .type = SPCR_TYPE_16550, .space = 1, .bit_width = 8,
                            .access = 1, .address = 0x2f8, .baud_code = 7, .clock = 48000000 };
    CHECK_EQ(spcr_parse(t, build(t, &s), &u, &why), 0);
    CHECK_EQ(u.clock_hz, 0);
    CHECK_EQ(u.baud, 115200);
}

/* the AMD FCH UART: MMIO, 32-bit registers at a 4-byte stride, 48 MHz */
static void revision_3_fch_mmio_48mhz(void)
{
    uint8_t t[96];
    struct spcr_uart u;
    const char *why = NULL;
    struct table_spec s = { .rev = 3, .type = SPCR_TYPE_16550_GAS, .space = 0, .bit_width = 32,
                            .access = 3, .address = 0xfedc9000u, .baud_code = 7, .clock = 48000000 };
    CHECK_EQ(spcr_parse(t, build(t, &s), &u, &why), 0);
    CHECK_EQ(u.space, SPCR_SPACE_MEMORY);
    CHECK_EQ(u.address, 0xfedc9000u);
    CHECK_EQ(u.reg_shift, 2);
    CHECK_EQ(u.access_bytes, 4);
    CHECK_EQ(u.clock_hz, 48000000);
    CHECK_EQ(u.baud, 115200);

    struct uart port;
    uint32_t baud;
    char note[NOTE_MAX];
    CHECK_EQ(spcr_console_choice(0, &u, NULL, 0, 115200, LIMIT_4G, &port, &baud, note, sizeof note), 1);
    CHECK_EQ(port.base, 0xfedc9000u);
    CHECK_EQ(port.mmio, 1);
    CHECK_EQ(port.reg_shift, 2);
    CHECK_EQ(port.access_bytes, 4);
    CHECK_EQ(port.clock_hz, 48000000);
    CHECK_EQ(baud, 115200);
    CHECK_STR(note, "spcr: UART at MMIO 0xfedc9000 (32-bit access, 4-byte stride) baud=115200 "
                    "uart_clock=48000000 divisor=26");

    /* beyond the identity map: COM1 */
    const struct console_memory below = { .mmio_limit = 0xfedc9000u };
    CHECK_EQ(spcr_console_choice(0, &u, NULL, 0, 115200, &below, &port, &baud, note, sizeof note), 0);
    CHECK_EQ(port.base, 0x3f8);
    CHECK_EQ(port.mmio, 0);
    CHECK_HAS(note, "beyond the identity map, using com1");

    /* no access size: the register width decides */
    s.access = 0;
    CHECK_EQ(spcr_parse(t, build(t, &s), &u, &why), 0);
    CHECK_EQ(u.access_bytes, 4);
}

static void revision_4_precise_baud_and_clock(void)
{
    uint8_t t[96];
    struct spcr_uart u;
    const char *why = NULL;
    struct table_spec s = { .rev = 4, .type = SPCR_TYPE_16550_GAS, .space = 1, .bit_width = 8,
                            .access = 1, .address = 0x2f8, .baud_code = 7, .clock = 48000000 };
    CHECK_EQ(spcr_parse(t, build(t, &s), &u, &why), 0);
    CHECK_EQ(u.baud, 115200);        /* precise 0: the code */
    CHECK_EQ(u.clock_hz, 48000000);

    struct uart port;
    uint32_t baud;
    char note[NOTE_MAX];
    CHECK_EQ(spcr_console_choice(0, &u, NULL, 0, 9600, LIMIT_4G, &port, &baud, note, sizeof note), 1);
    CHECK_STR(note, "spcr: UART at I/O port 0x2f8 baud=115200 uart_clock=48000000 divisor=26");
    /* uart_clock= on the command line wins over the table's */
    CHECK_EQ(spcr_console_choice(0, &u, NULL, 1843200, 9600, LIMIT_4G, &port, &baud, note, sizeof note), 1);
    CHECK_EQ(port.clock_hz, 1843200);
    CHECK_STR(note, "spcr: UART at I/O port 0x2f8 baud=115200");

    s.precise_baud = 1500000;        /* overrides the code, even a reserved one */
    s.baud_code = 2;
    CHECK_EQ(spcr_parse(t, build(t, &s), &u, &why), 0);
    CHECK_EQ(u.baud, 1500000);
    CHECK_EQ(spcr_console_choice(0, &u, NULL, 0, 9600, LIMIT_4G, &port, &baud, note, sizeof note), 1);
    CHECK_EQ(baud, 1500000);
    CHECK_HAS(note, "divisor=2");

    /* a divisor out of range: COM1 at the command line's baud, and why */
    s.clock = 1000;
    CHECK_EQ(spcr_parse(t, build(t, &s), &u, &why), 0);
    CHECK_EQ(spcr_console_choice(0, &u, NULL, 0, 9600, LIMIT_4G, &port, &baud, note, sizeof note), 0);
    CHECK_EQ(port.base, 0x3f8);
    CHECK_EQ(baud, 9600);
    CHECK_STR(note, "spcr: baud=1500000 with uart_clock=1000: the UART clock is too slow for this "
                    "baud rate (divisor below 1), using com1");
    s.clock = 0xffffffffu;
    s.precise_baud = 300;
    CHECK_EQ(spcr_parse(t, build(t, &s), &u, &why), 0);
    CHECK_EQ(spcr_console_choice(0, &u, NULL, 0, 9600, LIMIT_4G, &port, &baud, note, sizeof note), 0);
    CHECK_HAS(note, "divisor above 65535), using com1");
}

/* baud code 0: "as is", the firmware's divisor is kept */
static void baud_as_is(void)
{
    uint8_t t[96];
    struct spcr_uart u;
    const char *why = NULL;
    struct table_spec s = { .rev = 2, .type = 0, .space = 1, .bit_width = 8, .access = 1,
                            .address = 0x2f8, .baud_code = 0 };
    CHECK_EQ(spcr_parse(t, build(t, &s), &u, &why), 0);
    CHECK_EQ(u.baud, 0);
    struct uart port;
    uint32_t baud = 1;
    char note[NOTE_MAX];
    CHECK_EQ(spcr_console_choice(0, &u, NULL, 0, 115200, LIMIT_4G, &port, &baud, note, sizeof note), 1);
    CHECK_EQ(baud, 0);
    CHECK_EQ(port.base, 0x2f8);
    CHECK_STR(note, "spcr: UART at I/O port 0x2f8 baud=as-is (divisor left as the firmware set it)");
}

static void not_a_16550(void)
{
    static const uint8_t others[] = { 0x02, SPCR_TYPE_ARM_PL011, 0x04, 0x06, 0x0d, 0x0e, 0x0f, 0x10,
                                      0x11, 0x13, 0x14, 0x15, 0xff };
    uint8_t t[96];
    struct spcr_uart u;
    const char *why = NULL;
    for (unsigned i = 0; i < sizeof others; i++) {
        struct table_spec s = { .rev = 4, .type = others[i], .space = 0, .bit_width = 32,
                                .access = 3, .address = 0x9000000, .baud_code = 7 };
        CHECK_EQ(spcr_parse(t, build(t, &s), &u, &why), 0);
        CHECK_EQ(u.is_16550, 0);
        struct uart port;
        uint32_t baud;
        char note[NOTE_MAX], want[NOTE_MAX];
        CHECK_EQ(spcr_console_choice(0, &u, NULL, 0, 115200, LIMIT_4G, &port, &baud, note, sizeof note), 0);
        snprintf(want, sizeof want, "SPCR interface type %u not supported, using com1", others[i]);
        CHECK_STR(note, want);
        CHECK_EQ(port.base, 0x3f8);
        CHECK_EQ(port.mmio, 0);
        CHECK_EQ(baud, 115200);
    }
    static const uint8_t ours[] = { SPCR_TYPE_16550, SPCR_TYPE_16450, SPCR_TYPE_16550_NVIDIA,
                                    SPCR_TYPE_16550_GAS };
    for (unsigned i = 0; i < sizeof ours; i++) {
        struct table_spec s = { .rev = 2, .type = ours[i], .space = 1, .bit_width = 8, .access = 1,
                                .address = 0x2f8, .baud_code = 7 };
        CHECK_EQ(spcr_parse(t, build(t, &s), &u, &why), 0);
        CHECK_EQ(u.is_16550, 1);
    }
}

static void layouts_refused(void)
{
    uint8_t t[96];
    struct spcr_uart u;
    const char *why = NULL;
    struct table_spec s = { .rev = 2, .type = 0, .space = 1, .bit_width = 64, .access = 1,
                            .address = 0x2f8, .baud_code = 7 };
    CHECK_EQ(spcr_parse(t, build(t, &s), &u, &why), -1);
    CHECK_HAS(why, "register width");
    s.bit_width = 32;
    s.access = 4;   /* qword */
    CHECK_EQ(spcr_parse(t, build(t, &s), &u, &why), -1);
    CHECK_HAS(why, "access size");
    s.access = 2;
    s.bit_width = 16;
    CHECK_EQ(spcr_parse(t, build(t, &s), &u, &why), 0);
    CHECK_EQ(u.reg_shift, 1);
    CHECK_EQ(u.access_bytes, 2);
    s.bit_width = 8;
    s.access = 1;
    s.baud_code = 5;        /* reserved */
    CHECK_EQ(spcr_parse(t, build(t, &s), &u, &why), -1);
    CHECK_HAS(why, "reserved");
    s.baud_code = 7;
    s.address = 0xfffa;     /* the last register beyond port 0xffff */
    CHECK_EQ(spcr_parse(t, build(t, &s), &u, &why), -1);
    CHECK_HAS(why, "out of range");

    /* no table: COM1 and the reason */
    struct uart port;
    uint32_t baud;
    char note[NOTE_MAX];
    CHECK_EQ(spcr_console_choice(-1, &u, "no ACPI SPCR table", 24000000, 57600, LIMIT_4G, &port, &baud,
                                 note, sizeof note), 0);
    CHECK_STR(note, "spcr: no ACPI SPCR table, using com1");
    CHECK_EQ(port.base, 0x3f8);
    CHECK_EQ(port.clock_hz, 24000000);
    CHECK_EQ(baud, 57600);
}

static void divisor(void)
{
    uint16_t d = 0;
    const char *why = NULL;
    CHECK_EQ(uart_divisor(1843200, 115200, &d, &why), 0);
    CHECK_EQ(d, 1);
    CHECK_EQ(uart_divisor(1843200, 9600, &d, &why), 0);
    CHECK_EQ(d, 12);
    CHECK_EQ(uart_divisor(48000000, 115200, &d, &why), 0);   /* 26.04 */
    CHECK_EQ(d, 26);
    CHECK_EQ(uart_divisor(48000000, 9600, &d, &why), 0);     /* 312.5: rounds up */
    CHECK_EQ(d, 313);
    CHECK_EQ(uart_divisor(24000000, 57600, &d, &why), 0);    /* 26.04 */
    CHECK_EQ(d, 26);
    CHECK_EQ(uart_divisor(25000000, 115200, &d, &why), 0);   /* 13.56 -> 14, 3.1% off */
    CHECK_EQ(d, 14);
    CHECK_EQ(uart_divisor(100000000, 9600, &d, &why), 0);
    CHECK_EQ(d, 651);
    d = 7;
    CHECK_EQ(uart_divisor(1000000, 115200, &d, &why), -1);   /* 0.54 -> 1 is 46% off */
    CHECK_HAS(why, "within 5%");
    CHECK_EQ(d, 7);
    CHECK_EQ(uart_divisor(1000, 115200, &d, &why), -1);
    CHECK_HAS(why, "divisor below 1");
    CHECK_EQ(uart_divisor(0xffffffffu, 300, &d, &why), -1);
    CHECK_HAS(why, "divisor above 65535");
    CHECK_EQ(uart_divisor(16u * 0xffff * 10, 10, &d, &why), 0); /* the largest divisor */
    CHECK_EQ(d, 0xffff);
    CHECK_EQ(uart_divisor(0, 9600, &d, &why), -1);
    CHECK_EQ(uart_divisor(1843200, 0, &d, &why), -1);
}

SUITE(spcr_revisions)
{
    revision_1_16450_io();
    revision_2_ignores_reserved_clock();
    revision_3_fch_mmio_48mhz();
    revision_4_precise_baud_and_clock();
    baud_as_is();
    not_a_16550();
    layouts_refused();
    divisor();
}
