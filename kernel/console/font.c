#include "font.h"

#include "grub_ascii.h"   /* build/gen/grub_ascii.h: a copy of GRUB's ascii.h */

const uint8_t *font_glyph(char c)
{
    unsigned char u = (unsigned char)c;
    if (u < 0x20 || u > 0x7e)
        u = '?';
    return ascii_bitmaps + (unsigned)u * FONT_HEIGHT;
}
