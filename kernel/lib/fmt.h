/* A small printf: %d %i %u %x %X %s %c %p %%, flags '0' '-', width,
 * '*' or digits for width and precision (for %s), length modifiers l ll z. Output goes to a sink. */
#ifndef SVMTEST_FMT_H
#define SVMTEST_FMT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_sink)(void *ctx, char c);

int fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap);
int fmt_format(fmt_sink sink, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* snprintf semantics: always NUL-terminates when size > 0, returns the
 * length the full output would have. */
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
