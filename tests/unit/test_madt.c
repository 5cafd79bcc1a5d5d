/* kernel/acpi/madt.c: the ACPI MADT's local APIC and local x2APIC entries, built
 * byte by byte and parsed from exactly-sized heap copies (AddressSanitizer
 * catches any read past the table). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "kernel/acpi/madt.h"

#define ENABLED 1u
#define ONLINE_CAPABLE 2u

struct table { uint8_t b[4096]; uint32_t n; };

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void start(struct table *t)
{
    memset(t->b, 0, sizeof t->b);
    memcpy(t->b, "APIC", 4);
    t->b[8] = 5;                       /* revision: ACPI 6.3 and later */
    put32(t->b + 36, 0xfee00000u);     /* local APIC address */
    put32(t->b + 40, 1);               /* PCAT_COMPAT */
    t->n = 44;
}

static void lapic(struct table *t, uint8_t uid, uint8_t id, uint32_t flags)
{
    uint8_t *e = t->b + t->n;
    e[0] = 0;
    e[1] = 8;
    e[2] = uid;
    e[3] = id;
    put32(e + 4, flags);
    t->n += 8;
}

static void x2apic(struct table *t, uint32_t id, uint32_t uid, uint32_t flags)
{
    uint8_t *e = t->b + t->n;
    e[0] = 9;
    e[1] = 16;
    put32(e + 4, id);
    put32(e + 8, flags);
    put32(e + 12, uid);
    t->n += 16;
}

static void other(struct table *t, uint8_t type, uint8_t len)
{
    uint8_t *e = t->b + t->n;
    memset(e, 0x77, len);
    e[0] = type;
    e[1] = len;
    t->n += len;
}

static struct madt_info info;
static uint8_t *heap;

static int parse(const struct table *t, uint32_t len, const char **why)
{
    free(heap);
    heap = malloc(len ? len : 1);
    memcpy(heap, t->b, len);
    put32(heap + 4, len);
    *why = NULL;
    return madt_parse(heap, len, &info, why);
}

static void test_xapic_entries(void)
{
    struct table t;
    const char *why;
    start(&t);
    lapic(&t, 0, 0, ENABLED);
    other(&t, 1, 12);                  /* an I/O APIC: skipped */
    lapic(&t, 1, 2, ENABLED);
    other(&t, 2, 10);                  /* an interrupt source override */
    lapic(&t, 2, 4, ENABLED);
    lapic(&t, 3, 6, ENABLED);
    CHECK_EQ(parse(&t, t.n, &why), 0);
    CHECK(why == NULL);
    CHECK_EQ(info.count, 4);
    CHECK_EQ(info.lapic_addr, 0xfee00000u);
    static const uint32_t ids[] = { 0, 2, 4, 6 };
    for (unsigned i = 0; i < 4; i++) {
        CHECK_EQ(info.cpu[i].apic_id, ids[i]);
        CHECK_EQ(info.cpu[i].uid, i);
        CHECK_EQ(info.cpu[i].x2apic, 0);
        CHECK_EQ(info.cpu[i].state, MADT_CPU_ENABLED);
    }
}

static void test_x2apic_entries(void)
{
    struct table t;
    const char *why;
    start(&t);
    lapic(&t, 0, 0, ENABLED);
    lapic(&t, 1, 1, ENABLED);
    x2apic(&t, 1, 1, ENABLED);         /* the same CPU listed twice: kept once */
    x2apic(&t, 256, 300, ENABLED);     /* beyond the xAPIC's 8 bits */
    x2apic(&t, 0x12345, 301, ENABLED);
    x2apic(&t, 0xffffffffu, 302, ENABLED);  /* invalid ID: left out */
    lapic(&t, 9, 0xff, ENABLED);            /* invalid ID: left out */
    CHECK_EQ(parse(&t, t.n, &why), 0);
    CHECK_EQ(info.count, 4);
    CHECK_EQ(info.cpu[1].apic_id, 1);
    CHECK_EQ(info.cpu[1].x2apic, 0);
    CHECK_EQ(info.cpu[2].apic_id, 256);
    CHECK_EQ(info.cpu[2].uid, 300);
    CHECK_EQ(info.cpu[2].x2apic, 1);
    CHECK_EQ(info.cpu[3].apic_id, 0x12345);
    CHECK_EQ(info.cpu[3].state, MADT_CPU_ENABLED);
}

