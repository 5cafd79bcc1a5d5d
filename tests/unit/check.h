/* A tiny test harness: each CHECK counts one pass or one failure; a failure
 * prints the expression (and, for the _EQ forms, both values) with file:line. */
#ifndef SVMTEST_CHECK_H
#define SVMTEST_CHECK_H

#include <stdio.h>
#include <string.h>

extern unsigned check_passed, check_failed;

#define CHECK_AT(file, line, cond, ...)                                        \
    do {                                                                       \
        if (cond) {                                                            \
            check_passed++;                                                    \
        } else {                                                               \
            check_failed++;                                                    \
            printf("%s:%d: FAIL: ", file, line);                               \
            printf(__VA_ARGS__);                                               \
            printf("\n");                                                      \
        }                                                                      \
    } while (0)

#define CHECK(cond) CHECK_AT(__FILE__, __LINE__, (cond), "%s", #cond)

#define CHECK_EQ(a, b)                                                         \
    do {                                                                       \
        unsigned long long a_ = (unsigned long long)(a);                       \
        unsigned long long b_ = (unsigned long long)(b);                       \
        CHECK_AT(__FILE__, __LINE__, a_ == b_, "%s == %s (0x%llx vs 0x%llx)",  \
                 #a, #b, a_, b_);                                              \
    } while (0)

/* strings; NULL never equals anything */
#define CHECK_STR(a, b)                                                        \
    do {                                                                       \
        const char *a_ = (a), *b_ = (b);                                       \
        CHECK_AT(__FILE__, __LINE__, a_ && b_ && strcmp(a_, b_) == 0,          \
                 "%s == %s (\"%s\" vs \"%s\")", #a, #b, a_ ? a_ : "(null)",    \
                 b_ ? b_ : "(null)");                                          \
    } while (0)

/* haystack contains needle */
#define CHECK_HAS(hay, needle)                                                 \
    do {                                                                       \
        const char *h_ = (hay), *n_ = (needle);                                \
        CHECK_AT(__FILE__, __LINE__, h_ && strstr(h_, n_),                     \
                 "%s contains \"%s\" (got \"%s\")", #hay, n_, h_ ? h_ : "(null)"); \
    } while (0)

/* A suite registers itself: SUITE(name) { ...checks... } in its own
 * tests/unit/test_*.c file; tests/unit/main.c runs them in name order. */
void check_register(const char *name, void (*suite)(void));
#define SUITE(name)                                                            \
    static void suite_##name(void);                                            \
    __attribute__((constructor)) static void register_##name(void)             \
    {                                                                          \
        check_register(#name, suite_##name);                                   \
    }                                                                          \
    static void suite_##name(void)

#endif
