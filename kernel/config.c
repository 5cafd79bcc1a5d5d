#include "config.h"

#include "kernel/console/console_guard.h"
#include "kernel/console/uart_divisor.h"
#include "kernel/lib/fmt.h"
#include "timecalc.h"

#define COM1_PORT 0x3f8
#define PORT_MIN 0x100
#define PORT_MAX 0xfff8
#define PORT_HEX_DIGITS 4
#define NPF_LIMIT_MIN 2   /* the first #NPF is the one demand fill fixes: one is no storm */
#define NPF_LIMIT_MAX 1000
#define NPF_LIMIT_RANGE "npf_limit is a decimal number 2..1000"
#define ASCII_DEL 0x7f
#define WORD_ECHO_MAX 40
#define CPUS_RANGE "expected all, bsp or a decimal number 1..4096"
#define MMIO_CONSOLE_LIMIT (4ull << 30)  /* the identity map */
#define MMIO_CONSOLE_SPAN 32             /* 8 registers, 4 bytes apart */
#define MMIO_CONSOLE_SHIFT 2
#define MMIO_CONSOLE_ACCESS 4             /* 32-bit accesses */
#define MMIO_CONSOLE_ALIGN 4
#define MMIO_PREFIX_LEN 5                /* "mmio:" */
#define MMIO_HEX_MAX_LEN 18              /* "0x" and 16 digits */

enum key { KEY_ONLY, KEY_HOST, KEY_NPT, KEY_FILL, KEY_GUEST, KEY_NPF_LIMIT, KEY_CONSOLE,
           KEY_BAUD, KEY_EXIT, KEY_VERBOSE, KEY_BENCH, KEY_SELFTEST, KEY_UART_CLOCK,
           KEY_GUEST_TIMEOUT_MS, KEY_CPUS, KEY_COUNT };

static const char *const key_names[KEY_COUNT] = {
    "only", "host", "npt", "fill", "guest", "npf_limit", "console",
    "baud", "exit", "verbose", "bench", "selftest", "uart_clock",
    "guest_timeout_ms", "cpus",
};

struct choice { const char *name; unsigned value; };

static const struct choice depth_choices[] = { { "4", DEPTH_4 }, { "5", DEPTH_5 }, { "all", DEPTH_ALL }, { 0, 0 } };
static const struct choice fill_choices[] = {
    { "prebuilt", FILL_MASK_PREBUILT }, { "demand", FILL_MASK_DEMAND },
    { "all", FILL_MASK_PREBUILT | FILL_MASK_DEMAND }, { 0, 0 } };
static const struct choice baud_choices[] = {
    { "9600", 9600 }, { "19200", 19200 }, { "38400", 38400 }, { "57600", 57600 },
    { "115200", 115200 }, { 0, 0 } };
static const struct choice exit_choices[] = {
    { "auto", EXIT_AUTO }, { "qemu", EXIT_QEMU }, { "halt", EXIT_HALT }, { "reboot", EXIT_REBOOT }, { 0, 0 } };
static const struct choice verbose_choices[] = { { "0", 0 }, { "1", 1 }, { "2", 2 }, { 0, 0 } };
static const struct choice bench_choices[] = { { "off", 0 }, { "on", 1 }, { 0, 0 } };
static const struct choice selftest_choices[] = {
    { "none", SELFTEST_NONE }, { "ud", SELFTEST_UD }, { "gp", SELFTEST_GP }, { "pf", SELFTEST_PF },
    { "guest-hang", SELFTEST_GUEST_HANG }, { "ap-deviate", SELFTEST_AP_DEVIATE },
    { "ap-ud", SELFTEST_AP_UD }, { 0, 0 } };
static const struct choice console_choices[] = {
    { "com1", 0x3f8 }, { "com2", 0x2f8 }, { "com3", 0x3e8 }, { "com4", 0x2e8 }, { 0, 0 } };

void config_defaults(struct config *cfg, const struct config_names *names)
{
    struct scenario_set all = { { 0 } };
    names->lookup("all", 3, &all);
    *cfg = (struct config){
        .only = all,
        .only_text = "all",
        .host = DEPTH_ALL, .npt = DEPTH_ALL, .guest = DEPTH_ALL,
        .fill = FILL_MASK_PREBUILT | FILL_MASK_DEMAND,
        .npf_limit = 16,
        .console = CONSOLE_PORT, .console_port = COM1_PORT,
        .baud = 115200,
        .exit = EXIT_AUTO,
        .guest_timeout_ms = GUEST_TIMEOUT_MS_DEFAULT,
        .cpus = CONFIG_CPUS_ALL,
    };
}

