/*
 * stunsrv.c - STUN Binding responder (RFC 5389), under the amplification
 * rule: a source that is not a session's client never gets more bytes
 * back than it sent, nor more than one datagram per datagram.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "config.h"
#include "server.h"
#include "stun.h"

/*
 * Builds the answer with as many optional attributes as 'level' allows
 * (2: RESPONSE-ORIGIN and SOFTWARE, 1: RESPONSE-ORIGIN, 0: none).
 */
static int
stunsrv_build(struct dbuf *b, const struct stun_msg *req,
    const struct sockaddr *peer, const struct sockaddr *local, int level)
{
	int r;

	dbuf_reset(b);
	if (req->nunknown > 0) {
		if ((r = stun_enc_begin(b, STUN_BINDING_ERROR, req->tid)) < 0 ||
		    (r = stun_enc_error(b, 420, "Unknown Attribute")) < 0)
			return r;
		for (size_t i = 0; i < req->nunknown; i++) {
			uint8_t v[2] = { (uint8_t)(req->unknown[i] >> 8),
			    (uint8_t)req->unknown[i] };

			if ((r = stun_enc_bytes(b, STUN_A_UNKNOWN_ATTRIBUTES,
			    v, 2)) < 0)
				return r;
		}
	} else if ((req->present & STUN_HAS_CHANGE_REQ) &&
	    (req->change_request & (STUN_CHANGE_IP | STUN_CHANGE_PORT))) {
		/* RFC 5780 7.2: no alternate address configured. */
		if ((r = stun_enc_begin(b, STUN_BINDING_ERROR, req->tid)) < 0 ||
		    (r = stun_enc_error(b, 420, "No alternate address")) < 0)
			return r;
	} else {
		if ((r = stun_enc_begin(b, STUN_BINDING_SUCCESS, req->tid)) < 0 ||
		    (r = stun_enc_addr(b, STUN_A_XOR_MAPPED_ADDRESS, peer,
		    req->tid)) < 0)
			return r;
		if (level >= 1 && local != NULL &&
		    (r = stun_enc_addr(b, STUN_A_RESPONSE_ORIGIN, local,
		    req->tid)) < 0)
			return r;
		if (level >= 2 && (r = stun_enc_bytes(b, STUN_A_SOFTWARE,
		    "pinholed " PINHOLE_VERSION,
		    strlen("pinholed " PINHOLE_VERSION))) < 0)
			return r;
	}
	return stun_enc_finish(b, NULL, 0, level >= 1 &&
	    (req->present & STUN_HAS_FINGERPRINT));
}

void
stunsrv_h(evutil_socket_t fd, short what, void *arg)
{
	struct listener *l = arg;
	struct server *s = l->srv;
	uint8_t buf[STUN_MAX_MSG];
	struct srv_dgram d;
	struct stun_msg req;
	struct dbuf b;
	int i, level, validated;
	ssize_t n;

	dbuf_init(&b, STUN_MAX_MSG);
	for (i = 0; i < 64; i++) {
		if ((n = listen_recv(fd, buf, sizeof(buf), &d)) < 0)
			break;
		validated = session_validated(s, &d.peer_ip);
		if (!validated) {
			s->cnt.unval_in_bytes += (uint64_t)n;
			s->cnt.unval_in_pkts++;
		}
		if (!stun_is_stun(buf, (size_t)n) ||
		    stun_msg_decode(buf, (size_t)n, &req) < 0 ||
		    req.type != STUN_BINDING_REQUEST)
			continue;
		if (!validated && !rate_take(&s->stun_rate, &d.peer_ip, srv_now_ms()))
			continue;
		for (level = 2; level >= 0; level--) {
			if (stunsrv_build(&b, &req, (struct sockaddr *)&d.peer,
			    d.have_local ? (struct sockaddr *)&d.local : NULL,
			    level) < 0)
				continue;
			if (validated || b.len <= (size_t)n)
				break;
		}
		if (level < 0)
			continue;	/* even the bare answer is too big */
		if (sendto(fd, b.b, b.len, 0, (struct sockaddr *)&d.peer,
		    d.peer_len) < 0)
			continue;
		if (!validated) {
			s->cnt.unval_out_bytes += b.len;
			s->cnt.unval_out_pkts++;
		}
	}
	dbuf_free(&b);
}
