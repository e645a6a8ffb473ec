/*
 * ctlcli_req.c - the requests a session makes of pinholed (WATCH, SEND,
 * SWEEP, CONNECT, MEDIA, RELAY, PING) and what the checks find of the
 * answers.
 */
#include <errno.h>
#include <string.h>

#include "ctlcli_priv.h"
#include "ctlreq.h"
#include "log.h"

int
ctlcli_in_ranges(const uint16_t (*r)[2], size_t n, uint16_t port)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (port >= r[i][0] && port <= r[i][1])
			return 1;
	return 0;
}

int
ctlcli_has_port(const struct ctlcli *c, int transport, uint16_t port)
{
	return transport == CTL_UDP ?
	    ctlcli_in_ranges((const uint16_t (*)[2])c->w.udp_ports,
	    c->w.nudp_ports, port) :
	    ctlcli_in_ranges((const uint16_t (*)[2])c->w.tcp_ports,
	    c->w.ntcp_ports, port);
}

int
ctlcli_watch(struct ctlcli *c, const uint8_t nonce[CTL_NONCE_LEN])
{
	struct dbuf b;
	size_t start;
	int r;

	if ((r = ctlstore_watch(&c->store, nonce)) < 0)
		return r;
	dbuf_init(&b, 64);
	if ((r = ctl_enc_begin(&b, CTL_WATCH, &start)) == 0 &&
	    (r = ctl_put_bytes(&b, CTL_A_NONCE, nonce, CTL_NONCE_LEN)) == 0 &&
	    (r = ctl_enc_end(&b, start)) == 0)
		r = ctlcli_write(c, &b);
	dbuf_free(&b);
	return r;
}

int
ctlcli_send(struct ctlcli *c, int transport, uint16_t local_port,
    uint16_t peer_port, const void *payload, size_t len)
{
	uint32_t id = c->next_req++;
	struct dbuf b;
	size_t start;
	int r;

	dbuf_init(&b, CTL_MAX_BODY);
	if ((r = ctl_enc_begin(&b, CTL_SEND, &start)) == 0 &&
	    (r = ctl_put_u32(&b, CTL_A_REQ_ID, id)) == 0 &&
	    (r = ctl_put_u8(&b, CTL_A_TRANSPORT, (uint8_t)transport)) == 0 &&
	    (r = ctl_put_u16(&b, CTL_A_LOCAL_PORT, local_port)) == 0 &&
	    (r = ctl_put_addr(&b, CTL_A_PEER, &c->w.observed_ip, peer_port)) == 0 &&
	    (r = ctl_put_bytes(&b, CTL_A_PAYLOAD, payload, len)) == 0 &&
	    (r = ctl_enc_end(&b, start)) == 0)
		r = ctlcli_write(c, &b);
	dbuf_free(&b);
	log_debug("ctl: #%u: the server sends %zu bytes over %s from its "
	    "port %u to %u", id, len, transport == CTL_TCP ? "TCP" : "UDP",
	    local_port, peer_port);
	return r < 0 ? r : (int)id;
}

int
ctlcli_sweep(struct ctlcli *c, const uint8_t nonce[CTL_NONCE_LEN],
    const uint16_t (*ranges)[2], size_t n, const struct net_ip *source,
    uint16_t local_port)
{
	uint32_t id = c->next_req++;
	struct dbuf b;
	size_t start;
	int r;

	dbuf_init(&b, CTL_MAX_BODY);
	if ((r = ctl_enc_begin(&b, CTL_SWEEP, &start)) == 0 &&
	    (r = ctl_put_u32(&b, CTL_A_REQ_ID, id)) == 0 &&
	    (r = ctl_put_bytes(&b, CTL_A_NONCE, nonce, CTL_NONCE_LEN)) == 0 &&
	    (r = ctl_put_ranges(&b, CTL_A_PORTS, ranges, n)) == 0 &&
	    (local_port == 0 ||
	    (r = ctl_put_u16(&b, CTL_A_LOCAL_PORT, local_port)) == 0) &&
	    (source == NULL ||
	    (r = ctl_put_addr(&b, CTL_A_SOURCE, source, 0)) == 0) &&
	    (r = ctl_enc_end(&b, start)) == 0)
		r = ctlcli_write(c, &b);
	dbuf_free(&b);
	log_debug("ctl: #%u: the server sweeps %zu port range%s from %u "
	    "up", id, n, n == 1 ? "" : "s", n ? ranges[0][0] : 0);
	return r < 0 ? r : (int)id;
}