static void test_flags(void)
{
    struct table t;
    const char *why;
    start(&t);
    lapic(&t, 0, 0, ENABLED);
    lapic(&t, 1, 1, 0);                           /* disabled, not online-capable */
    lapic(&t, 2, 2, ONLINE_CAPABLE);              /* can be hot-added: listed */
    x2apic(&t, 500, 3, ONLINE_CAPABLE);
    x2apic(&t, 501, 4, 0);
    lapic(&t, 5, 5, ENABLED | ONLINE_CAPABLE);    /* enabled wins */
    lapic(&t, 6, 6, ENABLED | 0xfffffff0u);       /* reserved bits ignored */
    CHECK_EQ(parse(&t, t.n, &why), 0);
    CHECK_EQ(info.count, 5);
    CHECK_EQ(info.unusable, 2);
    CHECK_EQ(info.cpu[1].apic_id, 2);
    CHECK_EQ(info.cpu[1].state, MADT_CPU_ONLINE_CAPABLE);
    CHECK_EQ(info.cpu[2].apic_id, 500);
    CHECK_EQ(info.cpu[2].state, MADT_CPU_ONLINE_CAPABLE);
    CHECK_EQ(info.cpu[3].apic_id, 5);
    CHECK_EQ(info.cpu[3].state, MADT_CPU_ENABLED);
    CHECK_EQ(info.cpu[4].state, MADT_CPU_ENABLED);

    /* before revision 5 bit 1 is reserved: a disabled CPU is unusable */
    t.b[8] = 4;
    CHECK_EQ(parse(&t, t.n, &why), 0);
    CHECK_EQ(info.count, 3);
    CHECK_EQ(info.unusable, 4);
    CHECK_EQ(info.cpu[1].apic_id, 5);
}

static void test_address_override(void)
{
    struct table t;
    const char *why;
    start(&t);
    uint8_t *e = t.b + t.n;
    e[0] = 5;
    e[1] = 12;
    put64(e + 4, 0x1234567000ull);
    t.n += 12;
    lapic(&t, 0, 0, ENABLED);
    CHECK_EQ(parse(&t, t.n, &why), 0);
    CHECK_EQ(info.lapic_addr, 0x1234567000ull);
    CHECK_EQ(info.count, 1);
}

static void test_truncated(void)
{
    struct table t;
    const char *why;
    start(&t);
    CHECK_EQ(parse(&t, 43, &why), -1);
    CHECK_STR(why, "MADT shorter than its header");
    CHECK_EQ(parse(&t, 44, &why), 0);           /* no entries: no CPU */
    CHECK_EQ(info.count, 0);

    lapic(&t, 0, 0, ENABLED);
    lapic(&t, 1, 1, ENABLED);
    /* cut inside the second entry, at every byte */
    for (uint32_t len = t.n - 7; len < t.n; len++) {
        CHECK_EQ(parse(&t, len, &why), -1);
        CHECK(why != NULL);
    }
    CHECK_EQ(parse(&t, t.n - 7, &why), -1);
    CHECK_STR(why, "MADT entry header truncated");
    CHECK_EQ(parse(&t, t.n - 6, &why), -1);
    CHECK_STR(why, "MADT entry runs past the table");

    /* entries that claim too little */
    start(&t);
    lapic(&t, 0, 0, ENABLED);
    t.b[45] = 6;
    t.n -= 2;
    CHECK_EQ(parse(&t, t.n, &why), -1);
    CHECK_STR(why, "MADT local APIC entry too short");
    start(&t);
    x2apic(&t, 300, 0, ENABLED);
    t.b[45] = 12;
    t.n -= 4;
    CHECK_EQ(parse(&t, t.n, &why), -1);
    CHECK_STR(why, "MADT local x2APIC entry too short");
    start(&t);
    other(&t, 3, 1);                               /* length below the header */
    t.n += 1;
    CHECK_EQ(parse(&t, t.n, &why), -1);
    CHECK_STR(why, "MADT entry runs past the table");
    start(&t);
    other(&t, 3, 0);
    t.n += 8;
    CHECK_EQ(parse(&t, t.n, &why), -1);            /* zero length would loop forever */
    CHECK(why != NULL);
}

