#include "exit.h"

#include "kernel/console/console.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/hypervisor.h"
#include "kernel/lib/fmt.h"
#include "kernel/timer.h"
#include "reboot.h"

#define DEBUG_EXIT_PORT 0xf4
#define KBC_STATUS_PORT 0x64
#define KBC_COMMAND_PORT 0x64
#define KBC_STATUS_INPUT_FULL 0x02
#define KBC_PULSE_RESET 0xfe
#define KBC_POLL_LIMIT 100000u
#define RESET_CONTROL_PORT 0xcf9
#define RESET_CONTROL_SYS_RST 0x02   /* hard reset when RST_CPU goes 0 -> 1 */
#define RESET_CONTROL_RST_CPU 0x04
#define RESET_CONTROL_STEP_MS 1
#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc
#define PCI_CONFIG_ENABLE 0x80000000u
#define PCI_DEVICE_SHIFT 11               /* in the 0xcf8 address: bus 0, device, function, dword */
#define PCI_FUNCTION_SHIFT 8
#define PCI_DWORD_MASK 0xfcu
#define PCI_BYTE_IN_DWORD 3u
#define GAS_PCI_DEVICE_SHIFT 32           /* in a GAS address: device, function, offset words */
#define GAS_PCI_FUNCTION_SHIFT 16
#define GAS_PCI_WORD 0xffffu
#define REBOOT_STEP_WAIT_MS 100      /* for each method to take effect before the next */
#define IDENTITY_MAP_LIMIT (4ull << 30)

static struct fadt_info fadt;
static int have_fadt;

unsigned exit_debug_port_value(int status)
{
    return (unsigned)(status - 1) / 2;
}

enum exit_mode exit_resolve(enum exit_mode mode)
{
    if (mode != EXIT_AUTO)
        return mode;
    return hypervisor_is_qemu_or_kvm() ? EXIT_QEMU : EXIT_HALT;
}

const char *exit_mode_name(enum exit_mode mode)
{
    static const char *const names[] = { "auto", "qemu", "halt", "reboot" };
    return names[mode];
}

void exit_set_fadt(const struct fadt_info *f)
{
    have_fadt = f != 0;
    if (f)
        fadt = *f;
}

static unsigned plan(enum reboot_method *m)
{
    return reboot_plan(have_fadt ? &fadt : 0, IDENTITY_MAP_LIMIT, m);
}

void exit_describe_reboot(char *buf, size_t size)
{
    static const char *const spaces[] = { "memory", "I/O", "PCI config" };
    enum reboot_method m[REBOOT_METHODS];
    unsigned n = plan(m);
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < n && used < size; i++) {
        used += (size_t)fmt_snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
                                     reboot_method_name(m[i]));
        if (m[i] == REBOOT_FADT_RESET_REG && used < size)
            used += (size_t)fmt_snprintf(buf + used, size - used, " (%s 0x%lx = 0x%x)",
                                         spaces[fadt.reset_reg.space], fadt.reset_reg.address,
                                         fadt.reset_value);
    }
}

static void write_reset_register(void)
{
    uint64_t a = fadt.reset_reg.address;
    switch (fadt.reset_reg.space) {
    case ACPI_SPACE_IO:
        outb((uint16_t)a, fadt.reset_value);
        break;
    case ACPI_SPACE_MEMORY:
        *(volatile uint8_t *)(uintptr_t)a = fadt.reset_value;
        break;
    case ACPI_SPACE_PCI_CONFIG: {
        /* bus 0 (reboot_plan checked device < 32, function < 8, offset < 256) */
        uint32_t dev = (uint32_t)(a >> GAS_PCI_DEVICE_SHIFT) & GAS_PCI_WORD;
        uint32_t fn = (uint32_t)(a >> GAS_PCI_FUNCTION_SHIFT) & GAS_PCI_WORD;
        uint32_t off = (uint32_t)a & GAS_PCI_WORD;
        outl(PCI_CONFIG_ADDRESS, PCI_CONFIG_ENABLE | dev << PCI_DEVICE_SHIFT |
                                 fn << PCI_FUNCTION_SHIFT | (off & PCI_DWORD_MASK));
        outb((uint16_t)(PCI_CONFIG_DATA + (off & PCI_BYTE_IN_DWORD)), fadt.reset_value);
        break;
    }
    }
}

static void reboot(void)
{
    enum reboot_method m[REBOOT_METHODS];
    unsigned n = plan(m);
    for (unsigned i = 0; i < n; i++) {
        switch (m[i]) {
        case REBOOT_FADT_RESET_REG:
            write_reset_register();
            break;
        case REBOOT_PORT_CF9:
            outb(RESET_CONTROL_PORT, RESET_CONTROL_SYS_RST);
            timer_delay_ms(RESET_CONTROL_STEP_MS);
            outb(RESET_CONTROL_PORT, RESET_CONTROL_SYS_RST | RESET_CONTROL_RST_CPU);
            break;
        case REBOOT_KBC:
            for (unsigned j = 0; j < KBC_POLL_LIMIT && (inb(KBC_STATUS_PORT) & KBC_STATUS_INPUT_FULL); j++)
                cpu_pause();
            outb(KBC_COMMAND_PORT, KBC_PULSE_RESET);
            break;
        case REBOOT_TRIPLE_FAULT: {
            static const struct __attribute__((packed)) { uint16_t limit; uint64_t base; } empty = { 0, 0 };
            __asm__ volatile("lidt %0; int3" :: "m"(empty));
            break;
        }
        case REBOOT_METHODS:
            break;
        }
        timer_delay_ms(REBOOT_STEP_WAIT_MS);
    }
}

_Noreturn void machine_exit(enum exit_mode mode, int status)
{
    irq_disable();
    console_drain();
    switch (exit_resolve(mode)) {
    case EXIT_QEMU:
        outl(DEBUG_EXIT_PORT, exit_debug_port_value(status));
        break; /* no such device: halt below */
    case EXIT_REBOOT:
        reboot();
        break;
    case EXIT_AUTO:
    case EXIT_HALT:
        break;
    }
    cpu_halt_forever();
}
