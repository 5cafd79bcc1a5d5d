#include "fadt.h"

#include <string.h>

#include "kernel/lib/bytes.h"

#define FADT_MIN_LEN 116            /* ACPI 1.0: up to and including Flags */
#define FADT_REVISION 8
#define FADT_PM_TMR_BLK 76          /* 32-bit I/O port */
#define FADT_PM_TMR_LEN 91
#define FADT_FLAGS 112
#define FADT_RESET_REG 116          /* GAS, ACPI 2.0+ */
#define FADT_RESET_VALUE 128
#define FADT_X_PM_TMR_BLK 208       /* GAS, ACPI 2.0+ */
#define FADT_PM_TMR_LEN_BYTES 4
#define FLAG_TMR_VAL_EXT (1u << 8)  /* the PM timer counts 32 bits, else 24 */
#define FLAG_RESET_REG_SUP (1u << 10)
#define FLAG_HW_REDUCED_ACPI (1u << 20)
#define IO_PORT_LIMIT 0x10000u

int fadt_parse(const uint8_t *t, size_t len, struct fadt_info *out, const char **why)
{
    if (len < FADT_MIN_LEN || memcmp(t, "FACP", 4)) {
        *why = "not a FADT of at least 116 bytes";
        return -1;
    }
    uint32_t flags = read_le32(t + FADT_FLAGS);
    *out = (struct fadt_info){ .revision = t[FADT_REVISION] };
    if (!(flags & FLAG_HW_REDUCED_ACPI)) {
        uint64_t port = t[FADT_PM_TMR_LEN] == FADT_PM_TMR_LEN_BYTES ? read_le32(t + FADT_PM_TMR_BLK) : 0;
        if (len >= FADT_X_PM_TMR_BLK + ACPI_GAS_LEN) {
            struct acpi_gas x = acpi_gas_read(t + FADT_X_PM_TMR_BLK);
            if (x.address && x.space == ACPI_SPACE_IO)
                port = x.address;   /* the 64-bit field wins when given */
        }
        if (port && port < IO_PORT_LIMIT) {
            out->pm_timer_port = (uint16_t)port;
            out->pm_timer_bits = flags & FLAG_TMR_VAL_EXT ? 32 : 24;
        }
    }
    if (len >= FADT_RESET_VALUE + 1 && (flags & FLAG_RESET_REG_SUP)) {
        out->reset_reg = acpi_gas_read(t + FADT_RESET_REG);
        out->reset_value = t[FADT_RESET_VALUE];
        out->reset_supported = 1;
    }
    return 0;
}

int fadt_find(const uint8_t *rsdp, size_t rsdp_len, phys_resolver resolve, void *ctx,
              struct fadt_info *out, const char **why)
{
    struct acpi_root root;
    *out = (struct fadt_info){ 0 };
    if (acpi_open(&root, rsdp, rsdp_len, resolve, ctx, why))
        return -1;
    uint32_t len;
    const uint8_t *t = acpi_find(&root, "FACP", &len);
    if (!t) {
        *why = "no ACPI FADT";
        return -1;
    }
    return fadt_parse(t, len, out, why);
}
