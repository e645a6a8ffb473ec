/* test_ctlreq.c - the typed decoders of the client's control requests. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "ctlreq.h"

static const uint8_t nonce[CTL_NONCE_LEN] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };

/*
 * A message under construction: frame bytes in 'b' (which the decoded
 * message points into), attributes added with the ctl_put_*() encoders.
 */
struct req {
	struct dbuf b;
	size_t start;
	struct ctl_msg m;
};

static void
req_begin(struct req *q, uint16_t type)
{
	dbuf_init(&q->b, CTL_HDR_LEN + CTL_MAX_BODY);
	assert_int_equal(ctl_enc_begin(&q->b, type, &q->start), 0);
}

/* A SWEEP or CONNECT that starts as the client's do: REQ_ID, NONCE. */
static void
req_begin_id(struct req *q, uint16_t type, uint32_t id)
{
	req_begin(q, type);
	assert_int_equal(ctl_put_u32(&q->b, CTL_A_REQ_ID, id), 0);
	assert_int_equal(ctl_put_bytes(&q->b, CTL_A_NONCE, nonce,
	    sizeof(nonce)), 0);
}

static const struct ctl_msg *
req_end(struct req *q)
{
	assert_int_equal(ctl_enc_end(&q->b, q->start), 0);
	assert_int_equal(ctl_msg_decode(q->b.b, q->b.len, &q->m), 0);
	return &q->m;
}

static void
put_addr(struct req *q, uint16_t type, const char *ip, uint16_t port)
{
	struct net_ip a;

	assert_int_equal(net_ip_parse(ip, &a), 0);
	assert_int_equal(ctl_put_addr(&q->b, type, &a, port), 0);
}

/* A SEND as the client builds it, leaving out attribute 'skip' (0: none). */
static const struct ctl_msg *
send_msg(struct req *q, uint16_t skip, size_t paylen)
{
	static uint8_t pay[CTL_MAX_BODY];

	memset(pay, 'S', sizeof(pay));
	req_begin(q, CTL_SEND);
	if (skip != CTL_A_REQ_ID)
		assert_int_equal(ctl_put_u32(&q->b, CTL_A_REQ_ID, 7), 0);
	if (skip != CTL_A_TRANSPORT)
		assert_int_equal(ctl_put_u8(&q->b, CTL_A_TRANSPORT, CTL_UDP), 0);
	if (skip != CTL_A_LOCAL_PORT)
		assert_int_equal(ctl_put_u16(&q->b, CTL_A_LOCAL_PORT, 5060), 0);
	if (skip != CTL_A_PEER)
		put_addr(q, CTL_A_PEER, "203.0.113.7", 1024);
	if (skip != CTL_A_PAYLOAD)
		assert_int_equal(ctl_put_bytes(&q->b, CTL_A_PAYLOAD, pay,
		    paylen), 0);
	return req_end(q);
}

static void
test_send(void **state)
{
	const uint16_t required[] = { CTL_A_REQ_ID, CTL_A_TRANSPORT,
	    CTL_A_LOCAL_PORT, CTL_A_PEER, CTL_A_PAYLOAD };
	struct ctlreq_send s;
	struct net_ip want;
	struct req q;
	size_t i;

	assert_int_equal(ctlreq_send_decode(send_msg(&q, 0, 100), &s), 0);
	assert_int_equal(s.req_id, 7);
	assert_int_equal(s.transport, CTL_UDP);
	assert_int_equal(s.local_port, 5060);
	assert_int_equal(net_ip_parse("203.0.113.7", &want), 0);
	assert_true(net_ip_equal(&s.peer_ip, &want));
	assert_int_equal(s.peer_port, 1024);
	assert_int_equal(s.payload_len, 100);
	assert_true(s.payload >= q.b.b && s.payload + 100 <= q.b.b + q.b.len);
	assert_int_equal(s.payload[0], 'S');
	dbuf_free(&q.b);

	/* Each required attribute; the REQ_ID survives the error. */
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		assert_int_equal(ctlreq_send_decode(send_msg(&q, required[i],
		    100), &s), -EBADMSG);
		assert_int_equal(s.req_id, required[i] == CTL_A_REQ_ID ? 0 : 7);
		dbuf_free(&q.b);
	}
	/* Payload from 1 byte to the cap. */
	assert_int_equal(ctlreq_send_decode(send_msg(&q, 0, 1), &s), 0);
	dbuf_free(&q.b);
	assert_int_equal(ctlreq_send_decode(send_msg(&q, 0, CTLREQ_MAX_PAYLOAD),
	    &s), 0);
	assert_int_equal(s.payload_len, CTLREQ_MAX_PAYLOAD);
	dbuf_free(&q.b);
	assert_int_equal(ctlreq_send_decode(send_msg(&q, 0,
	    CTLREQ_MAX_PAYLOAD + 1), &s), -EBADMSG);
	assert_int_equal(s.req_id, 7);
	dbuf_free(&q.b);
	assert_int_equal(ctlreq_send_decode(send_msg(&q, 0, 0), &s), -EBADMSG);
	dbuf_free(&q.b);
}