struct span { const char *p; unsigned len; };

static int span_is(struct span s, const char *lit)
{
    unsigned i = 0;
    for (; i < s.len; i++)
        if (lit[i] != s.p[i])
            return 0;
    return lit[i] == '\0';
}

/* Words are separated by spaces, tabs and line breaks: the whitespace a
 * loader's configuration file or a shell may leave; no value holds any. */
static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

struct parser {
    const char *line;
    size_t len;
    unsigned word;        /* 1-based number of the current word */
    size_t column;        /* 1-based column of the current word */
    struct span text;     /* the whole word */
    char *err;
    size_t errlen;
    const struct config_names *names;
};

/* Append a word to a message, printable ASCII as is, other bytes as \xNN,
 * cut after about WORD_ECHO_MAX characters of output (so at most 10 bytes
 * shown as \xNN), keeping room in the message for where the word is. */
static void echo(char *buf, size_t size, struct span s)
{
    size_t n = 0;
    unsigned i;
    for (i = 0; i < s.len && n < WORD_ECHO_MAX && n + 5 < size; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')
            buf[n++] = (char)c;
        else
            n += (size_t)fmt_snprintf(buf + n, size - n, "\\x%02x", c);
    }
    if (i < s.len && n + 4 < size) {
        buf[n++] = '.';
        buf[n++] = '.';
        buf[n++] = '.';
    }
    buf[n < size ? n : size - 1] = '\0';
}

static int fail(struct parser *p, const char *what, struct span s, const char *detail)
{
    char shown[WORD_ECHO_MAX * 4 + 8];
    echo(shown, sizeof shown, s);
    fmt_snprintf(p->err, p->errlen, "%s '%s'%s%s (word %u, column %zu)", what, shown,
                 detail[0] ? ": " : "", detail, p->word, p->column);
    return -1;
}

static int pick(struct parser *p, struct span val, const struct choice *c, unsigned *out)
{
    char expected[160];
    size_t n = 0;
    for (const struct choice *i = c; i->name; i++) {
        if (span_is(val, i->name)) {
            *out = i->value;
            return 0;
        }
        n += (size_t)fmt_snprintf(expected + n, sizeof expected - n, "%s%s",
                                  i == c ? "expected one of " : ", ", i->name);
        if (n >= sizeof expected)
            n = sizeof expected - 1;
    }
    return fail(p, "bad value", val, expected);
}

enum decimal { DECIMAL_OK, DECIMAL_MALFORMED, DECIMAL_OUT_OF_RANGE };

/* Digits only (no sign, no 0x, no exponent); any number of them, so that a
 * long number is out of range rather than malformed. */
static enum decimal parse_decimal(struct span v, uint32_t min, uint32_t max, uint32_t *out)
{
    uint32_t x = 0;
    int too_big = 0;
    for (unsigned i = 0; i < v.len; i++) {
        if (v.p[i] < '0' || v.p[i] > '9')
            return DECIMAL_MALFORMED;
        x = x * 10 + (uint32_t)(v.p[i] - '0');
        if (x > max) {
            too_big = 1;
            x = max + 1;    /* stays above max without overflowing */
        }
    }
    if (too_big || x < min)
        return DECIMAL_OUT_OF_RANGE;
    *out = x;
    return DECIMAL_OK;
}

/* A decimal value in min..max; range says so in the message: "malformed
 * value" for anything but digits, "out of range" for a number outside. */
static int parse_number(struct parser *p, struct span v, uint32_t min, uint32_t max,
                        const char *range, uint32_t *out)
{
    switch (parse_decimal(v, min, max, out)) {
    case DECIMAL_OK:
        return 0;
    case DECIMAL_MALFORMED:
        return fail(p, "malformed value", v, range);
    case DECIMAL_OUT_OF_RANGE:
        break;
    }
    return fail(p, "out of range", v, range);
}

static int parse_npf_limit(struct parser *p, struct config *cfg, struct span v)
{
    if (span_is(v, "1"))
        return fail(p, "out of range", v, NPF_LIMIT_RANGE ": the first #NPF is the one demand "
                    "fill fixes, so one fault cannot be a storm");
    return parse_number(p, v, NPF_LIMIT_MIN, NPF_LIMIT_MAX, NPF_LIMIT_RANGE, &cfg->npf_limit);
}

