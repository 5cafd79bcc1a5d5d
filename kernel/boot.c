#include "boot.h"

#include <stdarg.h>

#include "cpu.h"
#include "exit.h"
#include "fmt.h"
#include "hypervisor.h"
#include "ktap.h"

#define BOOT_INFO_REACH (4ull << 30)   /* the identity map covers 4 GiB */
#define MB1_INFO_SIZE 88
#define COM1_PORT 0x3f8
#define COM1_LSR (COM1_PORT + 5)
#define LSR_THRE 0x20
#define THRE_POLL_LIMIT 200000
#define DEBUGCON_PORT 0xe9
#define DEBUG_EXIT_PORT 0xf4
#define STATUS_ERROR 39

extern uint8_t __image_start[], __bss_end[];

const void *identity(uint64_t addr, size_t len, void *ctx)
{
    (void)ctx;
    if (addr == 0 || addr >= BOOT_INFO_REACH || len > BOOT_INFO_REACH - addr)
        return 0;
    return (const void *)(uintptr_t)addr;
}

void read_boot_info(struct boot_info *info, uint32_t magic, uint32_t addr)
{
    const uint32_t *total_size = identity(addr, 8, 0);
    if (magic == MB2_LOADER_MAGIC && total_size && identity(addr, *total_size, 0)) {
        bootinfo_parse_mb2(info, total_size, *total_size);
    } else if (magic == MB1_LOADER_MAGIC && identity(addr, MB1_INFO_SIZE, 0)) {
        bootinfo_parse_mb1(info, identity(addr, MB1_INFO_SIZE, 0), identity, 0);
    } else if (magic == MB1_LOADER_MAGIC || magic == MB2_LOADER_MAGIC) {
        /* a loader gave information svmtest cannot reach: its command line is lost */
        *info = (struct boot_info){
            .loader = magic == MB1_LOADER_MAGIC ? LOADER_MULTIBOOT1 : LOADER_MULTIBOOT2,
            .cmdline_error = "boot information beyond the 4 GiB svmtest maps: "
                             "the command line could not be read" };
    } else {
        *info = (struct boot_info){ .loader = LOADER_UNKNOWN };
    }
}

/* COM1 at whatever speed firmware left (its divisor is not touched), and
 * QEMU's debug console under a hypervisor: nothing here may use .bss. */
static void early_putc(void *ctx, char c)
{
    int debugcon = *(const int *)ctx;
    for (unsigned i = 0; i < THRE_POLL_LIMIT && !(inb(COM1_LSR) & LSR_THRE); i++)
        cpu_pause();
    outb(COM1_PORT, (uint8_t)c);
    if (debugcon)
        outb(DEBUGCON_PORT, (uint8_t)c);
}

static void early_line(int *debugcon, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vformat(early_putc, debugcon, fmt, ap);
    va_end(ap);
    early_putc(debugcon, '\r');
    early_putc(debugcon, '\n');
}

void boot_check_memory(uint32_t magic, uint32_t info_addr)
{
    struct boot_info info;
    read_boot_info(&info, magic, info_addr);
    uint64_t start = (uint64_t)__image_start, end = (uint64_t)__bss_end;
    if (bootinfo_ram_covers(&info, start, end) != 0)
        return;
    int debugcon = hypervisor_present() && inb(DEBUGCON_PORT) == DEBUGCON_PORT;
    early_line(&debugcon, "");
    early_line(&debugcon, "# svmtest-begin version=%s", SVMTEST_VERSION);
    early_line(&debugcon, "KTAP version 1");
    early_line(&debugcon, "1..1");
    early_line(&debugcon, "not ok 1 memory # ERROR the loader's memory map does not hold svmtest's "
               "image and working memory 0x%lx-0x%lx (%lu KiB of RAM in %u ranges)",
               start, end, info.memory_available >> 10, info.ram_count);
    early_line(&debugcon, "# svmtest-end pass=0 fail=0 skip=0 error=1");
    if (hypervisor_is_qemu_or_kvm())
        outl(DEBUG_EXIT_PORT, exit_debug_port_value(STATUS_ERROR));
    cpu_halt_forever();
}