/* SEND with one attribute of the client's replaced by a bad one. */
static void
test_send_bad_values(void **state)
{
	struct ctlreq_send s;
	struct req q;

	/* TRANSPORT 3, and TCP is fine. */
	req_begin(&q, CTL_SEND);
	ctl_put_u32(&q.b, CTL_A_REQ_ID, 9);
	ctl_put_u8(&q.b, CTL_A_TRANSPORT, 3);
	ctl_put_u16(&q.b, CTL_A_LOCAL_PORT, 5060);
	put_addr(&q, CTL_A_PEER, "2001:db8::7", 1024);
	ctl_put_bytes(&q.b, CTL_A_PAYLOAD, "x", 1);
	assert_int_equal(ctlreq_send_decode(req_end(&q), &s), -EBADMSG);
	assert_int_equal(s.req_id, 9);
	q.b.b[4 + 8 + 4] = CTL_TCP;	/* TRANSPORT's value */
	assert_int_equal(ctl_msg_decode(q.b.b, q.b.len, &q.m), 0);
	assert_int_equal(ctlreq_send_decode(&q.m, &s), 0);
	assert_int_equal(s.transport, CTL_TCP);
	assert_int_equal(s.peer_ip.family, AF_INET6);
	dbuf_free(&q.b);

	/* Ports 0, a REQ_ID 0, a u16 REQ_ID, a TRANSPORT of two bytes. */
	req_begin(&q, CTL_SEND);
	ctl_put_u32(&q.b, CTL_A_REQ_ID, 9);
	ctl_put_u8(&q.b, CTL_A_TRANSPORT, CTL_UDP);
	ctl_put_u16(&q.b, CTL_A_LOCAL_PORT, 0);
	put_addr(&q, CTL_A_PEER, "203.0.113.7", 1024);
	ctl_put_bytes(&q.b, CTL_A_PAYLOAD, "x", 1);
	assert_int_equal(ctlreq_send_decode(req_end(&q), &s), -EBADMSG);
	dbuf_free(&q.b);

	req_begin(&q, CTL_SEND);
	ctl_put_u32(&q.b, CTL_A_REQ_ID, 9);
	ctl_put_u8(&q.b, CTL_A_TRANSPORT, CTL_UDP);
	ctl_put_u16(&q.b, CTL_A_LOCAL_PORT, 5060);
	put_addr(&q, CTL_A_PEER, "203.0.113.7", 0);
	ctl_put_bytes(&q.b, CTL_A_PAYLOAD, "x", 1);
	assert_int_equal(ctlreq_send_decode(req_end(&q), &s), -EBADMSG);
	assert_int_equal(s.req_id, 9);
	dbuf_free(&q.b);

	req_begin(&q, CTL_SEND);
	ctl_put_u32(&q.b, CTL_A_REQ_ID, 0);
	assert_int_equal(ctlreq_send_decode(req_end(&q), &s), -EBADMSG);
	assert_int_equal(s.req_id, 0);
	dbuf_free(&q.b);

	req_begin(&q, CTL_SEND);
	ctl_put_u16(&q.b, CTL_A_REQ_ID, 9);
	assert_int_equal(ctlreq_send_decode(req_end(&q), &s), -EBADMSG);
	assert_int_equal(s.req_id, 0);
	assert_int_equal(ctlreq_req_id(&q.m), 0);
	dbuf_free(&q.b);

	req_begin(&q, CTL_SEND);
	ctl_put_u32(&q.b, CTL_A_REQ_ID, 9);
	ctl_put_u16(&q.b, CTL_A_TRANSPORT, CTL_UDP);
	assert_int_equal(ctlreq_send_decode(req_end(&q), &s), -EBADMSG);
	assert_int_equal(s.req_id, 9);
	dbuf_free(&q.b);
}

