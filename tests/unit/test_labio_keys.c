/* The lab I/O keys of kernel/config.c: console=mmio:ADDR, uart_clock=,
 * guest_timeout_ms=, and the divisor check across uart_clock= and baud=. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "kernel/config.h"
#include "svm/catalog.h"

static struct config cfg;
static char err[CONFIG_ERROR_MAX];

static int parse(const char *line)
{
    memset(err, 'Z', sizeof err);
    return config_parse(&cfg, &catalog_names, line, strlen(line), 0, err, sizeof err);
}

static void mmio_console(void)
{
    CHECK_EQ(parse("console=mmio:0xfedc9000"), 0);
    CHECK_EQ(cfg.console, CONSOLE_MMIO);
    CHECK_EQ(cfg.console_mmio, 0xfedc9000u);
    CHECK_EQ(parse("console=mmio:0XFEDC9000"), 0);
    CHECK_EQ(cfg.console_mmio, 0xfedc9000u);
    CHECK_EQ(parse("console=mmio:0xffffffe0"), 0);
    CHECK_EQ(parse("console=mmio:0xfedc9002"), -1);
    CHECK_STR(err, "out of range 'mmio:0xfedc9002': the UART's MMIO address must be nonzero, "
                   "4-byte aligned and below 4 GiB (word 1, column 1)");
    CHECK_EQ(parse("console=mmio:0x0"), -1);
    CHECK_HAS(err, "out of range 'mmio:0x0'");
    CHECK_EQ(parse("console=mmio:0x100000000"), -1);
    CHECK_HAS(err, "below 4 GiB");
    CHECK_EQ(parse("console=mmio:0xfffffff0"), -1);   /* its registers would cross 4 GiB */
    CHECK_EQ(parse("console=mmio:0x12345678123456789"), -1);
    CHECK_HAS(err, "expected mmio: and an address in hex");
    CHECK_EQ(parse("only=probe console=mmio:fedc9000"), -1);
    CHECK_STR(err, "bad value 'mmio:fedc9000': expected mmio: and an address in hex, e.g. "
                   "mmio:0xfedc9000 (word 2, column 12)");
    CHECK_EQ(parse("console=mmio:0xfedcg000"), -1);
    CHECK_EQ(parse("console=mmio:"), -1);
    CHECK_HAS(err, "bad value 'mmio:'");
}

static void uart_clock(void)
{
    CHECK_EQ(parse(""), 0);
    CHECK_EQ(cfg.uart_clock, 0);        /* not given: 1843200, or SPCR's */
    CHECK_EQ(parse("uart_clock=48000000"), 0);
    CHECK_EQ(cfg.uart_clock, 48000000);
    CHECK_EQ(parse("uart_clock=1843200 baud=9600"), 0);
    CHECK_EQ(parse("uart_clock=100000000"), 0);
    CHECK_EQ(parse("uart_clock=999999"), -1);
    CHECK_STR(err, "out of range '999999': uart_clock is a decimal number of Hz 1000000..100000000 "
                   "(word 1, column 1)");
    CHECK_EQ(parse("uart_clock=100000001"), -1);
    CHECK_EQ(parse("uart_clock=48MHz"), -1);
    CHECK_EQ(parse("uart_clock=48000000 uart_clock=48000000"), -1);
    CHECK_HAS(err, "repeated key");
    /* a clock that cannot give the baud rate is a configuration error */
    CHECK_EQ(parse("baud=115200 uart_clock=1000000"), -1);
    CHECK_STR(err, "uart_clock=1000000 with baud=115200: no divisor gives this baud rate within 5% "
                   "from this UART clock (word 2)");
    CHECK_EQ(parse("uart_clock=1000000"), -1);
    CHECK_HAS(err, "(word 1)");
    CHECK_EQ(parse("console=spcr uart_clock=24000000 baud=9600"), 0);
    CHECK_EQ(parse("console=spcr uart_clock=1000000 baud=9600"), -1);  /* 6.51 -> 7: 7% off */
}

static void guest_timeout(void)
{
    char line[CONFIG_ONLY_TEXT_MAX + 120];
    CHECK_EQ(parse(""), 0);
    CHECK_EQ(cfg.guest_timeout_ms, 2000);
    config_describe(&cfg, line, sizeof line);
    CHECK(strstr(line, "guest_timeout_ms") == NULL);   /* the default stays off the cmdline line */
    CHECK_EQ(parse("guest_timeout_ms=100"), 0);
    CHECK_EQ(cfg.guest_timeout_ms, 100);
    CHECK_EQ(parse("guest_timeout_ms=60000"), 0);
    CHECK_EQ(cfg.guest_timeout_ms, 60000);
    config_describe(&cfg, line, sizeof line);
    CHECK_HAS(line, " guest_timeout_ms=60000");
    CHECK_EQ(parse("guest_timeout_ms=99"), -1);
    CHECK_STR(err, "out of range '99': guest_timeout_ms is a decimal number 100..60000 (word 1, column 1)");
    CHECK_EQ(parse("guest_timeout_ms=60001"), -1);
    CHECK_EQ(parse("guest_timeout_ms=2s"), -1);
    CHECK_EQ(parse("guest_timeout_ms="), -1);
}

SUITE(labio_keys)
{
    mmio_console();
    uart_clock();
    guest_timeout();
}
