/* 8x16 glyphs for ASCII, from GRUB's ascii.h (grub-common), included at
 * build time. */
#ifndef SVMTEST_FONT_H
#define SVMTEST_FONT_H

#include <stdint.h>

#define FONT_WIDTH 8
#define FONT_HEIGHT 16

const uint8_t *font_glyph(char c);

#endif