static void
test_watch(void **state)
{
	struct ctlreq_watch w;
	struct req q;

	req_begin(&q, CTL_WATCH);
	ctl_put_bytes(&q.b, CTL_A_NONCE, nonce, sizeof(nonce));
	assert_int_equal(ctlreq_watch_decode(req_end(&q), &w), 0);
	assert_memory_equal(w.nonce, nonce, sizeof(nonce));
	dbuf_free(&q.b);

	req_begin(&q, CTL_WATCH);
	ctl_put_bytes(&q.b, CTL_A_NONCE, nonce, 7);
	assert_int_equal(ctlreq_watch_decode(req_end(&q), &w), -EBADMSG);
	dbuf_free(&q.b);

	req_begin(&q, CTL_WATCH);
	assert_int_equal(ctlreq_watch_decode(req_end(&q), &w), -EBADMSG);
	dbuf_free(&q.b);
}

/* A SWEEP with 'n' ranges lo-hi, 10 ports apart. */
static const struct ctl_msg *
sweep_msg(struct req *q, size_t n, uint16_t first, uint16_t width)
{
	uint16_t r[CTLREQ_MAX_RANGES + 8][2];
	size_t i;

	for (i = 0; i < n; i++) {
		r[i][0] = (uint16_t)(first + 10 * i);
		r[i][1] = (uint16_t)(r[i][0] + width);
	}
	req_begin_id(q, CTL_SWEEP, 11);
	assert_int_equal(ctl_put_ranges(&q->b, CTL_A_PORTS,
	    (const uint16_t (*)[2])r, n), 0);
	return req_end(q);
}

static void
test_sweep(void **state)
{
	const uint16_t whole[1][2] = { { 1, 65535 } };
	struct ctlreq_sweep s;
	struct req q;

	assert_int_equal(ctlreq_sweep_decode(sweep_msg(&q, 3, 1000, 4), &s), 0);
	assert_int_equal(s.req_id, 11);
	assert_memory_equal(s.nonce, nonce, sizeof(nonce));
	assert_int_equal(s.nranges, 3);
	assert_int_equal(s.ranges[2][0], 1020);
	assert_int_equal(s.ranges[2][1], 1024);
	assert_int_equal(s.total, 15);
	assert_int_equal(s.has_local_port, 0);
	assert_int_equal(s.has_source, 0);
	dbuf_free(&q.b);

	/* 64 ranges are fine; 65 are refused, not cut to 64. */
	assert_int_equal(ctlreq_sweep_decode(sweep_msg(&q, CTLREQ_MAX_RANGES,
	    1000, 0), &s), 0);
	assert_int_equal(s.nranges, CTLREQ_MAX_RANGES);
	assert_int_equal(s.total, CTLREQ_MAX_RANGES);
	dbuf_free(&q.b);
	assert_int_equal(ctlreq_sweep_decode(sweep_msg(&q, CTLREQ_MAX_RANGES + 1,
	    1000, 0), &s), -EBADMSG);
	assert_int_equal(s.req_id, 11);
	dbuf_free(&q.b);
	assert_int_equal(ctlreq_sweep_decode(sweep_msg(&q, 0, 1000, 0), &s),
	    -EBADMSG);
	dbuf_free(&q.b);

	/* The largest total: 64 times every port. */
	req_begin_id(&q, CTL_SWEEP, 11);
	{
		uint16_t r[CTLREQ_MAX_RANGES][2];
		size_t i;

		for (i = 0; i < CTLREQ_MAX_RANGES; i++) {
			r[i][0] = 1;
			r[i][1] = 65535;
		}
		ctl_put_ranges(&q.b, CTL_A_PORTS, (const uint16_t (*)[2])r,
		    CTLREQ_MAX_RANGES);
	}
	assert_int_equal(ctlreq_sweep_decode(req_end(&q), &s), 0);
	assert_int_equal(s.total, (uint32_t)CTLREQ_MAX_RANGES * 65535);
	dbuf_free(&q.b);

	/* Optional attributes, good and bad. */
	req_begin_id(&q, CTL_SWEEP, 11);
	ctl_put_ranges(&q.b, CTL_A_PORTS, whole, 1);
	ctl_put_u16(&q.b, CTL_A_LOCAL_PORT, 3478);
	put_addr(&q, CTL_A_SOURCE, "198.51.100.1", 0);
	assert_int_equal(ctlreq_sweep_decode(req_end(&q), &s), 0);
	assert_int_equal(s.total, 65535);
	assert_int_equal(s.has_local_port, 1);
	assert_int_equal(s.local_port, 3478);
	assert_int_equal(s.has_source, 1);
	assert_int_equal(s.source.family, AF_INET);
	dbuf_free(&q.b);

	req_begin_id(&q, CTL_SWEEP, 11);
	ctl_put_ranges(&q.b, CTL_A_PORTS, whole, 1);
	ctl_put_u16(&q.b, CTL_A_LOCAL_PORT, 0);
	assert_int_equal(ctlreq_sweep_decode(req_end(&q), &s), -EBADMSG);
	dbuf_free(&q.b);

	req_begin_id(&q, CTL_SWEEP, 11);
	ctl_put_ranges(&q.b, CTL_A_PORTS, whole, 1);
	ctl_put_bytes(&q.b, CTL_A_SOURCE, "\x04\x00\x00\x01\x02\x03", 6);
	assert_int_equal(ctlreq_sweep_decode(req_end(&q), &s), -EBADMSG);
	assert_int_equal(s.req_id, 11);
	dbuf_free(&q.b);

	/* A reversed range, a port 0, a length not a multiple of 4. */
	req_begin_id(&q, CTL_SWEEP, 11);
	ctl_put_bytes(&q.b, CTL_A_PORTS, "\x13\xc5\x13\xc4", 4);
	assert_int_equal(ctlreq_sweep_decode(req_end(&q), &s), -EBADMSG);
	dbuf_free(&q.b);
	req_begin_id(&q, CTL_SWEEP, 11);
	ctl_put_bytes(&q.b, CTL_A_PORTS, "\x00\x00\x13\xc4", 4);
	assert_int_equal(ctlreq_sweep_decode(req_end(&q), &s), -EBADMSG);
	dbuf_free(&q.b);
	req_begin_id(&q, CTL_SWEEP, 11);
	ctl_put_bytes(&q.b, CTL_A_PORTS, "\x13\xc4\x13\xc4\x00", 5);
	assert_int_equal(ctlreq_sweep_decode(req_end(&q), &s), -EBADMSG);
	dbuf_free(&q.b);

	/* Without a NONCE: refused, REQ_ID kept. */
	req_begin(&q, CTL_SWEEP);
	ctl_put_u32(&q.b, CTL_A_REQ_ID, 12);
	ctl_put_ranges(&q.b, CTL_A_PORTS, whole, 1);
	assert_int_equal(ctlreq_sweep_decode(req_end(&q), &s), -EBADMSG);
	assert_int_equal(s.req_id, 12);
	dbuf_free(&q.b);
}

