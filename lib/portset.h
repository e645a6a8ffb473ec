/*
 * portset.h - a set of ports (0-65535) as a bitmap, written as compressed
 * ranges for reports: "10000-10499, 10501-20000".
 */
#ifndef PINHOLE_PORTSET_H
#define PINHOLE_PORTSET_H

#include <stddef.h>
#include <stdint.h>

struct portset {
	uint64_t bits[65536 / 64];
	unsigned count;
};

void portset_clear(struct portset *s);
void portset_add(struct portset *s, uint16_t port);
int portset_has(const struct portset *s, uint16_t port);
/* How many ports of lo..hi (inclusive, lo <= hi) are in the set: a word
 * at a time, so a range of 65535 costs 1,024 additions. */
unsigned portset_count_range(const struct portset *s, uint16_t lo,
    uint16_t hi);
/* The lowest and highest port in the set: 0, or -ENOENT when empty. */
int portset_extent(const struct portset *s, uint16_t *lo, uint16_t *hi);
/*
 * Writes the set as ranges joined by ", " into buf (NUL-terminated; "" for
 * an empty set).  Returns -ENOSPC when it did not fit (buf then ends in
 * "..."), else 0.
 */
int portset_format(const struct portset *s, char *buf, size_t len);

/*
 * Adds the ports of 'text', ranges as portset_format() writes them
 * ("5060, 10000-20000"; "" is none), to the set.  Returns -EINVAL on
 * anything else (a port 0 or above 65535, LO > HI, junk); the set then
 * holds the ports read before it.
 */
int portset_parse(struct portset *s, const char *text);

#endif
