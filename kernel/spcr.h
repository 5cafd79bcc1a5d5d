/* console=spcr: the UART the ACPI SPCR table names, reached from the RSDP.
 * Parsing is pure (tables are reached through a resolver) so it is tested on
 * the host; kernel/main.c resolves through the identity map. */
#ifndef SVMTEST_SPCR_H
#define SVMTEST_SPCR_H

#include <stddef.h>
#include <stdint.h>

#include "bootinfo.h"

enum spcr_space { SPCR_SPACE_MEMORY = 0, SPCR_SPACE_IO = 1 };

struct spcr_uart {
    enum spcr_space space;
    uint64_t address;
    uint8_t reg_shift;      /* registers are 1 << reg_shift bytes apart */
    uint8_t access_bytes;   /* MMIO access size: 1 or 4 */
    uint8_t interface_type;
    uint32_t baud;          /* 0: keep what firmware set */
};

/* Parse one SPCR table. Returns 0, or -1 with why set. */
int spcr_parse(const uint8_t *table, size_t len, struct spcr_uart *out, const char **why);

/* From an RSDP (version 1 or 2; NULL: the BIOS area's), find and parse the
 * SPCR table. Returns 0, or -1 with why set. */
int spcr_find(const uint8_t *rsdp, size_t rsdp_len, phys_resolver resolve, void *ctx,
              struct spcr_uart *out, const char **why);

#endif
