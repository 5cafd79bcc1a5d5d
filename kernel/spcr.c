#include "spcr.h"

#include <string.h>

#include "acpi.h"
#include "bytes.h"

#define SPCR_MIN_LEN 80
#define SPCR_INTERFACE_TYPE 36
#define SPCR_GAS 40
#define SPCR_BAUD 58
#define GAS_BIT_WIDTH 1
#define GAS_ACCESS_SIZE 3
#define GAS_ADDRESS 4
#define ACCESS_SIZE_DWORD 3

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
    struct acpi_root root;
    if (acpi_open(&root, rsdp, rsdp_len, resolve, ctx, why))
        return -1;
    uint32_t len;
    const uint8_t *t = acpi_find(&root, "SPCR", &len);
    if (!t) {
        *why = "no ACPI SPCR table";
        return -1;
    }
    return spcr_parse(t, len, out, why);
}
