/* ACPI SPCR lookup (console=spcr) over synthetic tables, and the bench
 * statistics. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "kernel/acpi/acpi.h"
#include "kernel/acpi/spcr.h"
#include "svm/bench.h"

/* A fake physical memory: tables at fixed addresses in one buffer. */
#define MEM_BASE 0x7f000000u
#define MEM_SIZE 0x4000u
static uint8_t mem[MEM_SIZE];

static const void *resolve(uint64_t addr, size_t len, void *ctx)
{
    (void)ctx;
    if (addr < MEM_BASE || addr - MEM_BASE > MEM_SIZE || len > MEM_SIZE - (addr - MEM_BASE))
        return NULL;
    return mem + (addr - MEM_BASE);
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void fix_checksum(uint8_t *p, size_t len, size_t at)
{
    uint8_t sum = 0;
    p[at] = 0;
    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + p[i]);
    p[at] = (uint8_t)-sum;
}

static uint8_t *sdt(uint32_t addr, const char *sig, uint32_t len)
{
    uint8_t *t = mem + (addr - MEM_BASE);
    memset(t, 0, len);
    memcpy(t, sig, 4);
    put32(t + 4, len);
    t[8] = 2;
    return t;
}

/* RSDP v2 -> XSDT -> { FACP, SPCR } with the UART at space/address. */
static void build(uint8_t *rsdp, uint8_t space, uint8_t bit_width, uint8_t access, uint64_t addr,
                  uint8_t baud_code)
{
    memset(mem, 0, sizeof mem);
    uint8_t *facp = sdt(MEM_BASE + 0x1000, "FACP", 64);
    fix_checksum(facp, 64, 9);
    uint8_t *spcr = sdt(MEM_BASE + 0x2000, "SPCR", 80);
    spcr[40] = space;
    spcr[41] = bit_width;
    spcr[43] = access;
    put64(spcr + 44, addr);
    spcr[58] = baud_code;
    fix_checksum(spcr, 80, 9);
    uint8_t *xsdt = sdt(MEM_BASE + 0x100, "XSDT", 36 + 16);
    put64(xsdt + 36, MEM_BASE + 0x1000);
    put64(xsdt + 44, MEM_BASE + 0x2000);
    fix_checksum(xsdt, 52, 9);
    memset(rsdp, 0, 36);
    memcpy(rsdp, "RSD PTR ", 8);
    rsdp[15] = 2;
    put32(rsdp + 20, 36);
    put64(rsdp + 24, MEM_BASE + 0x100);
    fix_checksum(rsdp, 20, 8);
    fix_checksum(rsdp, 36, 32);
}

static void spcr_io_port(void)
{
    uint8_t rsdp[36];
    struct spcr_uart u;
    const char *why = NULL;
    build(rsdp, 1, 8, 1, 0x2f8, 7);
    CHECK_EQ(spcr_find(rsdp, sizeof rsdp, resolve, NULL, &u, &why), 0);
    CHECK_EQ(u.space, SPCR_SPACE_IO);
    CHECK_EQ(u.address, 0x2f8);
    CHECK_EQ(u.baud, 115200);
    CHECK_EQ(u.reg_shift, 0);
}

static void spcr_mmio_32bit(void)
{
    uint8_t rsdp[36];
    struct spcr_uart u;
    const char *why = NULL;
    build(rsdp, 0, 32, 3, 0xfedc9000u, 0);
    CHECK_EQ(spcr_find(rsdp, sizeof rsdp, resolve, NULL, &u, &why), 0);
    CHECK_EQ(u.space, SPCR_SPACE_MEMORY);
    CHECK_EQ(u.address, 0xfedc9000u);
    CHECK_EQ(u.reg_shift, 2);
    CHECK_EQ(u.access_bytes, 4);
    CHECK_EQ(u.baud, 0);   /* "as is": keep the firmware's setting */
}

static void spcr_failures(void)
{
    uint8_t rsdp[36];
    struct spcr_uart u;
    const char *why = NULL;

    CHECK_EQ(spcr_find(NULL, 0, resolve, NULL, &u, &why), -1);
    CHECK_STR(why, "no valid ACPI RSDP");

    build(rsdp, 1, 8, 1, 0x2f8, 7);
    rsdp[9] ^= 1;   /* breaks the RSDP checksum */
    CHECK_EQ(spcr_find(rsdp, sizeof rsdp, resolve, NULL, &u, &why), -1);
    CHECK_STR(why, "no valid ACPI RSDP");

    build(rsdp, 1, 8, 1, 0x2f8, 7);
    mem[0x2000 + 50] ^= 1;  /* SPCR checksum: the table is ignored */
    CHECK_EQ(spcr_find(rsdp, sizeof rsdp, resolve, NULL, &u, &why), -1);
    CHECK_STR(why, "no ACPI SPCR table");

    build(rsdp, 1, 8, 1, 0, 7);
    CHECK_EQ(spcr_find(rsdp, sizeof rsdp, resolve, NULL, &u, &why), -1);
    CHECK_HAS(why, "address is zero");

    build(rsdp, 2, 8, 1, 0x1000, 7);   /* PCI config space */
    CHECK_EQ(spcr_find(rsdp, sizeof rsdp, resolve, NULL, &u, &why), -1);
    CHECK_HAS(why, "neither in I/O nor memory");

    build(rsdp, 1, 8, 1, 0x2f8, 7);
    put64(rsdp + 24, 0x10);            /* XSDT unreachable */
    fix_checksum(rsdp, 36, 32);
    CHECK_EQ(spcr_find(rsdp, sizeof rsdp, resolve, NULL, &u, &why), -1);
    CHECK_HAS(why, "unreadable");

    uint8_t short_table[40] = "SPCR";
    CHECK_EQ(spcr_parse(short_table, sizeof short_table, &u, &why), -1);
}

static void bios_area_search(void)
{
    /* the resolver cannot reach the BIOS area: no RSDP, no crash */
    CHECK(acpi_bios_rsdp(resolve, NULL) == NULL);
}

static void bench_statistics(void)
{
    uint64_t v[11] = { 50, 10, 40, 30, 20, 100, 90, 80, 70, 60, 1000 };
    struct bench_stats s = bench_stats_of(v, 11);
    CHECK_EQ(s.min, 10);
    CHECK_EQ(s.median, 60);
    CHECK_EQ(s.p10, 20);
    CHECK_EQ(s.p90, 100);
    CHECK_EQ(s.max, 1000);
    for (int i = 1; i < 11; i++)
        CHECK(v[i - 1] <= v[i]);
    uint64_t one[1] = { 7 };
    s = bench_stats_of(one, 1);
    CHECK_EQ(s.median, 7);
    CHECK_EQ(s.max, 7);
}

SUITE(spcr)
{
    spcr_io_port();
    spcr_mmio_32bit();
    spcr_failures();
    bios_area_search();
    bench_statistics();
}
