/* kernel/console/console_guard.c: where a console UART cannot be (svmtest's own
 * memory, RAM the loader lists, chipset ports), and what console=mmio:,
 * console=<port> and console=spcr make of it (kernel/config.c, kernel/acpi/spcr.c). */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "kernel/acpi/spcr.h"
#include "kernel/config.h"
#include "kernel/console/console_guard.h"
#include "svm/catalog.h"

#define LIMIT_4G (4ull << 30)
/* as QEMU -m 512 lists RAM, and svmtest loaded at 64 MiB (relocated) */
#define OWN_START 0x4000000u
#define OWN_END 0x4197000u

static struct boot_info info;

static struct console_memory qemu_memory(void)
{
    memset(&info, 0, sizeof info);
    info.ram_known = 1;
    info.ram[info.ram_count++] = (struct mem_range){ 0, 0x9fc00 };
    info.ram[info.ram_count++] = (struct mem_range){ 0x100000, 0x1fee0000 };
    return (struct console_memory){ .own_start = OWN_START, .own_end = OWN_END, .info = &info,
                                    .mmio_limit = LIMIT_4G };
}

static int io_refused(uint64_t port, uint8_t shift, uint8_t access, char *why, size_t size)
{
    struct uart u = { .base = port, .reg_shift = shift, .access_bytes = access };
    return console_uart_refused(&u, NULL, why, size);
}

static int mmio_refused(uint64_t addr, const struct console_memory *m, char *why, size_t size)
{
    struct uart u = { .base = addr, .mmio = 1, .reg_shift = 2, .access_bytes = 4 };
    return console_uart_refused(&u, m, why, size);
}

static void extent(void)
{
    uint64_t first, last;
    uart_extent(&(struct uart){ .base = 0x3f8 }, &first, &last);
    CHECK_EQ(first, 0x3f8);
    CHECK_EQ(last, 0x3ff);
    uart_extent(&(struct uart){ .base = 0x3f8, .reg_shift = 1, .access_bytes = 2 }, &first, &last);
    CHECK_EQ(last, 0x3f8 + 14 + 1);
    uart_extent(&(struct uart){ .base = 0xfedc9000u, .mmio = 1, .reg_shift = 2, .access_bytes = 4 },
                &first, &last);
    CHECK_EQ(last, 0xfedc901fu);
    uart_extent(&(struct uart){ .base = 0x1000, .reg_shift = 2, .access_bytes = 1 }, &first, &last);
    CHECK_EQ(last, 0x101c);
}

/* each chipset range: a UART whose last register reaches its first port,
 * or whose first register is its last port, is refused; one port off is not */
static void reserved_ports(void)
{
    static const struct { uint16_t first, last; const char *what; } r[] = {
        { 0x20, 0x21, "the master PIC (0x20-0x21)" }, { 0x40, 0x43, "the PIT (0x40-0x43)" },
        { 0x60, 0x60, "the keyboard controller (0x60)" }, { 0x64, 0x64, "the keyboard controller (0x64)" },
        { 0x70, 0x71, "the RTC (0x70-0x71)" }, { 0x92, 0x92, "system control port A (fast reset) (0x92)" },
        { 0xa0, 0xa1, "the slave PIC (0xa0-0xa1)" }, { 0xf4, 0xf7, "the debug-exit port (0xf4-0xf7)" },
        { 0xcf8, 0xcff, "the PCI configuration ports (0xcf8-0xcff)" },
    };
    char why[CONSOLE_REFUSED_MAX];
    for (unsigned i = 0; i < sizeof r / sizeof r[0]; i++) {
        CHECK_EQ(io_refused(r[i].last, 0, 1, why, sizeof why), -1);
        CHECK_HAS(why, r[i].what);
        /* ending on the range's first port (the first range met is named) */
        CHECK_EQ(io_refused(r[i].first - 7u, 0, 1, why, sizeof why), -1);
        CHECK_HAS(why, " overlap ");
        /* 4-byte stride, 4-byte access: the last register's bytes count */
        CHECK_EQ(io_refused(r[i].first - 31u, 2, 4, why, sizeof why), -1);
        CHECK_HAS(why, " overlap ");
    }
    CHECK_EQ(io_refused(0xcf8 - 8, 0, 1, why, sizeof why), 0);  /* 0xcf0-0xcf7 */
    CHECK_EQ(io_refused(0xd00, 0, 1, why, sizeof why), 0);
    CHECK_EQ(io_refused(0xf4 - 8, 0, 1, why, sizeof why), 0);
    CHECK_EQ(io_refused(0xf8, 0, 1, why, sizeof why), 0);
    CHECK_EQ(io_refused(0xcf8, 0, 1, why, sizeof why), -1);
    CHECK_STR(why, "ports 0xcf8-0xcff overlap the PCI configuration ports (0xcf8-0xcff)");
    CHECK_EQ(io_refused(0xf0, 0, 1, why, sizeof why), -1);
    CHECK_STR(why, "ports 0xf0-0xf7 overlap the debug-exit port (0xf4-0xf7)");
    /* a 16-bit stride at COM1 touches nothing reserved: it must answer instead */
    CHECK_EQ(io_refused(0x3f8, 1, 2, why, sizeof why), 0);
    /* a 16-byte stride straddles 0xcf8 without a register on it: still refused */
    CHECK_EQ(io_refused(0xc90, 4, 1, why, sizeof why), -1);
    CHECK_HAS(why, "PCI configuration");
}

