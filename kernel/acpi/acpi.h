/* ACPI tables, found and validated in one place: the RSDP (from the loader,
 * or searched in the BIOS area), the RSDT or XSDT it points to, and any table
 * they list by signature, each with its length bounded and its checksum
 * verified. Pure: memory is reached through a phys_resolver, so the parsers
 * (SPCR, FADT, MADT) are tested on the host on synthetic tables. */
#ifndef SVMTEST_ACPI_H
#define SVMTEST_ACPI_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/bootinfo.h"

#define ACPI_SDT_HEADER_LEN 36

/* Where the tables are: the RSDP the loader gave (may be NULL), else the one
 * in the BIOS area. Returns 0 with root set, or -1 with why set. */
struct acpi_root {
    const uint8_t *table;   /* the RSDT or XSDT, checksum verified */
    uint32_t len;
    unsigned entry_bytes;   /* 4 (RSDT) or 8 (XSDT) */
    phys_resolver resolve;
    void *ctx;
};
int acpi_open(struct acpi_root *root, const uint8_t *rsdp, size_t rsdp_len,
              phys_resolver resolve, void *ctx, const char **why);

/* The first table with this signature, checksum verified; NULL if none.
 * len receives its length (at least ACPI_SDT_HEADER_LEN). */
const uint8_t *acpi_find(const struct acpi_root *root, const char sig[4], uint32_t *len);

/* A Generic Address Structure (12 bytes), as SPCR and the FADT use it. */
#define ACPI_GAS_LEN 12
enum acpi_space { ACPI_SPACE_MEMORY = 0, ACPI_SPACE_IO = 1, ACPI_SPACE_PCI_CONFIG = 2 };
enum acpi_access { ACPI_ACCESS_UNDEFINED = 0, ACPI_ACCESS_BYTE = 1, ACPI_ACCESS_WORD = 2,
                   ACPI_ACCESS_DWORD = 3, ACPI_ACCESS_QWORD = 4 };
struct acpi_gas {
    uint8_t space;          /* enum acpi_space (others exist: not used here) */
    uint8_t bit_width;      /* register width in bits */
    uint8_t bit_offset;
    uint8_t access_size;    /* enum acpi_access */
    uint64_t address;
};
struct acpi_gas acpi_gas_read(const uint8_t *p);

/* The RSDP in the BIOS area (0xe0000..0xfffff), for multiboot1 boots. */
const uint8_t *acpi_bios_rsdp(phys_resolver resolve, void *ctx);

#endif
