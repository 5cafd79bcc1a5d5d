#include "screen.h"

#include <string.h>

#include "font.h"
#include "kernel/lib/fmt.h"

#define VGA_TEXT_ADDR 0xb8000u
#define VGA_COLS 80
#define VGA_ROWS 25
#define VGA_ATTR 0x07              /* light grey on black */
#define MB2_FB_TYPE_RGB 1
#define MB2_FB_TYPE_EGA_TEXT 2
#define SCREEN_REACH (4ull << 30)  /* the identity map */
#define FG_PIXEL 0x00c0c0c0u
#define BG_PIXEL 0x00000000u

enum kind { SCREEN_NONE, SCREEN_TEXT, SCREEN_PIXELS };

static struct {
    enum kind kind;
    uint8_t *base;
    uint32_t pitch, cols, rows, col, row;
    uint32_t height;            /* in rows of pixels or of text */
    uint32_t bytes_per_pixel;   /* 3 or 4 */
} scr;

static void put_pixel(uint32_t x, uint32_t y, uint32_t rgb)
{
    volatile uint8_t *p = scr.base + (uint64_t)y * scr.pitch + (uint64_t)x * scr.bytes_per_pixel;
    p[0] = (uint8_t)rgb;
    p[1] = (uint8_t)(rgb >> 8);
    p[2] = (uint8_t)(rgb >> 16);
}
static char description[64];

static void text_clear_row(uint32_t row)
{
    volatile uint16_t *cell = (volatile uint16_t *)(scr.base + row * scr.pitch);
    for (uint32_t c = 0; c < scr.cols; c++)
        cell[c] = (VGA_ATTR << 8) | ' ';
}

static void pixel_clear_row(uint32_t row)
{
    for (uint32_t y = 0; y < FONT_HEIGHT; y++)
        for (uint32_t x = 0; x < scr.cols * FONT_WIDTH; x++)
            put_pixel(x, row * FONT_HEIGHT + y, BG_PIXEL);
}

static void clear_row(uint32_t row)
{
    if (scr.kind == SCREEN_TEXT)
        text_clear_row(row);
    else
        pixel_clear_row(row);
}

void screen_extent(uint64_t *start, uint64_t *end)
{
    *start = *end = 0;
    if (scr.kind != SCREEN_NONE) {
        *start = (uint64_t)(uintptr_t)scr.base;
        *end = *start + (uint64_t)scr.pitch * scr.height;
    }
}

const char *screen_init(const struct boot_info *info)
{
    uint64_t addr = VGA_TEXT_ADDR;
    uint32_t width = VGA_COLS, height = VGA_ROWS, pitch = VGA_COLS * 2, bpp = 16;
    enum kind kind = SCREEN_TEXT;

    if (info->framebuffer_addr) {
        addr = info->framebuffer_addr;
        width = info->framebuffer_width;
        height = info->framebuffer_height;
        pitch = info->framebuffer_pitch;
        bpp = info->framebuffer_bpp;
        kind = info->framebuffer_type == MB2_FB_TYPE_EGA_TEXT ? SCREEN_TEXT
             : info->framebuffer_type == MB2_FB_TYPE_RGB && (bpp == 24 || bpp == 32) ? SCREEN_PIXELS
             : SCREEN_NONE;
    } else if (info->loader == LOADER_UNKNOWN || info->efi) {
        /* UEFI without a framebuffer, or a loader we cannot tell: legacy VGA
         * memory may not exist */
        kind = SCREEN_NONE;
    }
    uint64_t size = (uint64_t)pitch * height;
    if (kind != SCREEN_NONE && (addr + size > SCREEN_REACH || !width || !height))
        kind = SCREEN_NONE;
    scr.kind = kind;
    if (kind == SCREEN_NONE) {
        fmt_snprintf(description, sizeof description, "none");
        return description;
    }
    scr.base = (uint8_t *)(uintptr_t)addr;
    scr.pitch = pitch;
    scr.height = height;
    scr.bytes_per_pixel = bpp / 8;
    scr.cols = kind == SCREEN_TEXT ? width : width / FONT_WIDTH;
    scr.rows = kind == SCREEN_TEXT ? height : height / FONT_HEIGHT;
    scr.col = scr.row = 0;
    for (uint32_t r = 0; r < scr.rows; r++)
        clear_row(r);
    if (kind == SCREEN_TEXT)
        fmt_snprintf(description, sizeof description, "vga-text %ux%u", width, height);
    else
        fmt_snprintf(description, sizeof description, "framebuffer %ux%ux%u", width, height, bpp);
    return description;
}

static void draw(uint32_t col, uint32_t row, char c)
{
    if (scr.kind == SCREEN_TEXT) {
        volatile uint16_t *cell = (volatile uint16_t *)(scr.base + row * scr.pitch);
        cell[col] = (uint16_t)((VGA_ATTR << 8) | (uint8_t)c);
        return;
    }
    const uint8_t *glyph = font_glyph(c);
    for (uint32_t y = 0; y < FONT_HEIGHT; y++)
        for (uint32_t x = 0; x < FONT_WIDTH; x++)
            put_pixel(col * FONT_WIDTH + x, row * FONT_HEIGHT + y,
                      (glyph[y] & (0x80u >> x)) ? FG_PIXEL : BG_PIXEL);
}

/* Text mode scrolls (4 KB); a framebuffer wraps to the top instead of
 * moving megabytes per line, clearing the row it is about to write. */
static void newline(void)
{
    scr.col = 0;
    if (scr.row + 1 < scr.rows) {
        scr.row++;
    } else if (scr.kind == SCREEN_TEXT) {
        memmove(scr.base, scr.base + scr.pitch, (size_t)scr.pitch * (scr.rows - 1));
    } else {
        scr.row = 0;
    }
    if (scr.kind == SCREEN_PIXELS || scr.row + 1 == scr.rows)
        clear_row(scr.row);
}

void screen_putc(char c)
{
    if (scr.kind == SCREEN_NONE || c == '\r')
        return;
    if (c == '\n') {
        newline();
        return;
    }
    if (scr.col == scr.cols)
        newline();
    draw(scr.col++, scr.row, c);
}