static void port_space_end(void)
{
    char why[CONSOLE_REFUSED_MAX];
    CHECK_EQ(io_refused(0xfff8, 0, 1, why, sizeof why), 0);
    CHECK_EQ(io_refused(0xfff9, 0, 1, why, sizeof why), -1);
    CHECK_STR(why, "ports 0xfff9-0x10000 run past port 0xffff");
    CHECK_EQ(io_refused(0xfff0, 1, 1, why, sizeof why), 0);
    CHECK_EQ(io_refused(0xfff0, 1, 2, why, sizeof why), 0);
    CHECK_EQ(io_refused(0xfff1, 1, 2, why, sizeof why), -1);
    CHECK_EQ(io_refused(0xffe0, 2, 4, why, sizeof why), 0);
    CHECK_EQ(io_refused(0xffe1, 2, 4, why, sizeof why), -1);
    CHECK_EQ(io_refused(0xfff8, 2, 4, why, sizeof why), -1);
    CHECK_EQ(io_refused(0x10000, 0, 1, why, sizeof why), -1);
}

static void own_memory(void)
{
    struct console_memory m = qemu_memory();
    info.ram_count = 0;     /* only svmtest's own memory counts here */
    char why[CONSOLE_REFUSED_MAX];
    CHECK_EQ(mmio_refused(OWN_START - 32, &m, why, sizeof why), 0);
    CHECK_EQ(mmio_refused(OWN_START - 28, &m, why, sizeof why), -1);
    CHECK_STR(why, "0x3ffffe4-0x4000003 is svmtest's own memory (image, page tables, stacks "
                   "0x4000000-0x4196fff)");
    CHECK_EQ(mmio_refused(OWN_START + 0x19000, &m, why, sizeof why), -1);
    CHECK_EQ(mmio_refused(OWN_END - 4, &m, why, sizeof why), -1);
    CHECK_EQ(mmio_refused(OWN_END, &m, why, sizeof why), 0);
    /* the link address (1 MiB) is not svmtest's once it was loaded elsewhere */
    CHECK_EQ(mmio_refused(0x100000, &m, why, sizeof why), 0);
    /* nothing known: only the address arithmetic */
    CHECK_EQ(mmio_refused(OWN_START, NULL, why, sizeof why), 0);
}

static void listed_ram(void)
{
    struct console_memory m = qemu_memory();
    char why[CONSOLE_REFUSED_MAX];
    CHECK_EQ(mmio_refused(0x1000, &m, why, sizeof why), -1);
    CHECK_STR(why, "0x1000-0x101f is RAM the loader's memory map lists as available (0x0-0x9fbff)");
    CHECK_EQ(mmio_refused(0x100000, &m, why, sizeof why), -1);
    CHECK_STR(why, "0x100000-0x10001f is RAM the loader's memory map lists as available "
                   "(0x100000-0x1ffdffff)");
    /* own memory is named first: it is also listed RAM */
    CHECK_EQ(mmio_refused(OWN_START, &m, why, sizeof why), -1);
    CHECK_HAS(why, "svmtest's own memory");
    CHECK_EQ(mmio_refused(0x9fbe0, &m, why, sizeof why), -1);      /* last 32 bytes of low RAM */
    CHECK_EQ(mmio_refused(0x9fc00, &m, why, sizeof why), 0);       /* EBDA: not listed */
    CHECK_EQ(mmio_refused(0xfedc9000u, &m, why, sizeof why), 0);   /* AMD's FCH UART */
    CHECK_EQ(mmio_refused(0x1ffdffe0, &m, why, sizeof why), -1);
    CHECK_EQ(mmio_refused(0x1ffe0000, &m, why, sizeof why), 0);
    CHECK_EQ(mmio_refused(0xffffffe0u, &m, why, sizeof why), 0);
    CHECK_EQ(mmio_refused(0xfffffff0u, &m, why, sizeof why), -1);
    CHECK_STR(why, "0xfffffff0-0x10000000f is beyond the identity map");
    CHECK_EQ(mmio_refused(UINT64_MAX - 15, &m, why, sizeof why), -1);
    CHECK_HAS(why, "wraps around");
    /* a range of zero length and a range ending at 2^64 */
    info.ram[info.ram_count++] = (struct mem_range){ 0xe0000000u, 0 };
    info.ram[info.ram_count++] = (struct mem_range){ 0xf0000000u, (uint64_t)0 - 0xf0000000u };
    CHECK_EQ(mmio_refused(0xe0000000u, &m, why, sizeof why), 0);
    CHECK_EQ(mmio_refused(0xfedc9000u, &m, why, sizeof why), -1);
}

