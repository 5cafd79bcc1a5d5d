#include "madt.h"

#include "kernel/lib/bytes.h"
#include "kernel/lib/fmt.h"

#define SDT_REVISION 8
#define MADT_REVISION_ONLINE_CAPABLE 5   /* ACPI 6.3: flag bit 1 defined */
#define MADT_LAPIC_ADDR 36
#define MADT_ENTRIES 44
#define ENTRY_HEADER 2

#define TYPE_LOCAL_APIC 0
#define TYPE_LAPIC_ADDR_OVERRIDE 5
#define TYPE_LOCAL_X2APIC 9
#define LOCAL_APIC_LEN 8
#define LAPIC_ADDR_OVERRIDE_LEN 12
#define LOCAL_X2APIC_LEN 16

#define FLAG_ENABLED (1u << 0)
#define FLAG_ONLINE_CAPABLE (1u << 1)
#define XAPIC_ID_INVALID 0xffu
#define X2APIC_ID_INVALID 0xffffffffu

static void add_cpu(struct madt_info *m, uint32_t apic_id, uint32_t uid, uint32_t flags,
                    int x2apic)
{
    if (!(flags & (FLAG_ENABLED | FLAG_ONLINE_CAPABLE))) {
        m->unusable++;
        return;
    }
    for (unsigned i = 0; i < m->count; i++)
        if (m->cpu[i].apic_id == apic_id)
            return;
    if (m->count == MADT_CPUS_MAX) {
        m->dropped++;
        return;
    }
    m->cpu[m->count++] = (struct madt_cpu){
        .apic_id = apic_id, .uid = uid, .x2apic = (uint8_t)x2apic,
        .state = (flags & FLAG_ENABLED) ? MADT_CPU_ENABLED : MADT_CPU_ONLINE_CAPABLE,
    };
}

static int bad(const char **why, const char *what)
{
    *why = what;
    return -1;
}

int madt_parse(const uint8_t *t, uint32_t len, struct madt_info *m, const char **why)
{
    m->count = 0;
    m->dropped = 0;
    m->unusable = 0;
    m->lapic_addr = 0;
    if (len < MADT_ENTRIES)
        return bad(why, "MADT shorter than its header");
    m->lapic_addr = read_le32(t + MADT_LAPIC_ADDR);
    /* before revision 5 the Online Capable bit is reserved */
    uint32_t flag_mask = t[SDT_REVISION] >= MADT_REVISION_ONLINE_CAPABLE ?
                         FLAG_ENABLED | FLAG_ONLINE_CAPABLE : FLAG_ENABLED;
    for (uint32_t off = MADT_ENTRIES; off < len;) {
        if (len - off < ENTRY_HEADER)
            return bad(why, "MADT entry header truncated");
        uint8_t type = t[off], elen = t[off + 1];
        if (elen < ENTRY_HEADER || elen > len - off)
            return bad(why, "MADT entry runs past the table");
        const uint8_t *e = t + off;
        switch (type) {
        case TYPE_LOCAL_APIC:
            if (elen < LOCAL_APIC_LEN)
                return bad(why, "MADT local APIC entry too short");
            if (e[3] != XAPIC_ID_INVALID)
                add_cpu(m, e[3], e[2], read_le32(e + 4) & flag_mask, 0);
            break;
        case TYPE_LOCAL_X2APIC:
            if (elen < LOCAL_X2APIC_LEN)
                return bad(why, "MADT local x2APIC entry too short");
            if (read_le32(e + 4) != X2APIC_ID_INVALID)
                add_cpu(m, read_le32(e + 4), read_le32(e + 12), read_le32(e + 8) & flag_mask, 1);
            break;
        case TYPE_LAPIC_ADDR_OVERRIDE:
            if (elen < LAPIC_ADDR_OVERRIDE_LEN)
                return bad(why, "MADT local APIC address override too short");
            m->lapic_addr = read_le64(e + 4);
            break;
        default:
            break;
        }
        off += elen;
    }
    return 0;
}

unsigned madt_count_state(const struct madt_info *m, enum madt_cpu_state st, uint32_t skip_id)
{
    unsigned n = 0;
    for (unsigned i = 0; i < m->count; i++)
        if (m->cpu[i].state == st && m->cpu[i].apic_id != skip_id)
            n++;
    return n;
}

int madt_format_ids(char *buf, size_t size, const uint32_t *ids, unsigned n, unsigned shown)
{
    size_t used = 0;
    if (size)
        buf[0] = '\0';
    for (unsigned i = 0; i < n && i < shown && used < size; i++)
        used += (size_t)fmt_snprintf(buf + used, size - used, "%s%u", i ? ", " : "APIC ", ids[i]);
    if (n > shown && used < size)
        used += (size_t)fmt_snprintf(buf + used, size - used, " and %u more", n - shown);
    return (int)used;
}