static void
test_connect(void **state)
{
	struct ctlreq_connect c;
	struct req q;

	req_begin_id(&q, CTL_CONNECT, 21);
	put_addr(&q, CTL_A_PEER, "203.0.113.7", 5222);
	put_addr(&q, CTL_A_SOURCE, "2001:db8::1", 0);
	assert_int_equal(ctlreq_connect_decode(req_end(&q), &c), 0);
	assert_int_equal(c.req_id, 21);
	assert_int_equal(c.peer_port, 5222);
	assert_int_equal(c.has_source, 1);
	assert_int_equal(c.source.family, AF_INET6);
	dbuf_free(&q.b);

	req_begin_id(&q, CTL_CONNECT, 21);
	put_addr(&q, CTL_A_PEER, "203.0.113.7", 0);
	assert_int_equal(ctlreq_connect_decode(req_end(&q), &c), -EBADMSG);
	assert_int_equal(c.req_id, 21);
	dbuf_free(&q.b);

	req_begin_id(&q, CTL_CONNECT, 21);
	assert_int_equal(ctlreq_connect_decode(req_end(&q), &c), -EBADMSG);
	dbuf_free(&q.b);
}

/* A MEDIA's values, as the client sends them. */
struct media_vals {
	uint32_t req_id, packets;
	uint16_t ptime, payload, jb;
	int with_tos, with_jb;
};

static const struct media_vals media_ok = {
	.req_id = 31, .packets = 500, .ptime = 20, .payload = 160, .jb = 80,
	.with_tos = 1, .with_jb = 1,
};

