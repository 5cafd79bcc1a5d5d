#include "reboot.h"

#define RESET_REG_BITS 8
#define IO_PORT_LIMIT 0x10000u
/* a PCI configuration space GAS address (bus 0): device, function, offset */
#define PCI_GAS_RESERVED_MASK 0xffff000000000000ull
#define PCI_GAS_DEVICE(a) (((a) >> 32) & 0xffff)
#define PCI_GAS_FUNCTION(a) (((a) >> 16) & 0xffff)
#define PCI_GAS_OFFSET(a) ((a) & 0xffff)
#define PCI_DEVICES 32
#define PCI_FUNCTIONS 8
#define PCI_CONFIG_BYTES 256

static int fadt_reset_usable(const struct fadt_info *f, uint64_t mmio_limit)
{
    if (!f || !f->reset_supported)
        return 0;
    const struct acpi_gas *r = &f->reset_reg;
    if (r->bit_width != RESET_REG_BITS || r->bit_offset != 0)
        return 0;
    switch (r->space) {
    case ACPI_SPACE_IO: return r->address && r->address < IO_PORT_LIMIT;
    case ACPI_SPACE_MEMORY: return r->address && r->address < mmio_limit;
    case ACPI_SPACE_PCI_CONFIG:
        return !(r->address & PCI_GAS_RESERVED_MASK) && PCI_GAS_DEVICE(r->address) < PCI_DEVICES &&
               PCI_GAS_FUNCTION(r->address) < PCI_FUNCTIONS &&
               PCI_GAS_OFFSET(r->address) < PCI_CONFIG_BYTES;
    default: return 0;
    }
}

unsigned reboot_plan(const struct fadt_info *fadt, uint64_t mmio_limit, enum reboot_method *out)
{
    unsigned n = 0;
    if (fadt_reset_usable(fadt, mmio_limit))
        out[n++] = REBOOT_FADT_RESET_REG;
    out[n++] = REBOOT_PORT_CF9;
    out[n++] = REBOOT_KBC;
    out[n++] = REBOOT_TRIPLE_FAULT;
    return n;
}

const char *reboot_method_name(enum reboot_method m)
{
    switch (m) {
    case REBOOT_FADT_RESET_REG: return "fadt-reset-register";
    case REBOOT_PORT_CF9: return "port-0xcf9";
    case REBOOT_KBC: return "keyboard-controller";
    case REBOOT_TRIPLE_FAULT: return "triple-fault";
    case REBOOT_METHODS: break;
    }
    return "?";
}
