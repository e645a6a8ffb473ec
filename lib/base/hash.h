/*
 * hash.h - SipHash-2-4, a keyed hash for tables whose keys an attacker
 * chooses (source addresses): with a random key, nobody can make many
 * keys fall into one bucket.
 */
#ifndef PINHOLE_HASH_H
#define PINHOLE_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "net.h"

#define HASH_KEY_LEN 16

/* SipHash-2-4 of 'len' bytes of 'in' under the 16-byte 'key'. */
uint64_t hash_sip24(const uint8_t key[HASH_KEY_LEN], const void *in,
    size_t len);

/* The hash of an address (family and address bytes) under 'key'. */
uint64_t hash_ip(const uint8_t key[HASH_KEY_LEN], const struct net_ip *ip);

#endif
