/* console=spcr: the UART named by the ACPI SPCR table. */
#ifndef SVMTEST_SPCR_H
#define SVMTEST_SPCR_H

#include <stddef.h>
#include <stdint.h>

/* Find the SPCR table from the RSDP (the loader's copy, or a search of the
 * BIOS area when rsdp is NULL) and set *port to its I/O-port UART. Returns a
 * note for the "# console:" line saying what was found or why *port was left
 * at its default. */
const char *spcr_console_port(const void *rsdp, size_t rsdp_len, uint16_t *port);

#endif
