/* COM1 output of the hostile loader: every line prefixed "hostile-loader: ". */
#ifndef HOSTILE_CONSOLE_H
#define HOSTILE_CONSOLE_H

/* %s, %u, %x (0x and 8 hex digits), %c, %% only */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* says the error, exits QEMU with status LOADER_ERROR_STATUS (or halts) */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define LOADER_ERROR_STATUS 41   /* none of svmtest's 33/35/37/39 */

#endif
