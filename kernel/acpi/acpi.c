#include "acpi.h"

#include <string.h>

#include "kernel/lib/bytes.h"

#define RSDP_V1_LEN 20
#define RSDP_V2_LEN 36
#define RSDP_REVISION 15
#define RSDP_RSDT_ADDRESS 16
#define RSDP_XSDT_ADDRESS 24
#define SDT_LENGTH 4
#define MAX_TABLES 256
#define MAX_TABLE_LEN (1u << 20)
#define BIOS_AREA_START 0xe0000u
#define BIOS_AREA_LEN 0x20000u

static int checksum_ok(const uint8_t *p, size_t n)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum = (uint8_t)(sum + p[i]);
    return sum == 0;
}

/* A whole table at a physical address, length bounded, checksum verified. */
static const uint8_t *table_at(uint64_t addr, phys_resolver resolve, void *ctx, uint32_t *len)
{
    const uint8_t *h = addr ? resolve(addr, ACPI_SDT_HEADER_LEN, ctx) : 0;
    if (!h)
        return 0;
    uint32_t n = read_le32(h + SDT_LENGTH);
    if (n < ACPI_SDT_HEADER_LEN || n > MAX_TABLE_LEN)
        return 0;
    const uint8_t *t = resolve(addr, n, ctx);
    if (!t || !checksum_ok(t, n))
        return 0;
    *len = n;
    return t;
}

int acpi_open(struct acpi_root *root, const uint8_t *rsdp, size_t rsdp_len,
              phys_resolver resolve, void *ctx, const char **why)
{
    if (!rsdp) {
        rsdp = acpi_bios_rsdp(resolve, ctx);
        rsdp_len = RSDP_V2_LEN;
    }
    if (!rsdp || rsdp_len < RSDP_V1_LEN || memcmp(rsdp, "RSD PTR ", 8) ||
        !checksum_ok(rsdp, RSDP_V1_LEN)) {
        *why = "no valid ACPI RSDP";
        return -1;
    }
    int xsdt = rsdp[RSDP_REVISION] >= 2 && rsdp_len >= RSDP_V2_LEN &&
               checksum_ok(rsdp, RSDP_V2_LEN) && read_le64(rsdp + RSDP_XSDT_ADDRESS);
    uint64_t addr = xsdt ? read_le64(rsdp + RSDP_XSDT_ADDRESS) : read_le32(rsdp + RSDP_RSDT_ADDRESS);
    *root = (struct acpi_root){ .entry_bytes = xsdt ? 8 : 4, .resolve = resolve, .ctx = ctx };
    root->table = table_at(addr, resolve, ctx, &root->len);
    if (!root->table || memcmp(root->table, xsdt ? "XSDT" : "RSDT", 4)) {
        *why = "ACPI root table (RSDT/XSDT) unreadable";
        return -1;
    }
    return 0;
}

const uint8_t *acpi_find(const struct acpi_root *root, const char sig[4], uint32_t *len)
{
    unsigned count = (root->len - ACPI_SDT_HEADER_LEN) / root->entry_bytes;
    for (unsigned i = 0; i < count && i < MAX_TABLES; i++) {
        const uint8_t *e = root->table + ACPI_SDT_HEADER_LEN + i * root->entry_bytes;
        uint64_t addr = root->entry_bytes == 8 ? read_le64(e) : read_le32(e);
        const uint8_t *t = table_at(addr, root->resolve, root->ctx, len);
        if (t && !memcmp(t, sig, 4))
            return t;
    }
    return 0;
}

const uint8_t *acpi_bios_rsdp(phys_resolver resolve, void *ctx)
{
    const uint8_t *area = resolve(BIOS_AREA_START, BIOS_AREA_LEN, ctx);
    if (!area)
        return 0;
    for (uint32_t off = 0; off + RSDP_V2_LEN <= BIOS_AREA_LEN; off += 16)
        if (!memcmp(area + off, "RSD PTR ", 8) && checksum_ok(area + off, RSDP_V1_LEN))
            return area + off;
    return 0;
}

struct acpi_gas acpi_gas_read(const uint8_t *p)
{
    return (struct acpi_gas){ .space = p[0], .bit_width = p[1], .bit_offset = p[2],
                              .access_size = p[3], .address = read_le64(p + 4) };
}
