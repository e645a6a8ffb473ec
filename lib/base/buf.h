/*
 * buf.h - a bounds-checked read cursor for untrusted bytes, and a growing
 * write buffer with a hard maximum.
 *
 * Every cur_*() read checks the remaining length first and fails with
 * -EBADMSG, leaving the cursor where it was.  Every dbuf_*() append fails
 * with -E2BIG when the buffer would pass its maximum, or -ENOMEM, and then
 * leaves the contents unchanged.
 */
#ifndef PINHOLE_BUF_H
#define PINHOLE_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"

struct cursor {
	const uint8_t *p;
	size_t len;
	size_t pos;
};

/* Points the cursor at 'len' bytes of 'buf'; the caller keeps ownership. */
void cur_init(struct cursor *c, const void *buf, size_t len);
/* Bytes not yet read. */
size_t cur_left(const struct cursor *c);
int cur_u8(struct cursor *c, uint8_t *v);
/* Network byte order. */
int cur_u16(struct cursor *c, uint16_t *v);
int cur_u32(struct cursor *c, uint32_t *v);
int cur_u64(struct cursor *c, uint64_t *v);
/* Copies 'n' bytes out. */
int cur_copy(struct cursor *c, void *dst, size_t n);
/* Returns a pointer to the next 'n' bytes inside the buffer, and skips them. */
int cur_ref(struct cursor *c, const uint8_t **p, size_t n);
int cur_skip(struct cursor *c, size_t n);
/* The next byte without reading it; -EBADMSG when none is left. */
int cur_peek(const struct cursor *c, uint8_t *v);
/*
 * For text that arrives on a stream: reads the bytes of the NUL-terminated
 * 'lit'.  0 when they were next, -EBADMSG at the first byte that differs,
 * -EAGAIN when the bytes end before any differs (more may come).
 */
int cur_match(struct cursor *c, const char *lit);

struct dbuf {
	uint8_t *b;
	size_t len;
	size_t cap;
	size_t max;
};

/* An empty buffer that never grows past 'max' bytes. */
void dbuf_init(struct dbuf *d, size_t max);
void dbuf_free(struct dbuf *d);
/* Forgets the contents, keeps the allocation. */
void dbuf_reset(struct dbuf *d);
int dbuf_add(struct dbuf *d, const void *p, size_t n);
int dbuf_u8(struct dbuf *d, uint8_t v);
int dbuf_u16(struct dbuf *d, uint16_t v);
int dbuf_u32(struct dbuf *d, uint32_t v);
int dbuf_u64(struct dbuf *d, uint64_t v);
/* Appends formatted text, without the terminating NUL. */
int dbuf_printf(struct dbuf *d, const char *fmt, ...) LOG_FMT(2, 3);
/* Writes a big-endian u16 at 'off' (which must lie inside the contents). */
int dbuf_put_u16_at(struct dbuf *d, size_t off, uint16_t v);
/* Writes 'v' big-endian into the 4 bytes at 'p'. */
void buf_put_be32(uint8_t *p, uint32_t v);
/* The big-endian u32 in the 4 bytes at 'p'. */
uint32_t buf_get_be32(const uint8_t *p);
/*
 * Hands the contents over as a NUL-terminated string owned by the caller
 * and leaves 'd' empty; returns NULL when out of memory.
 */
char *dbuf_steal_str(struct dbuf *d);

/*
 * Room for one more element in the array 'arr' of 'n' elements of 'size'
 * bytes, '*cap' allocated: 'arr' itself while n < *cap, else 'arr' moved
 * to twice the room ('first' elements at first) and *cap updated.  NULL
 * when out of memory or the size would overflow; 'arr' and *cap are then
 * unchanged, and still the caller's.
 */
void *buf_array_grow(void *arr, size_t n, size_t *cap, size_t size,
    size_t first);

#endif
