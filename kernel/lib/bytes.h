/* Unaligned little-endian reads from firmware and loader structures. */
#ifndef SVMTEST_BYTES_H
#define SVMTEST_BYTES_H

#include <stdint.h>
#include <string.h>

static inline uint32_t read_le32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint64_t read_le64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

#endif
