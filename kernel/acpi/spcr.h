/* console=spcr: the UART the ACPI SPCR table names (revisions 1-4), reached
 * from the RSDP. Parsing and the choice of console are pure (tables are
 * reached through a resolver) so they are tested on the host;
 * kernel/main.c resolves through the identity map. */
#ifndef SVMTEST_SPCR_H
#define SVMTEST_SPCR_H

#include <stddef.h>
#include <stdint.h>

#include "acpi.h"
#include "kernel/bootinfo.h"
#include "kernel/console/console_guard.h"
#include "kernel/console/serial.h"

enum spcr_space { SPCR_SPACE_MEMORY = ACPI_SPACE_MEMORY, SPCR_SPACE_IO = ACPI_SPACE_IO };

/* Interface types (SPCR revision 1; DBG2 serial port subtypes from
 * revision 2) that are 16550s svmtest drives; any other is left alone. */
#define SPCR_TYPE_16550 0x00
#define SPCR_TYPE_16450 0x01            /* 16550 subset */
#define SPCR_TYPE_ARM_PL011 0x03
#define SPCR_TYPE_16550_NVIDIA 0x05
#define SPCR_TYPE_16550_GAS 0x12        /* 16550-compatible, GAS gives the layout */

struct spcr_uart {
    uint8_t revision;
    uint8_t interface_type;
    uint8_t is_16550;       /* interface_type is one svmtest drives */
    enum spcr_space space;
    uint64_t address;
    uint8_t reg_shift;      /* registers 1 << reg_shift bytes apart (from the bit width) */
    uint8_t access_bytes;   /* 1, 2 or 4 (the GAS access size, else the bit width) */
    uint32_t baud;          /* 0: "as is", keep the divisor the firmware left */
    uint32_t clock_hz;      /* revision 3+; 0: not given */
};

/* Parse one SPCR table. Returns 0 (also for an interface type svmtest does
 * not drive: see is_16550), or -1 with why set. */
int spcr_parse(const uint8_t *table, size_t len, struct spcr_uart *out, const char **why);

/* From an RSDP (version 1 or 2; NULL: the BIOS area's), find and parse the
 * SPCR table. Returns 0, or -1 with why set. */
int spcr_find(const uint8_t *rsdp, size_t rsdp_len, phys_resolver resolve, void *ctx,
              struct spcr_uart *out, const char **why);

/* What console=spcr opens, given spcr_find's result (found: 0 or -1, why
 * when -1): the table's UART with its clock (clock_override, from
 * uart_clock=, wins when nonzero) and baud (0 keeps the divisor), or COM1
 * at fallback_baud when the table is missing, names a UART svmtest must not
 * drive (not a 16550, a divisor out of range) or one that cannot be there
 * (console_uart_refused with mem: chipset ports, svmtest's own memory,
 * listed RAM, beyond the identity map; refused before any access).
 * note receives the "# console:" text. Returns 1 when the table's UART is
 * used, 0 for COM1. */
int spcr_console_choice(int found, const struct spcr_uart *s, const char *why,
                        uint32_t clock_override, uint32_t fallback_baud,
                        const struct console_memory *mem, struct uart *u, uint32_t *baud, char *note,
                        size_t size);

/* The UART spcr_console_choice chose does not answer (uart_answers): COM1
 * at fallback_baud instead, and a note saying so. */
void spcr_console_unanswered(const struct spcr_uart *s, uint32_t clock_override, uint32_t fallback_baud,
                             struct uart *u, uint32_t *baud, char *note, size_t size);

#endif
