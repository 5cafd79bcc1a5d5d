#include "spcr.h"

#include <string.h>

#include "bytes.h"

#define RSDP_V1_LEN 20
#define RSDP_V2_LEN 36
#define SDT_HEADER_LEN 36
#define SPCR_MIN_LEN 80
#define SPCR_INTERFACE_TYPE 36
#define SPCR_GAS 40
#define SPCR_BAUD 58
#define GAS_BIT_WIDTH 1
#define GAS_ACCESS_SIZE 3
#define GAS_ADDRESS 4
#define ACCESS_SIZE_DWORD 3
#define MAX_TABLES 256
#define BIOS_AREA_START 0xe0000u
#define BIOS_AREA_LEN 0x20000u

static int checksum_ok(const uint8_t *p, size_t n)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum = (uint8_t)(sum + p[i]);
    return sum == 0;
}

/* A whole ACPI table at a physical address, checksum verified. */
static const uint8_t *table_at(uint64_t addr, phys_resolver resolve, void *ctx, uint32_t *len)
{
    const uint8_t *h = addr ? resolve(addr, SDT_HEADER_LEN, ctx) : 0;
    if (!h)
        return 0;
    uint32_t n = read_le32(h + 4);
    const uint8_t *t = n >= SDT_HEADER_LEN ? resolve(addr, n, ctx) : 0;
    if (!t || !checksum_ok(t, n))
        return 0;
    *len = n;
    return t;
}

int spcr_parse(const uint8_t *t, size_t len, struct spcr_uart *out, const char **why)
{
    static const uint32_t bauds[8] = { 0, 0, 0, 9600, 19200, 0, 57600, 115200 };
    if (len < SPCR_MIN_LEN || memcmp(t, "SPCR", 4)) {
        *why = "not an SPCR table of at least 80 bytes";
        return -1;
    }
    const uint8_t *gas = t + SPCR_GAS;
    *out = (struct spcr_uart){
        .space = gas[0] == SPCR_SPACE_IO ? SPCR_SPACE_IO : SPCR_SPACE_MEMORY,
        .address = read_le64(gas + GAS_ADDRESS),
        .reg_shift = gas[GAS_BIT_WIDTH] == 32 ? 2 : 0,
        .access_bytes = gas[GAS_ACCESS_SIZE] == ACCESS_SIZE_DWORD || gas[GAS_BIT_WIDTH] == 32 ? 4 : 1,
        .interface_type = t[SPCR_INTERFACE_TYPE],
        .baud = t[SPCR_BAUD] < 8 ? bauds[t[SPCR_BAUD]] : 0,
    };
    if (gas[0] != SPCR_SPACE_IO && gas[0] != SPCR_SPACE_MEMORY) {
        *why = "SPCR UART is neither in I/O nor memory space";
        return -1;
    }
    if (!out->address) {
        *why = "SPCR UART address is zero (console disabled by firmware)";
        return -1;
    }
    if (out->space == SPCR_SPACE_IO && out->address > 0xfff8) {
        *why = "SPCR I/O port out of range";
        return -1;
    }
    return 0;
}

int spcr_find(const uint8_t *rsdp, size_t rsdp_len, phys_resolver resolve, void *ctx,
              struct spcr_uart *out, const char **why)
{
    if (!rsdp || rsdp_len < RSDP_V1_LEN || memcmp(rsdp, "RSD PTR ", 8) ||
        !checksum_ok(rsdp, RSDP_V1_LEN)) {
        *why = "no valid ACPI RSDP";
        return -1;
    }
    int xsdt = rsdp[15] >= 2 && rsdp_len >= RSDP_V2_LEN && checksum_ok(rsdp, RSDP_V2_LEN) &&
               read_le64(rsdp + 24);
    uint32_t root_len;
    const uint8_t *root = table_at(xsdt ? read_le64(rsdp + 24) : read_le32(rsdp + 16), resolve, ctx, &root_len);
    if (!root) {
        *why = "ACPI root table (RSDT/XSDT) unreadable";
        return -1;
    }
    unsigned entry = xsdt ? 8 : 4;
    unsigned count = (root_len - SDT_HEADER_LEN) / entry;
    for (unsigned i = 0; i < count && i < MAX_TABLES; i++) {
        const uint8_t *e = root + SDT_HEADER_LEN + i * entry;
        uint32_t len;
        const uint8_t *t = table_at(xsdt ? read_le64(e) : read_le32(e), resolve, ctx, &len);
        if (t && !memcmp(t, "SPCR", 4))
            return spcr_parse(t, len, out, why);
    }
    *why = "no ACPI SPCR table";
    return -1;
}

const uint8_t *spcr_bios_rsdp(phys_resolver resolve, void *ctx)
{
    const uint8_t *area = resolve(BIOS_AREA_START, BIOS_AREA_LEN, ctx);
    if (!area)
        return 0;
    for (uint32_t off = 0; off + RSDP_V2_LEN <= BIOS_AREA_LEN; off += 16)
        if (!memcmp(area + off, "RSD PTR ", 8) && checksum_ok(area + off, RSDP_V1_LEN))
            return area + off;
    return 0;
}
