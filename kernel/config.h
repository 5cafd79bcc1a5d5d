/* The command line: key=value words separated by spaces, tabs or line breaks
 * (../shared/SPEC.md; README "Command line" says why tabs and line breaks). */
#ifndef SVMTEST_CONFIG_H
#define SVMTEST_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/console/console_guard.h"
#include "scenario_set.h"

#define DEPTH_4   (1u << 0)
#define DEPTH_5   (1u << 1)
#define DEPTH_ALL (DEPTH_4 | DEPTH_5)
#define FILL_MASK_PREBUILT (1u << 0)
#define FILL_MASK_DEMAND   (1u << 1)

enum console_kind { CONSOLE_PORT, CONSOLE_SPCR, CONSOLE_MMIO };
enum exit_mode { EXIT_AUTO, EXIT_QEMU, EXIT_HALT, EXIT_REBOOT };
enum selftest { SELFTEST_NONE, SELFTEST_UD, SELFTEST_GP, SELFTEST_PF, SELFTEST_GUEST_HANG,
                SELFTEST_AP_DEVIATE, SELFTEST_AP_UD };

#define CONFIG_ONLY_TEXT_MAX 400
#define CONFIG_CPUS_ALL 0xffffffffu    /* cpus=all */
#define CONFIG_CPUS_BSP 0u             /* cpus=bsp: no other CPU */
#define CONFIG_CPUS_MAX 4096u
#define CONFIG_ERROR_MAX 200

struct config {
    struct scenario_set only;      /* the scenarios only= names */
    char only_text[CONFIG_ONLY_TEXT_MAX]; /* as given, or "all" */
    uint8_t host, npt, fill, guest; /* DEPTH_* / FILL_MASK_* filters */
    uint32_t npf_limit;
    enum console_kind console;
    uint16_t console_port;         /* CONSOLE_PORT */
    uint64_t console_mmio;         /* CONSOLE_MMIO: 32-bit registers at a 4-byte stride */
    unsigned console_word;         /* where console= was given, for messages (0: not given) */
    size_t console_column;
    uint32_t uart_clock;           /* Hz; 0: not given (1843200, or SPCR's) */
    uint32_t guest_timeout_ms;
    uint32_t baud;
    enum exit_mode exit;
    uint8_t verbose;
    uint8_t bench;
    enum selftest selftest;
    uint32_t cpus;                 /* how many other CPUs run the matrix: CONFIG_CPUS_* or 1..4096 */
};

/* The scenario names only= accepts and what the filters keep, handed in by
 * the caller (svm/catalog.h's catalog_names): the parser owns no table. */
struct config_names {
    /* What NAME (a scenario, a group, "all") selects: 1 and *out, or 0 when
     * there is no such name. */
    int (*lookup)(const char *name, unsigned len, struct scenario_set *out);
    /* The scenarios cfg's filters select (none: a configuration error). */
    struct scenario_set (*selected)(const struct config *cfg);
};

/* The defaults: only=all as names->lookup gives it. */
void config_defaults(struct config *cfg, const struct config_names *names);

/* Parse len bytes of a command line (NUL bytes end it early). When
 * skip_first_word is set the first word is the kernel's file name (multiboot1
 * loaders put it there). Returns 0, or -1 with a message in err naming what is
 * wrong and where (word number and column, counted from 1, after the file name
 * when it is skipped). On error cfg still
 * holds the defaults plus whatever parsed before the error. */
int config_parse(struct config *cfg, const struct config_names *names, const char *line,
                 size_t len, int skip_first_word, char *err, size_t errlen);

/* The UART console=com1..4, a port or mmio: names (not SPCR's: kernel/acpi/spcr.h). */
struct uart config_console_uart(const struct config *cfg);

/* console=mmio: at an address no UART can be at (svmtest's own memory, RAM
 * the loader lists, beyond the identity map: kernel/console/console_guard.h) is a
 * configuration error: -1 with the message in err; else 0. Ports are
 * checked by config_parse; other consoles pass. */
int config_console_refused(const struct config *cfg, const struct console_memory *mem, char *err,
                           size_t errlen);

/* One line describing the effective filters, as the "# cmdline:" line shows. */
int config_describe(const struct config *cfg, char *buf, size_t size);

const char *depth_mask_name(uint8_t mask);

#endif