/* what the screen mirror writes (VGA text here) is no UART either */
static void screen_memory(void)
{
    struct console_memory m = qemu_memory();
    m.screen_start = 0xb8000;
    m.screen_end = 0xb8000 + 80 * 2 * 25;
    char why[CONSOLE_REFUSED_MAX];
    CHECK_EQ(mmio_refused(0xb8000, &m, why, sizeof why), -1);
    CHECK_STR(why, "0xb8000-0xb801f is the screen svmtest mirrors the report to (0xb8000-0xb8f9f)");
    CHECK_EQ(mmio_refused(0xb7fe0, &m, why, sizeof why), 0);
    CHECK_EQ(mmio_refused(0xb7fe4, &m, why, sizeof why), -1);
    CHECK_EQ(mmio_refused(0xb8f9c, &m, why, sizeof why), -1);
    CHECK_EQ(mmio_refused(0xb8fa0, &m, why, sizeof why), 0);
    m.screen_start = m.screen_end = 0;      /* no screen */
    CHECK_EQ(mmio_refused(0xb8000, &m, why, sizeof why), 0);
}

static int parse(struct config *cfg, const char *line, char *err, size_t size)
{
    return config_parse(cfg, &catalog_names, line, strlen(line), 0, err, size);
}

static void config_console(void)
{
    struct config cfg;
    char err[CONFIG_ERROR_MAX];
    struct console_memory m = qemu_memory();
    CHECK_EQ(parse(&cfg, "only=probe console=mmio:0x4019000", err, sizeof err), 0);
    CHECK_EQ(config_console_refused(&cfg, &m, err, sizeof err), -1);
    CHECK_STR(err, "console=mmio:0x4019000 is not a UART: 0x4019000-0x401901f is svmtest's own memory "
                   "(image, page tables, stacks 0x4000000-0x4196fff) (word 2, column 12)");
    CHECK_EQ(parse(&cfg, "console=mmio:0x1000", err, sizeof err), 0);
    CHECK_EQ(config_console_refused(&cfg, &m, err, sizeof err), -1);
    CHECK_STR(err, "console=mmio:0x1000 is not a UART: 0x1000-0x101f is RAM the loader's memory map "
                   "lists as available (0x0-0x9fbff) (word 1, column 1)");
    CHECK_EQ(parse(&cfg, "console=mmio:0xfedc9000", err, sizeof err), 0);
    CHECK_EQ(config_console_refused(&cfg, &m, err, sizeof err), 0);
    struct uart u = config_console_uart(&cfg);
    CHECK_EQ(u.base, 0xfedc9000u);
    CHECK_EQ(u.mmio, 1);
    CHECK_EQ(u.reg_shift, 2);
    CHECK_EQ(u.access_bytes, 4);
    /* ports and SPCR are not this check's */
    CHECK_EQ(parse(&cfg, "console=com2", err, sizeof err), 0);
    CHECK_EQ(config_console_refused(&cfg, &m, err, sizeof err), 0);
    CHECK_EQ(config_console_uart(&cfg).base, 0x2f8);
    CHECK_EQ(config_console_uart(&cfg).mmio, 0);
    CHECK_EQ(parse(&cfg, "console=spcr", err, sizeof err), 0);
    CHECK_EQ(config_console_refused(&cfg, &m, err, sizeof err), 0);
    /* the error message fits with the longest address */
    CHECK_EQ(parse(&cfg, "only=reset,probe,guest,gptfault console=mmio:0x1ffdffe0", err, sizeof err), 0);
    CHECK_EQ(config_console_refused(&cfg, &m, err, sizeof err), -1);
    CHECK_HAS(err, "(0x100000-0x1ffdffff) (word 2, column 33)");
}