int
ctlcli_connect(struct ctlcli *c, const uint8_t nonce[CTL_NONCE_LEN],
    uint16_t port, const struct net_ip *source)
{
	uint32_t id = c->next_req++;
	struct dbuf b;
	size_t start;
	int r;

	dbuf_init(&b, 128);
	if ((r = ctl_enc_begin(&b, CTL_CONNECT, &start)) == 0 &&
	    (r = ctl_put_u32(&b, CTL_A_REQ_ID, id)) == 0 &&
	    (r = ctl_put_bytes(&b, CTL_A_NONCE, nonce, CTL_NONCE_LEN)) == 0 &&
	    (r = ctl_put_addr(&b, CTL_A_PEER, &c->w.observed_ip, port)) == 0 &&
	    (source == NULL ||
	    (r = ctl_put_addr(&b, CTL_A_SOURCE, source, 0)) == 0) &&
	    (r = ctl_enc_end(&b, start)) == 0)
		r = ctlcli_write(c, &b);
	dbuf_free(&b);
	log_debug("ctl: #%u: the server connects to TCP port %u", id, port);
	return r < 0 ? r : (int)id;
}

int
ctlcli_media(struct ctlcli *c, const struct ctlreq_media *q)
{
	uint32_t id = c->next_req++;
	struct dbuf b;
	size_t start;
	int r;

	dbuf_init(&b, 128);
	if ((r = ctl_enc_begin(&b, CTL_MEDIA, &start)) == 0 &&
	    (r = ctl_put_u32(&b, CTL_A_REQ_ID, id)) == 0 &&
	    (r = ctl_put_u16(&b, CTL_A_LOCAL_PORT, q->local_port)) == 0 &&
	    (r = ctl_put_u32(&b, CTL_A_SSRC, q->ssrc)) == 0 &&
	    (r = ctl_put_u32(&b, CTL_A_MEDIA_KEY, q->key)) == 0 &&
	    (r = ctl_put_u8(&b, CTL_A_RTP_PT, q->pt)) == 0 &&
	    (r = ctl_put_u16(&b, CTL_A_PTIME, q->ptime_ms)) == 0 &&
	    (r = ctl_put_u16(&b, CTL_A_PAYLOAD_LEN, q->payload_len)) == 0 &&
	    (r = ctl_put_u32(&b, CTL_A_PACKETS, q->packets)) == 0 &&
	    (r = ctl_put_u16(&b, CTL_A_FIRST_SEQ, q->first_seq)) == 0 &&
	    (r = ctl_put_u8(&b, CTL_A_TOS, q->tos)) == 0 &&
	    (r = ctl_put_u16(&b, CTL_A_JITTER_BUF, q->jb_ms)) == 0 &&
	    (q->flags == 0 ||
	    (r = ctl_put_u32(&b, CTL_A_FLAGS, q->flags)) == 0) &&
	    (r = ctl_enc_end(&b, start)) == 0)
		r = ctlcli_write(c, &b);
	dbuf_free(&b);
	return r < 0 ? r : (int)id;
}

int
ctlcli_relay(struct ctlcli *c)
{
	uint32_t id = c->next_req++;
	struct dbuf b;
	size_t start;
	int r;

	dbuf_init(&b, 32);
	if ((r = ctl_enc_begin(&b, CTL_RELAY, &start)) == 0 &&
	    (r = ctl_put_u32(&b, CTL_A_REQ_ID, id)) == 0 &&
	    (r = ctl_enc_end(&b, start)) == 0)
		r = ctlcli_write(c, &b);
	dbuf_free(&b);
	log_debug("ctl: #%u: credentials for the relays", id);
	return r < 0 ? r : (int)id;
}

const struct ctl_relay_creds *
ctlcli_relay_creds(const struct ctlcli *c, uint32_t req_id)
{
	return req_id != 0 && c->relay.req_id == req_id ? &c->relay : NULL;
}

const struct ctl_media_stats *
ctlcli_mstats_find(const struct ctlcli *c, uint32_t req_id)
{
	return ctlstore_mstats_find(&c->store, req_id);
}

const struct ctl_seen *
ctlcli_seen_find(const struct ctlcli *c, const uint8_t nonce[CTL_NONCE_LEN])
{
	return ctlstore_seen_find(&c->store, nonce);
}

const struct ctl_answer *
ctlcli_result_find(const struct ctlcli *c, uint32_t req_id)
{
	return ctlstore_result_find(&c->store, req_id);
}

size_t
ctlcli_nseen(const struct ctlcli *c)
{
	return c->store.nseen;
}

const struct ctl_seen *
ctlcli_seen_at(const struct ctlcli *c, size_t i)
{
	return i < c->store.nseen ? &c->store.seen[i] : NULL;
}

static int
ctlcli_pong_h(void *arg)
{
	struct ctlcli *c = arg;

	return c->pongs >= c->pings;
}

int
ctlcli_sync(struct ctlcli *c, int timeout_ms)
{
	struct dbuf b;
	size_t start;
	int r;

	dbuf_init(&b, 16);
	if ((r = ctl_enc_begin(&b, CTL_PING, &start)) == 0 &&
	    (r = ctl_enc_end(&b, start)) == 0)
		r = ctlcli_write(c, &b);
	dbuf_free(&b);
	if (r < 0)
		return r;
	c->pings++;
	return loop_wait(c->loop, ctlcli_pong_h, c, timeout_ms);
}