/* A MEDIA with 'v', leaving out attribute 'skip' (0: none). */
static const struct ctl_msg *
media_msg(struct req *q, const struct media_vals *v, uint16_t skip)
{
	req_begin(q, CTL_MEDIA);
	if (skip != CTL_A_REQ_ID)
		ctl_put_u32(&q->b, CTL_A_REQ_ID, v->req_id);
	if (skip != CTL_A_LOCAL_PORT)
		ctl_put_u16(&q->b, CTL_A_LOCAL_PORT, 10000);
	if (skip != CTL_A_SSRC)
		ctl_put_u32(&q->b, CTL_A_SSRC, 0x11223344);
	if (skip != CTL_A_MEDIA_KEY)
		ctl_put_u32(&q->b, CTL_A_MEDIA_KEY, 0xcafef00d);
	if (skip != CTL_A_RTP_PT)
		ctl_put_u8(&q->b, CTL_A_RTP_PT, 8);
	if (skip != CTL_A_PTIME)
		ctl_put_u16(&q->b, CTL_A_PTIME, v->ptime);
	if (skip != CTL_A_PAYLOAD_LEN)
		ctl_put_u16(&q->b, CTL_A_PAYLOAD_LEN, v->payload);
	if (skip != CTL_A_PACKETS)
		ctl_put_u32(&q->b, CTL_A_PACKETS, v->packets);
	if (skip != CTL_A_FIRST_SEQ)
		ctl_put_u16(&q->b, CTL_A_FIRST_SEQ, 65535);
	if (v->with_tos)
		ctl_put_u8(&q->b, CTL_A_TOS, 0xb8);
	if (v->with_jb)
		ctl_put_u16(&q->b, CTL_A_JITTER_BUF, v->jb);
	return req_end(q);
}

static int
media_try(const struct media_vals *v, uint16_t skip, struct ctlreq_media *m)
{
	struct req q;
	int r = ctlreq_media_decode(media_msg(&q, v, skip), m);

	dbuf_free(&q.b);
	return r;
}

static void
test_media(void **state)
{
	const uint16_t required[] = { CTL_A_REQ_ID, CTL_A_LOCAL_PORT,
	    CTL_A_SSRC, CTL_A_MEDIA_KEY, CTL_A_RTP_PT, CTL_A_PTIME,
	    CTL_A_PAYLOAD_LEN, CTL_A_PACKETS, CTL_A_FIRST_SEQ };
	struct ctlreq_media m;
	struct media_vals v;
	size_t i;

	assert_int_equal(media_try(&media_ok, 0, &m), 0);
	assert_int_equal(m.req_id, 31);
	assert_int_equal(m.local_port, 10000);
	assert_int_equal(m.ssrc, 0x11223344);
	assert_int_equal(m.key, 0xcafef00d);
	assert_int_equal(m.pt, 8);
	assert_int_equal(m.ptime_ms, 20);
	assert_int_equal(m.payload_len, 160);
	assert_int_equal(m.packets, 500);
	assert_int_equal(m.first_seq, 65535);
	assert_int_equal(m.tos, 0xb8);
	assert_int_equal(m.jb_ms, 80);

	/* TOS and JITTER_BUF are optional: 0 and 60 ms. */
	v = media_ok;
	v.with_tos = v.with_jb = 0;
	assert_int_equal(media_try(&v, 0, &m), 0);
	assert_int_equal(m.tos, 0);
	assert_int_equal(m.jb_ms, CTLREQ_MEDIA_JB_MS);

	/* Each required attribute; the REQ_ID survives the error. */
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		assert_int_equal(media_try(&media_ok, required[i], &m),
		    -EBADMSG);
		assert_int_equal(m.req_id, required[i] == CTL_A_REQ_ID ? 0 :
		    31);
	}
}

