/*
 * parse.h - checked parsing of numbers, ports and booleans from text.
 *
 * Each function rejects empty input, junk after the number, overflow and
 * values outside [min, max] with -EINVAL (-ERANGE for out of range), and
 * writes its result only on success.
 */
#ifndef PINHOLE_PARSE_H
#define PINHOLE_PARSE_H

#include <stddef.h>
#include <stdint.h>

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/*
 * The same for 'n' bytes that are not NUL-terminated (a number inside a
 * received buffer): digits only, at least one, leading zeros allowed, the
 * value at most 'max' (-ERANGE above, however many digits there are).
 * Reads nothing past 'n'.
 */
int parse_digits(const uint8_t *p, size_t n, uint64_t max, uint64_t *out);
int parse_uint(const char *s, unsigned min, unsigned max, unsigned *out);
/* A port 1-65535. */
int parse_port(const char *s, uint16_t *out);
/* "P" or "LO-HI" with 1 <= LO <= HI <= 65535; spaces around '-' allowed. */
int parse_port_range(const char *s, uint16_t *lo, uint16_t *hi);
/* yes/no, on/off, true/false, 1/0 (case-insensitive). */
int parse_bool(const char *s, int *out);
/* A duration: a number with an optional unit s, ms or m; result in ms. */
int parse_duration_ms(const char *s, uint64_t max_ms, uint64_t *out);

#endif