static void config_ports(void)
{
    struct config cfg;
    char err[CONFIG_ERROR_MAX];
    CHECK_EQ(parse(&cfg, "console=0xcf8", err, sizeof err), -1);
    CHECK_STR(err, "no UART can be at '0xcf8': ports 0xcf8-0xcff overlap the PCI configuration ports "
                   "(0xcf8-0xcff) (word 1, column 1)");
    CHECK_EQ(parse(&cfg, "console=0xcf1", err, sizeof err), -1);
    CHECK_HAS(err, "ports 0xcf1-0xcf8 overlap");
    CHECK_EQ(parse(&cfg, "console=0xcff", err, sizeof err), -1);
    CHECK_EQ(parse(&cfg, "console=0xcf0", err, sizeof err), 0);
    CHECK_EQ(parse(&cfg, "console=0xd00", err, sizeof err), 0);
    CHECK_EQ(parse(&cfg, "console=0xfff8", err, sizeof err), 0);
    CHECK_EQ(cfg.console_port, 0xfff8);
}

static void spcr_notes(void)
{
    struct console_memory m = qemu_memory();
    struct uart u;
    uint32_t baud;
    char note[256];
    struct spcr_uart s = { .revision = 2, .is_16550 = 1, .space = SPCR_SPACE_IO, .address = 0xf0,
                           .access_bytes = 1, .baud = 115200 };
    CHECK_EQ(spcr_console_choice(0, &s, NULL, 0, 9600, &m, &u, &baud, note, sizeof note), 0);
    CHECK_STR(note, "spcr: no UART can be at I/O port 0xf0: ports 0xf0-0xf7 overlap the debug-exit "
                    "port (0xf4-0xf7), using com1");
    CHECK_EQ(u.base, 0x3f8);
    CHECK_EQ(baud, 9600);
    s.address = 0x3f8;
    s.reg_shift = 1;
    s.access_bytes = 2;
    CHECK_EQ(spcr_console_choice(0, &s, NULL, 0, 9600, &m, &u, &baud, note, sizeof note), 1);
    CHECK_EQ(u.reg_shift, 1);
    spcr_console_unanswered(&s, 0, 9600, &u, &baud, note, sizeof note);
    CHECK_STR(note, "spcr: UART at I/O port 0x3f8 (16-bit access, 2-byte stride) does not answer, "
                    "using com1");
    CHECK_EQ(u.base, 0x3f8);
    CHECK_EQ(u.reg_shift, 0);
    CHECK_EQ(u.access_bytes, 0);
    CHECK_EQ(baud, 9600);
    s = (struct spcr_uart){ .revision = 4, .is_16550 = 1, .space = SPCR_SPACE_MEMORY,
                            .address = OWN_START + 0x19000, .reg_shift = 2, .access_bytes = 4 };
    CHECK_EQ(spcr_console_choice(0, &s, NULL, 0, 115200, &m, &u, &baud, note, sizeof note), 0);
    CHECK_STR(note, "spcr: no UART can be at MMIO 0x4019000: 0x4019000-0x401901f is svmtest's own "
                    "memory (image, page tables, stacks 0x4000000-0x4196fff), using com1");
    CHECK_EQ(u.mmio, 0);
    s.address = 0x1000;
    CHECK_EQ(spcr_console_choice(0, &s, NULL, 0, 115200, &m, &u, &baud, note, sizeof note), 0);
    CHECK_HAS(note, "is RAM the loader's memory map lists as available (0x0-0x9fbff), using com1");
    s.address = 0xfebff000u;
    CHECK_EQ(spcr_console_choice(0, &s, NULL, 0, 115200, &m, &u, &baud, note, sizeof note), 1);
    spcr_console_unanswered(&s, 0, 115200, &u, &baud, note, sizeof note);
    CHECK_STR(note, "spcr: UART at MMIO 0xfebff000 (32-bit access, 4-byte stride) does not answer, "
                    "using com1");
    CHECK_EQ(u.mmio, 0);
}

SUITE(console_guard)
{
    extent();
    reserved_ports();
    port_space_end();
    own_memory();
    listed_ram();
    screen_memory();
    config_console();
    config_ports();
    spcr_notes();
}
