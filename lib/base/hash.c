/* hash.c - SipHash-2-4 (Aumasson and Bernstein, 2012). */
#include <string.h>

#include "hash.h"

#define ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

struct sip_state {
	uint64_t v0, v1, v2, v3;
};

static void
sip_round(struct sip_state *s)
{
	s->v0 += s->v1;
	s->v1 = ROTL(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = ROTL(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = ROTL(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = ROTL(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = ROTL(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = ROTL(s->v2, 32);
}

static uint64_t
le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void
sip_absorb(struct sip_state *s, uint64_t m)
{
	s->v3 ^= m;
	sip_round(s);
	sip_round(s);
	s->v0 ^= m;
}

uint64_t
hash_sip24(const uint8_t key[HASH_KEY_LEN], const void *in, size_t len)
{
	const uint8_t *p = in;
	uint64_t k0 = le64(key), k1 = le64(key + 8), last;
	struct sip_state s = {
		0x736f6d6570736575ULL ^ k0, 0x646f72616e646f6dULL ^ k1,
		0x6c7967656e657261ULL ^ k0, 0x7465646279746573ULL ^ k1,
	};
	size_t i, tail = len & 7;

	for (i = 0; i + 8 <= len; i += 8)
		sip_absorb(&s, le64(p + i));
	last = (uint64_t)len << 56;
	while (tail-- > 0)
		last |= (uint64_t)p[i + tail] << (8 * tail);
	sip_absorb(&s, last);
	s.v2 ^= 0xff;
	for (i = 0; i < 4; i++)
		sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

uint64_t
hash_ip(const uint8_t key[HASH_KEY_LEN], const struct net_ip *ip)
{
	uint8_t b[17];
	size_t n = ip->family == AF_INET6 ? 16 : 4;

	b[0] = (uint8_t)ip->family;
	memcpy(b + 1, ip->a, n);
	return hash_sip24(key, b, n + 1);
}
