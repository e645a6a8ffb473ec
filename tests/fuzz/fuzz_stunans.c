/*
 * fuzz_stunans.c - the STUN answer builder on any request the decoder
 * accepts.  Invariants: what it builds decodes, carries the request's
 * transaction id, is a success or error as it says, and is never larger
 * than the request unless growth was allowed.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stunans.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
grow_h(void *arg)
{
	int *calls = arg;

	return ++*calls == 1 && (calls[1] & 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_in peer = { .sin_family = AF_INET,
	    .sin_port = htons(40000), .sin_addr = { htonl(0xcb007107) } };
	struct sockaddr_in6 other = { .sin6_family = AF_INET6,
	    .sin6_port = htons(3479) };
	struct sockaddr_in origin = { .sin_family = AF_INET,
	    .sin_port = htons(3478), .sin_addr = { htonl(0xc6336401) } };
	struct stun_answer a;
	struct stun_msg req, ans;
	struct dbuf b;
	int calls[2], r;
	uint8_t knobs;

	if (size < 1)
		return 0;
	knobs = data[0];
	data++;
	size--;
	if (stun_msg_decode(data, size, &req) != 0 ||
	    req.type != STUN_BINDING_REQUEST)
		return 0;
	calls[0] = 0;
	calls[1] = knobs;
	memset(&a, 0, sizeof(a));
	a.peer = (const struct sockaddr *)&peer;
	a.origin = knobs & 2 ? (const struct sockaddr *)&origin : NULL;
	a.other = knobs & 4 ? (const struct sockaddr *)&other : NULL;
	a.change_refused = (knobs & 8) != 0;
	a.software = knobs & 16 ? "pinholed fuzz" : NULL;
	a.may_grow = knobs & 32 ? grow_h : NULL;
	a.arg = calls;
	dbuf_init(&b, STUN_MAX_MSG);
	r = stun_answer_build(&req, size, &a, &b);
	if (r == STUN_ANSWER_SUCCESS || r == STUN_ANSWER_ERROR) {
		if (stun_msg_decode(b.b, b.len, &ans) != 0 ||
		    memcmp(ans.tid, req.tid, sizeof(req.tid)) != 0 ||
		    ans.type != (r == STUN_ANSWER_SUCCESS ? STUN_BINDING_SUCCESS :
		    STUN_BINDING_ERROR))
			abort();
		/* Larger than the request only when growth was allowed. */
		if (b.len > size && !(a.may_grow != NULL && (knobs & 1)))
			abort();
		if (b.len > STUN_MAX_MSG)
			abort();
	} else if (r != -EMSGSIZE) {
		abort();
	}
	if (calls[0] > 1)
		abort();	/* growth is asked for at most once */
	/* As an ICE check: ours only with the right key, never larger. */
	r = stun_ice_answer_build(data, size, &req, "evtj", knobs & 64 ?
	    "VOkJxbRl1RmTxUk/WvJxBt" : "x", (const struct sockaddr *)&peer, &b);
	if (r == 0 && (b.len > size || stun_msg_decode(b.b, b.len, &ans) != 0 ||
	    ans.type != STUN_BINDING_SUCCESS || !ans.fingerprint_ok ||
	    stun_msg_check_integrity(b.b, b.len, &ans, knobs & 64 ?
	    "VOkJxbRl1RmTxUk/WvJxBt" : "x", knobs & 64 ? 22 : 1) != 0))
		abort();
	if (r != 0 && r != -EPERM && r != -EACCES && r != -EMSGSIZE)
		abort();
	dbuf_free(&b);
	return 0;
}
