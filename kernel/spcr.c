#include "spcr.h"

#include <string.h>

#include "fmt.h"

#define BIOS_AREA_START 0xe0000u
#define BIOS_AREA_END 0x100000u
#define RSDP_V1_LEN 20
#define RSDP_V2_LEN 36
#define SDT_HEADER_LEN 36
#define SPCR_MIN_LEN 80
#define SPCR_GAS_OFFSET 40
#define GAS_SPACE_MEMORY 0
#define GAS_SPACE_IO 1
#define TABLE_REACH (4ull << 30)
#define MAX_TABLES 256

static char note[96];

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static int checksum_ok(const uint8_t *p, size_t n)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum = (uint8_t)(sum + p[i]);
    return sum == 0;
}

static const uint8_t *table_at(uint64_t addr)
{
    if (!addr || addr + SDT_HEADER_LEN > TABLE_REACH)
        return 0;
    const uint8_t *t = (const uint8_t *)(uintptr_t)addr;
    uint32_t len = rd32(t + 4);
    if (len < SDT_HEADER_LEN || addr + len > TABLE_REACH || !checksum_ok(t, len))
        return 0;
    return t;
}

static const uint8_t *find_rsdp_in_bios_area(void)
{
    for (uintptr_t a = BIOS_AREA_START; a < BIOS_AREA_END; a += 16) {
        const uint8_t *p = (const uint8_t *)a;
        if (!memcmp(p, "RSD PTR ", 8) && checksum_ok(p, RSDP_V1_LEN))
            return p;
    }
    return 0;
}

static const uint8_t *find_spcr(const uint8_t *rsdp)
{
    int xsdt = rsdp[15] >= 2 && checksum_ok(rsdp, RSDP_V2_LEN) && rd64(rsdp + 24);
    const uint8_t *root = table_at(xsdt ? rd64(rsdp + 24) : rd32(rsdp + 16));
    if (!root)
        return 0;
    unsigned entry = xsdt ? 8 : 4;
    unsigned count = (rd32(root + 4) - SDT_HEADER_LEN) / entry;
    for (unsigned i = 0; i < count && i < MAX_TABLES; i++) {
        const uint8_t *e = root + SDT_HEADER_LEN + i * entry;
        const uint8_t *t = table_at(xsdt ? rd64(e) : rd32(e));
        if (t && !memcmp(t, "SPCR", 4) && rd32(t + 4) >= SPCR_MIN_LEN)
            return t;
    }
    return 0;
}

const char *spcr_console_port(const void *rsdp_copy, size_t rsdp_len, uint16_t *port)
{
    const uint8_t *rsdp = rsdp_copy;
    if (!rsdp || rsdp_len < RSDP_V1_LEN)
        rsdp = find_rsdp_in_bios_area();
    if (!rsdp || memcmp(rsdp, "RSD PTR ", 8)) {
        fmt_snprintf(note, sizeof note, "spcr: no ACPI RSDP found, using port 0x%x", *port);
        return note;
    }
    const uint8_t *spcr = find_spcr(rsdp);
    if (!spcr) {
        fmt_snprintf(note, sizeof note, "spcr: no ACPI SPCR table, using port 0x%x", *port);
        return note;
    }
    const uint8_t *gas = spcr + SPCR_GAS_OFFSET;
    uint64_t addr = rd64(gas + 4);
    if (gas[0] == GAS_SPACE_IO && addr >= 0x100 && addr <= 0xfff8) {
        *port = (uint16_t)addr;
        fmt_snprintf(note, sizeof note, "spcr: UART at I/O port 0x%x", *port);
    } else {
        fmt_snprintf(note, sizeof note,
                     "spcr: UART in address space %u at 0x%lx not supported, using port 0x%x",
                     gas[0], addr, *port);
    }
    return note;
}