static void test_many(void)
{
    const char *why;
    /* MADT_CPUS_MAX + 3 x2APIC CPUs: the rest are counted, not kept */
    uint32_t n = MADT_CPUS_MAX + 3;
    uint32_t len = 44 + 16 * n;
    uint8_t *b = calloc(1, len);
    memcpy(b, "APIC", 4);
    put32(b + 4, len);
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *e = b + 44 + 16 * i;
        e[0] = 9;
        e[1] = 16;
        put32(e + 4, i);
        put32(e + 8, ENABLED);
        put32(e + 12, i);
    }
    CHECK_EQ(madt_parse(b, len, &info, &why), 0);
    CHECK_EQ(info.count, MADT_CPUS_MAX);
    CHECK_EQ(info.dropped, 3);
    CHECK_EQ(info.cpu[MADT_CPUS_MAX - 1].apic_id, MADT_CPUS_MAX - 1);
    free(b);
}

/* The verbose=0 summary: counts by state, and the first IDs then a count. */
static void test_summary(void)
{
    struct table t;
    const char *why;
    start(&t);
    lapic(&t, 0, 0, ENABLED);
    for (uint32_t id = 1; id < 254; id++)
        lapic(&t, (uint8_t)id, (uint8_t)id, id < 3 ? ENABLED : ONLINE_CAPABLE);
    x2apic(&t, 300, 300, ONLINE_CAPABLE);
    CHECK_EQ(parse(&t, t.n, &why), 0);
    CHECK_EQ(madt_count_state(&info, MADT_CPU_ONLINE_CAPABLE, 0), 252);
    CHECK_EQ(madt_count_state(&info, MADT_CPU_ENABLED, 0), 2);      /* the boot CPU left out */
    CHECK_EQ(madt_count_state(&info, MADT_CPU_ENABLED, 99), 3);

    char buf[96];
    uint32_t ids[4000];
    for (unsigned i = 0; i < 4000; i++)
        ids[i] = i + 2;
    CHECK_EQ(madt_format_ids(buf, sizeof buf, ids, 3998, 5), (int)strlen(buf));
    CHECK_STR(buf, "APIC 2, 3, 4, 5, 6 and 3993 more");
    madt_format_ids(buf, sizeof buf, ids, 5, 5);
    CHECK_STR(buf, "APIC 2, 3, 4, 5, 6");
    madt_format_ids(buf, sizeof buf, ids, 1, 5);
    CHECK_STR(buf, "APIC 2");
    madt_format_ids(buf, sizeof buf, ids, 0, 5);
    CHECK_STR(buf, "");
    ids[0] = 4294967294u;                         /* x2APIC IDs are 32-bit */
    madt_format_ids(buf, sizeof buf, ids, 2, 1);
    CHECK_STR(buf, "APIC 4294967294 and 1 more");
    /* a short buffer is cut, never overrun */
    char small[10];
    madt_format_ids(small, sizeof small, ids, 3998, 5);
    CHECK_EQ(strlen(small), sizeof small - 1);
}

SUITE(madt)
{
    test_summary();
    test_xapic_entries();
    test_x2apic_entries();
    test_flags();
    test_address_override();
    test_truncated();
    test_many();
    free(heap);
    heap = NULL;
}
