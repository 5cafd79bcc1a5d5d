#include "boot.h"

#include <stdarg.h>

#include "kernel/console/serial.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/hypervisor.h"
#include "kernel/lib/fmt.h"
#include "kernel/report/exit.h"
#include "kernel/report/ktap.h"

#define BOOT_INFO_REACH (4ull << 30)   /* the identity map covers 4 GiB */
#define MB1_INFO_SIZE 88
#define COM1_PORT 0x3f8
#define COM1_BAUD 115200
#define DEBUGCON_PORT 0xe9
#define DEBUG_EXIT_PORT 0xf4

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
        info->block = (struct mem_range){ addr, *total_size };
    } else if (magic == MB1_LOADER_MAGIC && identity(addr, MB1_INFO_SIZE, 0)) {
        bootinfo_parse_mb1(info, identity(addr, MB1_INFO_SIZE, 0), identity, 0);
        info->block = (struct mem_range){ addr, MB1_INFO_SIZE };
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

/* COM1 (kernel/console/serial.c, on a struct on this stack) and, under a
 * hypervisor, QEMU's debug console: nothing here may use .bss. */
struct early_console { struct uart com1; int debugcon; };

static void early_putc(void *ctx, char c)
{
    struct early_console *con = ctx;
    uart_putc(&con->com1, c);
    if (con->debugcon)
        outb(DEBUGCON_PORT, (uint8_t)c);
}

static void early_line(struct early_console *con, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vformat(early_putc, con, fmt, ap);
    va_end(ap);
    early_putc(con, '\r');
    early_putc(con, '\n');
}

void boot_check_memory(uint32_t magic, uint32_t info_addr)
{
    struct boot_info info;
    read_boot_info(&info, magic, info_addr);
    uint64_t start = (uint64_t)__image_start, end = (uint64_t)__bss_end;
    if (bootinfo_ram_covers(&info, start, end) != 0)
        return;
    struct early_console con = {
        .com1 = { .base = COM1_PORT },
        .debugcon = hypervisor_present() && inb(DEBUGCON_PORT) == DEBUGCON_PORT,
    };
    uart_init(&con.com1, COM1_BAUD);
    early_line(&con, "");
    early_line(&con, "# svmtest-begin version=%s", SVMTEST_VERSION);
    early_line(&con, "KTAP version 1");
    early_line(&con, "1..1");
    early_line(&con, "not ok 1 memory # ERROR the loader's memory map does not hold svmtest's "
               "image and working memory 0x%lx-0x%lx (%lu KiB of RAM in %u ranges)",
               start, end, info.memory_available >> 10, info.ram_count);
    early_line(&con, "# svmtest-end pass=0 fail=0 skip=0 error=1");
    uart_drain(&con.com1);
    if (hypervisor_is_qemu_or_kvm())
        outl(DEBUG_EXIT_PORT, exit_debug_port_value(EXIT_STATUS_ERROR));
    cpu_halt_forever();
}
