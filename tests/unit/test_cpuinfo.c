/* kernel/cpu/cpuinfo.c: the "# cpu:" identity and the raw CPUID leaves of "# features:". */
#include <stdint.h>

#include "check.h"
#include "kernel/cpu/cpuinfo.h"

static void decode(uint32_t sig, uint32_t family, uint32_t model, uint32_t stepping)
{
    uint32_t f, m, s;
    cpu_signature_decode(sig, &f, &m, &s);
    CHECK_AT(__FILE__, __LINE__, f == family && m == model && s == stepping,
             "signature 0x%08x: family 0x%x model 0x%x stepping 0x%x, expected 0x%x 0x%x 0x%x",
             sig, f, m, s, family, model, stepping);
}

static void test_signature(void)
{
    decode(0x00a10f11, 0x19, 0x11, 0x1);   /* Zen4 Genoa B1 (AMD revision guide 57095) */
    decode(0x00a10f10, 0x19, 0x11, 0x0);   /* Genoa A0 */
    decode(0x00a00f11, 0x19, 0x01, 0x1);   /* Zen3 Milan B1 */
    decode(0x00830f10, 0x17, 0x31, 0x0);   /* Zen2 Rome B0 */
    decode(0x00b00f21, 0x1a, 0x02, 0x1);   /* Zen5 Turin */
    decode(0x00060fb1, 0x0f, 0x6b, 0x1);   /* QEMU TCG's max */
    decode(0x00100f22, 0x10, 0x02, 0x2);   /* family 0x10: extended family counts */
    decode(0x00000f4a, 0x0f, 0x04, 0xa);
    decode(0x000506e3, 0x06, 0x5e, 0x3);   /* Intel family 6 takes the extended model */
    decode(0x00010676, 0x06, 0x17, 0x6);
    decode(0x00020652, 0x06, 0x25, 0x2);
    decode(0x00000633, 0x06, 0x03, 0x3);
    decode(0x00010543, 0x05, 0x04, 0x3);   /* other base families ignore the extensions */
    decode(0x0ff00f00, 0x10e, 0x00, 0x0);  /* widest extended family */
}

static void test_brand(void)
{
    char raw[CPU_BRAND_BYTES], name[CPU_BRAND_BYTES + 1];
    memset(raw, 0, sizeof raw);
    memcpy(raw, "AMD EPYC 9654 96-Core Processor                 ", 48);
    cpu_brand_clean(raw, name);
    CHECK_STR(name, "AMD EPYC 9654 96-Core Processor");

    memset(raw, 0, sizeof raw);
    memcpy(raw, "   Intel(R) Xeon(R)  ", 21);
    cpu_brand_clean(raw, name);
    CHECK_STR(name, "Intel(R) Xeon(R)");

    memset(raw, 'x', sizeof raw);              /* no NUL: all 48 bytes */
    cpu_brand_clean(raw, name);
    CHECK_EQ(strlen(name), 48);

    memset(raw, 0, sizeof raw);
    memcpy(raw, "a\"b\\c\td\x80", 8);
    cpu_brand_clean(raw, name);
    CHECK_STR(name, "a?b?c?d?");

    memset(raw, 0, sizeof raw);
    cpu_brand_clean(raw, name);
    CHECK_STR(name, "");
    memset(raw, ' ', sizeof raw);
    cpu_brand_clean(raw, name);
    CHECK_STR(name, "");
}

static void test_microcode(void)
{
    uint32_t level = 0xdead;
    CHECK_EQ(cpu_microcode_from_msr("AuthenticAMD", 0x0a10113e, &level), 1);
    CHECK_EQ(level, 0x0a10113e);
    CHECK_EQ(cpu_microcode_from_msr("AuthenticAMD", 0xffffffff00000000ull, &level), 0);
    CHECK_EQ(cpu_microcode_from_msr("AuthenticAMD", 0, &level), 0);   /* a hypervisor's 0 */
    CHECK_EQ(cpu_microcode_from_msr("GenuineIntel", 0x000000f000000000ull, &level), 1);
    CHECK_EQ(level, 0xf0);
    CHECK_EQ(cpu_microcode_from_msr("GenuineIntel", 0x12345678, &level), 0);
    CHECK_EQ(cpu_microcode_from_msr("HygonGenuine", 0x09000001, &level), 1);
}

static void test_format(void)
{
    struct cpu_ident id = { .vendor = "AuthenticAMD", .name = "AMD EPYC 9654 96-Core Processor",
                            .signature = 0x00a10f11, .microcode_known = 1,
                            .microcode = 0x0a10113e, .leaf_8000000a_edx = 0x1ebfbcff,
                            .leaf_7_ecx = 0x00015fce, .leaf_80000008_eax = 0x00003934 };
    cpu_signature_decode(id.signature, &id.family, &id.model, &id.stepping);
    char buf[256];
    int n = cpu_ident_format(&id, buf, sizeof buf);
    CHECK_STR(buf, "vendor=AuthenticAMD family=0x19 model=0x11 stepping=0x1 signature=0x00a10f11 "
              "microcode=0x0a10113e name=\"AMD EPYC 9654 96-Core Processor\"");
    CHECK_EQ(n, strlen(buf));
    id.microcode_known = 0;
    cpu_ident_format(&id, buf, sizeof buf);
    CHECK_HAS(buf, " signature=0x00a10f11 microcode=unknown name=");
    id.microcode_known = 1;
    id.microcode = 0x65;
    cpu_ident_format(&id, buf, sizeof buf);
    CHECK_HAS(buf, " microcode=0x00000065 ");
    /* the longest line fits the kernel's 200-byte buffer */
    memset(id.name, 'n', CPU_BRAND_BYTES);
    id.name[CPU_BRAND_BYTES] = '\0';
    memcpy(id.vendor, "CentaurHauls", 13);
    id.signature = 0xffffffff;
    cpu_signature_decode(id.signature, &id.family, &id.model, &id.stepping);
    id.microcode = 0xffffffff;
    CHECK(cpu_ident_format(&id, buf, sizeof buf) < 200);

    cpu_leaves_format(&id, buf, sizeof buf);
    CHECK_STR(buf, "leaf_8000000a_edx=0x1ebfbcff leaf_7_ecx=0x00015fce leaf_80000008_eax=0x00003934");
    struct cpu_ident none = { .vendor = "" };
    cpu_leaves_format(&none, buf, sizeof buf);
    CHECK_STR(buf, "leaf_8000000a_edx=0x00000000 leaf_7_ecx=0x00000000 leaf_80000008_eax=0x00000000");
}

SUITE(cpuinfo)
{
    test_signature();
    test_brand();
    test_microcode();
    test_format();
}