static void
test_media_bad_values(void **state)
{
	static const struct {
		uint16_t ptime, payload, jb;
		uint32_t packets;
		int ok;
	} v[] = {
		{ 10, 160, 60, 500, 1 }, { 120, 160, 60, 500, 1 },
		{ 15, 160, 60, 500, 0 }, { 130, 160, 60, 500, 0 },
		{ 0, 160, 60, 500, 0 }, { 5, 160, 60, 500, 0 },
		{ 20, 16, 60, 500, 1 }, { 20, 1280, 60, 500, 1 },
		{ 20, 15, 60, 500, 0 }, { 20, 1281, 60, 500, 0 },
		{ 20, 160, 0, 500, 1 }, { 20, 160, 1000, 500, 1 },
		{ 20, 160, 1001, 500, 0 },
		/* 60 s at most: 3000 packets of 20 ms, 500 of 120 ms. */
		{ 20, 160, 60, 3000, 1 }, { 20, 160, 60, 3001, 0 },
		{ 120, 160, 60, 501, 0 }, { 20, 160, 60, 0, 0 },
		/* A product that would wrap 32 bits. */
		{ 120, 160, 60, 0x80000000u, 0 },
	};
	struct ctlreq_media m;
	struct media_vals mv;
	struct req q;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		mv = media_ok;
		mv.ptime = v[i].ptime;
		mv.payload = v[i].payload;
		mv.jb = v[i].jb;
		mv.packets = v[i].packets;
		if (media_try(&mv, 0, &m) != (v[i].ok ? 0 : -EBADMSG))
			fail_msg("ptime %u payload %u jb %u packets %u: %s",
			    v[i].ptime, v[i].payload, v[i].jb, v[i].packets,
			    v[i].ok ? "refused" : "accepted");
		assert_int_equal(m.req_id, 31);
	}
	mv = media_ok;
	mv.req_id = 0;
	assert_int_equal(media_try(&mv, 0, &m), -EBADMSG);
	assert_int_equal(m.req_id, 0);

	/* Local port 0, payload type 128, a u16 SSRC. */
	req_begin(&q, CTL_MEDIA);
	ctl_put_u32(&q.b, CTL_A_REQ_ID, 31);
	ctl_put_u16(&q.b, CTL_A_LOCAL_PORT, 0);
	ctl_put_u32(&q.b, CTL_A_SSRC, 1);
	ctl_put_u32(&q.b, CTL_A_MEDIA_KEY, 2);
	ctl_put_u8(&q.b, CTL_A_RTP_PT, 0);
	ctl_put_u16(&q.b, CTL_A_PTIME, 20);
	ctl_put_u16(&q.b, CTL_A_PAYLOAD_LEN, 160);
	ctl_put_u32(&q.b, CTL_A_PACKETS, 50);
	ctl_put_u16(&q.b, CTL_A_FIRST_SEQ, 1);
	assert_int_equal(ctlreq_media_decode(req_end(&q), &m), -EBADMSG);
	q.b.b[CTL_HDR_LEN + 8 + 5] = 1;	/* LOCAL_PORT's low byte */
	assert_int_equal(ctl_msg_decode(q.b.b, q.b.len, &q.m), 0);
	assert_int_equal(ctlreq_media_decode(&q.m, &m), 0);
	assert_int_equal(m.local_port, 1);
	q.b.b[CTL_HDR_LEN + 8 + 6 + 8 + 8 + 4] = 128;	/* RTP_PT */
	assert_int_equal(ctl_msg_decode(q.b.b, q.b.len, &q.m), 0);
	assert_int_equal(ctlreq_media_decode(&q.m, &m), -EBADMSG);
	dbuf_free(&q.b);

	req_begin(&q, CTL_MEDIA);
	ctl_put_u32(&q.b, CTL_A_REQ_ID, 31);
	ctl_put_u16(&q.b, CTL_A_LOCAL_PORT, 10000);
	ctl_put_u16(&q.b, CTL_A_SSRC, 1);
	assert_int_equal(ctlreq_media_decode(req_end(&q), &m), -EBADMSG);
	dbuf_free(&q.b);
}

/* The first occurrence counts; unknown attributes are ignored. */
static void
test_first_counts(void **state)
{
	struct ctlreq_connect c;
	struct req q;

	req_begin(&q, CTL_CONNECT);
	ctl_put_bytes(&q.b, 999, "junk", 4);
	ctl_put_u32(&q.b, CTL_A_REQ_ID, 5);
	ctl_put_u32(&q.b, CTL_A_REQ_ID, 6);
	ctl_put_bytes(&q.b, CTL_A_NONCE, nonce, sizeof(nonce));
	put_addr(&q, CTL_A_PEER, "203.0.113.7", 80);
	put_addr(&q, CTL_A_PEER, "203.0.113.8", 0);
	assert_int_equal(ctlreq_connect_decode(req_end(&q), &c), 0);
	assert_int_equal(c.req_id, 5);
	assert_int_equal(c.peer_port, 80);
	assert_int_equal(ctlreq_req_id(&q.m), 5);
	dbuf_free(&q.b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_send),
		cmocka_unit_test(test_send_bad_values),
		cmocka_unit_test(test_watch),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_connect),
		cmocka_unit_test(test_media),
		cmocka_unit_test(test_media_bad_values),
		cmocka_unit_test(test_first_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
