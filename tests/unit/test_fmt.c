/* kernel/lib/fmt.c: the small printf. */
#include <stdint.h>

#include "check.h"
#include "kernel/lib/fmt.h"

/* Formats into a fresh buffer and checks the text and the returned length. */
#define FMT_IS(expect, ...)                                                    \
    do {                                                                       \
        char b_[128];                                                          \
        memset(b_, 'Z', sizeof b_);                                            \
        int n_ = fmt_snprintf(b_, sizeof b_, __VA_ARGS__);                     \
        CHECK_STR(b_, expect);                                                 \
        CHECK_EQ(n_, strlen(expect));                                          \
    } while (0)

/* no format attribute: lets the tests pass odd formats without -Wformat */
static int raw_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

struct sink_buf { char text[64]; size_t n; };

static void sink(void *ctx, char c)
{
    struct sink_buf *s = ctx;
    if (s->n + 1 < sizeof s->text)
        s->text[s->n++] = c;
}

SUITE(fmt)
{
    FMT_IS("plain text", "plain text");
    FMT_IS("-42", "%d", -42);
    FMT_IS("-2147483648", "%d", INT32_MIN);
    FMT_IS("2147483647", "%i", INT32_MAX);
    FMT_IS("0", "%d", 0);
    FMT_IS("-9223372036854775808", "%ld", (long)INT64_MIN);
    FMT_IS("-0042", "%05d", -42);
    FMT_IS("  -42", "%5d", -42);
    FMT_IS("-42  |", "%-5d|", -42);
    FMT_IS("4294967295", "%u", 4294967295u);
    FMT_IS("18446744073709551615", "%lu", (unsigned long)UINT64_MAX);
    FMT_IS("123", "%zu", (size_t)123);
    FMT_IS("deadbeef", "%x", 0xdeadbeefu);
    FMT_IS("DEADBEEF", "%X", 0xdeadbeefu);
    FMT_IS("0x0000000100000014", "0x%016lx", 0x100000014ul);
    FMT_IS("00fff000", "%08x", 0xfff000u);
    FMT_IS("ffffffffffffffff", "%llx", 0xffffffffffffffffull);
    FMT_IS("ab      |", "%-8s|", "ab");
    FMT_IS("   ab", "%5s", "ab");
    FMT_IS("toolong", "%5s", "toolong");
    FMT_IS("abc", "%.3s", "abcdef");
    FMT_IS("ab", "%.3s", "ab");
    FMT_IS("abcd", "%.*s", 4, "abcdefgh");
    FMT_IS("", "%.*s", 0, "abc");
    FMT_IS("  abc", "%*s", 5, "abc");
    FMT_IS("[x]", "[%c]", 'x');
    FMT_IS("  x", "%3c", 'x');
    FMT_IS("100%", "%d%%", 100);
    FMT_IS("0x0000000000001234", "%p", (void *)(uintptr_t)0x1234);
    FMT_IS("0x0000000000000000", "%p", (void *)0);
    FMT_IS("a=1 b=two c=0x3", "a=%d b=%s c=0x%x", 1, "two", 3u);

    /* truncation: always NUL-terminated, returns the full length */
    char small[8];
    memset(small, 'Z', sizeof small);
    CHECK_EQ(fmt_snprintf(small, sizeof small, "%s", "0123456789"), 10);
    CHECK_STR(small, "0123456");
    memset(small, 'Z', sizeof small);
    CHECK_EQ(fmt_snprintf(small, 1, "%d", 12345), 5);
    CHECK_EQ(small[0], '\0');
    CHECK_EQ(small[1], 'Z');
    memset(small, 'Z', sizeof small);
    CHECK_EQ(fmt_snprintf(small, 0, "%s", "abc"), 3);
    CHECK_EQ(small[0], 'Z');
    CHECK_EQ(fmt_snprintf(NULL, 0, "%08x", 1u), 8);
    memset(small, 'Z', sizeof small);
    CHECK_EQ(fmt_snprintf(small, sizeof small, "%-10s|", "ab"), 11);
    CHECK_STR(small, "ab     ");

    /* odd formats: a trailing '%' ends the output, unknown conversions echo */
    char buf[32];
    CHECK_EQ(raw_snprintf(buf, sizeof buf, "abc%"), 3);
    CHECK_STR(buf, "abc");
    CHECK_EQ(raw_snprintf(buf, sizeof buf, "%q"), 2);
    CHECK_STR(buf, "%q");
    CHECK_EQ(raw_snprintf(buf, sizeof buf, "[%s]", (char *)NULL), 8);
    CHECK_STR(buf, "[(null)]");

    /* the sink interface counts every character */
    struct sink_buf s = { .n = 0 };
    CHECK_EQ(fmt_format(sink, &s, "%s-%u", "npf", 16u), 6);
    s.text[s.n] = '\0';
    CHECK_STR(s.text, "npf-16");
}