/* "0x" and 1..max_digits hex digits: 0 with the value, or -1 */
static int parse_hex(struct span s, unsigned max_digits, uint64_t *out)
{
    if (s.len < 3 || s.len > 2 + max_digits || s.p[0] != '0' || (s.p[1] != 'x' && s.p[1] != 'X'))
        return -1;
    uint64_t v = 0;
    for (unsigned i = 2; i < s.len; i++) {
        char c = s.p[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return -1;
        v = v * 16 + d;
    }
    *out = v;
    return 0;
}

/* console=mmio:0xADDR: a 16550 with 32-bit registers, below the 4 GiB map */
static int parse_mmio(struct parser *p, struct config *cfg, struct span v)
{
    struct span hex = { v.p + MMIO_PREFIX_LEN, v.len - MMIO_PREFIX_LEN };
    uint64_t addr;
    if (parse_hex(hex, MMIO_HEX_MAX_LEN - 2, &addr))
        return fail(p, "bad value", v, "expected mmio: and an address in hex, e.g. mmio:0xfedc9000");
    if (!addr || addr % MMIO_CONSOLE_ALIGN || addr > MMIO_CONSOLE_LIMIT - MMIO_CONSOLE_SPAN)
        return fail(p, "out of range", v,
                    "the UART's MMIO address must be nonzero, 4-byte aligned and below 4 GiB");
    cfg->console = CONSOLE_MMIO;
    cfg->console_mmio = addr;
    return 0;
}

static int parse_console(struct parser *p, struct config *cfg, struct span v)
{
    cfg->console_word = p->word;
    cfg->console_column = p->column;
    if (span_is(v, "spcr")) {
        cfg->console = CONSOLE_SPCR;
        return 0;
    }
    for (const struct choice *c = console_choices; c->name; c++)
        if (span_is(v, c->name)) {
            cfg->console = CONSOLE_PORT;
            cfg->console_port = (uint16_t)c->value;
            return 0;
        }
    if (v.len > MMIO_PREFIX_LEN && span_is((struct span){ v.p, MMIO_PREFIX_LEN }, "mmio:"))
        return parse_mmio(p, cfg, v);
    uint64_t port;
    if (!parse_hex(v, PORT_HEX_DIGITS, &port)) {
        if (port < PORT_MIN || port > PORT_MAX)
            return fail(p, "out of range", v, "console I/O port must be 0x100..0xfff8");
        char why[CONSOLE_REFUSED_MAX];
        struct uart u = { .base = port };
        if (console_uart_refused(&u, 0, why, sizeof why))   /* e.g. the PCI configuration ports */
            return fail(p, "no UART can be at", v, why);
        cfg->console = CONSOLE_PORT;
        cfg->console_port = (uint16_t)port;
        return 0;
    }
    return fail(p, "bad value", v, "expected com1, com2, com3, com4, spcr, an I/O port 0x100..0xfff8 "
                "or mmio:ADDR");
}

static int parse_only(struct parser *p, struct config *cfg, struct span v)
{
    if (v.len >= CONFIG_ONLY_TEXT_MAX)
        return fail(p, "too long", v, "only= takes at most 399 characters");
    struct scenario_set set = { { 0 } };
    unsigned start = 0;
    for (unsigned i = 0; i <= v.len; i++) {
        if (i < v.len && v.p[i] != ',')
            continue;
        struct span item = { v.p + start, i - start };
        if (item.len == 0)
            return fail(p, "empty item in", v, "only= is a comma list of scenario or group names");
        struct scenario_set m = { { 0 } };
        if (!p->names->lookup(item.p, (unsigned)item.len, &m))
            return fail(p, "unknown scenario or group", item, "see docs/output.md for the names");
        sset_or(&set, &m);
        start = i + 1;
    }
    cfg->only = set;
    for (unsigned i = 0; i < v.len; i++)
        cfg->only_text[i] = v.p[i];
    cfg->only_text[v.len] = '\0';
    return 0;
}

static int parse_value(struct parser *p, struct config *cfg, enum key k, struct span v)
{
    unsigned u = 0;
    switch (k) {
    case KEY_ONLY:
        return parse_only(p, cfg, v);
    case KEY_HOST:
        if (pick(p, v, depth_choices, &u))
            return -1;
        cfg->host = (uint8_t)u;
        return 0;
    case KEY_NPT:
        if (pick(p, v, depth_choices, &u))
            return -1;
        cfg->npt = (uint8_t)u;
        return 0;
    case KEY_GUEST:
        if (pick(p, v, depth_choices, &u))
            return -1;
        cfg->guest = (uint8_t)u;
        return 0;
    case KEY_FILL:
        if (pick(p, v, fill_choices, &u))
            return -1;
        cfg->fill = (uint8_t)u;
        return 0;
    case KEY_NPF_LIMIT:
        return parse_npf_limit(p, cfg, v);
    case KEY_CONSOLE:
        return parse_console(p, cfg, v);
    case KEY_BAUD:
        if (pick(p, v, baud_choices, &u))
            return -1;
        cfg->baud = u;
        return 0;
    case KEY_EXIT:
        if (pick(p, v, exit_choices, &u))
            return -1;
        cfg->exit = (enum exit_mode)u;
        return 0;
    case KEY_VERBOSE:
        if (pick(p, v, verbose_choices, &u))
            return -1;
        cfg->verbose = (uint8_t)u;
        return 0;
    case KEY_BENCH:
        if (pick(p, v, bench_choices, &u))
            return -1;
        cfg->bench = (uint8_t)u;
        return 0;
    case KEY_SELFTEST:
        if (pick(p, v, selftest_choices, &u))
            return -1;
        cfg->selftest = (enum selftest)u;
        return 0;
    case KEY_UART_CLOCK:
        return parse_number(p, v, UART_CLOCK_MIN_HZ, UART_CLOCK_MAX_HZ,
                            "uart_clock is a decimal number of Hz 1000000..100000000",
                            &cfg->uart_clock);
    case KEY_GUEST_TIMEOUT_MS:
        return parse_number(p, v, GUEST_TIMEOUT_MS_MIN, GUEST_TIMEOUT_MS_MAX,
                            "guest_timeout_ms is a decimal number 100..60000",
                            &cfg->guest_timeout_ms);
    case KEY_CPUS:
        if (span_is(v, "all") || span_is(v, "bsp")) {
            cfg->cpus = span_is(v, "all") ? CONFIG_CPUS_ALL : CONFIG_CPUS_BSP;
            return 0;
        }
        if (v.len && v.p[0] >= '0' && v.p[0] <= '9')   /* a number: its range */
            return parse_number(p, v, 1, CONFIG_CPUS_MAX, CPUS_RANGE, &cfg->cpus);
        return fail(p, "bad value", v, CPUS_RANGE);
    case KEY_COUNT:
        break;
    }
    return -1;
}

int config_parse(struct config *cfg, const struct config_names *names, const char *line,
                 size_t len, int skip_first_word, char *err, size_t errlen)
{
    struct parser p = { .line = line, .len = len, .err = err, .errlen = errlen, .names = names };
    unsigned seen_at[KEY_COUNT] = { 0 };
    size_t i = 0, base = 0;  /* columns count from base: after the file name */
    int skip = skip_first_word;

    config_defaults(cfg, names);
    if (errlen)
        err[0] = '\0';
    for (size_t n = 0; n < len; n++)
        if (line[n] == '\0') {
            len = n;
            break;
        }
    for (;;) {
        while (i < len && is_space(line[i]))
            i++;
        if (i >= len)
            break;
        size_t start = i;
        while (i < len && !is_space(line[i]))
            i++;
        if (skip) {
            skip = 0;
            while (i < len && is_space(line[i]))
                i++;
            base = i;
            continue;
        }
        p.word++;
        p.column = start - base + 1;
        p.text = (struct span){ line + start, (unsigned)(i - start) };
        for (unsigned j = 0; j < p.text.len; j++) {
            unsigned char c = (unsigned char)p.text.p[j];
            if (c < 0x21 || c > 0x7e) {
                char what[40];
                fmt_snprintf(what, sizeof what, "%s 0x%02x in",
                             c < 0x20 || c == ASCII_DEL ? "control character" : "non-ASCII byte", c);
                return fail(&p, what, p.text, "");
            }
        }
        unsigned eq = 0;
        while (eq < p.text.len && p.text.p[eq] != '=')
            eq++;
        if (eq == p.text.len || eq == 0)
            return fail(&p, "malformed word", p.text, "expected key=value");
        struct span key = { p.text.p, eq };
        struct span val = { p.text.p + eq + 1, p.text.len - eq - 1 };
        enum key k = KEY_COUNT;
        for (int j = 0; j < KEY_COUNT; j++)
            if (span_is(key, key_names[j]))
                k = (enum key)j;
        if (k == KEY_COUNT)
            return fail(&p, "unknown key", key, "");
        if (seen_at[k]) {
            char detail[48];
            fmt_snprintf(detail, sizeof detail, "first given as word %u", seen_at[k]);
            return fail(&p, "repeated key", key, detail);
        }
        seen_at[k] = p.word;
        if (val.len == 0)
            return fail(&p, "empty value in", p.text, "expected key=value");
        if (parse_value(&p, cfg, k, val))
            return -1;
    }
    /* the divisor the console will be programmed with (SPCR's own clock and
     * baud are checked when the table is read, with COM1 as the fallback) */
    uint16_t divisor;
    const char *why;
    uint32_t clock = cfg->uart_clock ? cfg->uart_clock : UART_CLOCK_DEFAULT_HZ;
    if (uart_divisor(clock, cfg->baud, &divisor, &why)) {
        p.word = seen_at[KEY_UART_CLOCK] ? seen_at[KEY_UART_CLOCK] : seen_at[KEY_BAUD];
        fmt_snprintf(err, errlen, "uart_clock=%u with baud=%u: %s (word %u)", clock, cfg->baud, why,
                     p.word);
        return -1;
    }
    struct scenario_set selected = names->selected(cfg);
    if (sset_empty(&selected)) {
        char line_desc[CONFIG_ONLY_TEXT_MAX + 100];
        config_describe(cfg, line_desc, sizeof line_desc);
        fmt_snprintf(err, errlen, "the filters select no scenario (%s)", line_desc);
        return -1;
    }
    return 0;
}

struct uart config_console_uart(const struct config *cfg)
{
    if (cfg->console == CONSOLE_MMIO)
        return (struct uart){ .base = cfg->console_mmio, .mmio = 1, .reg_shift = MMIO_CONSOLE_SHIFT,
                              .access_bytes = MMIO_CONSOLE_ACCESS, .clock_hz = cfg->uart_clock };
    return (struct uart){ .base = cfg->console_port, .clock_hz = cfg->uart_clock };
}

int config_console_refused(const struct config *cfg, const struct console_memory *mem, char *err,
                           size_t errlen)
{
    if (cfg->console != CONSOLE_MMIO)
        return 0;
    struct uart u = config_console_uart(cfg);
    char why[CONSOLE_REFUSED_MAX];
    if (!console_uart_refused(&u, mem, why, sizeof why))
        return 0;
    fmt_snprintf(err, errlen, "console=mmio:0x%lx is not a UART: %s (word %u, column %zu)",
                 cfg->console_mmio, why, cfg->console_word, cfg->console_column);
    return -1;
}

const char *depth_mask_name(uint8_t mask)
{
    return mask == DEPTH_4 ? "4" : mask == DEPTH_5 ? "5" : "all";
}

static const char *fill_name(uint8_t mask)
{
    return mask == FILL_MASK_PREBUILT ? "prebuilt" : mask == FILL_MASK_DEMAND ? "demand" : "all";
}

int config_describe(const struct config *cfg, char *buf, size_t size)
{
    static const char *const selftest_names[] = { "none", "ud", "gp", "pf", "guest-hang",
                                                  "ap-deviate", "ap-ud" };
    int n = fmt_snprintf(buf, size, "only=%s host=%s npt=%s fill=%s guest=%s npf_limit=%u",
                         cfg->only_text,
                         depth_mask_name(cfg->host), depth_mask_name(cfg->npt),
                         fill_name(cfg->fill), depth_mask_name(cfg->guest), cfg->npf_limit);
    if (cfg->selftest != SELFTEST_NONE && (size_t)n < size)
        n += fmt_snprintf(buf + n, size - (size_t)n, " selftest=%s", selftest_names[cfg->selftest]);
    if (cfg->guest_timeout_ms != GUEST_TIMEOUT_MS_DEFAULT && (size_t)n < size)
        n += fmt_snprintf(buf + n, size - (size_t)n, " guest_timeout_ms=%u", cfg->guest_timeout_ms);
    if (cfg->cpus != CONFIG_CPUS_ALL && (size_t)n < size) {
        if (cfg->cpus == CONFIG_CPUS_BSP)
            n += fmt_snprintf(buf + n, size - (size_t)n, " cpus=bsp");
        else
            n += fmt_snprintf(buf + n, size - (size_t)n, " cpus=%u", cfg->cpus);
    }
    if (cfg->bench && (size_t)n < size)
        n += fmt_snprintf(buf + n, size - (size_t)n, " bench=on");
    return n;
}
