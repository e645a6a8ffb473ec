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
	uint8_t buf[STUN_MAX_MSG], cbuf[256];
	struct sockaddr_storage peer, local;
	struct iovec iov = { buf, sizeof(buf) };
	struct stun_msg req;
	struct msghdr mh;
	struct cmsghdr *cm;
	struct net_ip ip;
	struct dbuf b;
	socklen_t llen = sizeof(local);
	int i, level, validated, have_local;
	ssize_t n;

	dbuf_init(&b, STUN_MAX_MSG);
	for (i = 0; i < 64; i++) {
		memset(&mh, 0, sizeof(mh));
		mh.msg_name = &peer;
		mh.msg_namelen = sizeof(peer);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		if ((n = recvmsg(fd, &mh, MSG_DONTWAIT)) < 0)
			break;
		net_ip_from_sa((struct sockaddr *)&peer, &ip, NULL);
		validated = session_validated(s, &ip);
		if (!validated) {
			s->cnt.unval_in_bytes += (uint64_t)n;
			s->cnt.unval_in_pkts++;
		}
		if (!stun_is_stun(buf, (size_t)n) ||
		    stun_msg_decode(buf, (size_t)n, &req) < 0 ||
		    req.type != STUN_BINDING_REQUEST)
			continue;
		/* Where it arrived: the listener's address, or IP_PKTINFO. */
		have_local = getsockname(fd, (struct sockaddr *)&local, &llen) == 0;
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_level == IPPROTO_IP &&
			    cm->cmsg_type == IP_PKTINFO && local.ss_family == AF_INET) {
				struct in_pktinfo pi;

				memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
				((struct sockaddr_in *)&local)->sin_addr =
				    pi.ipi_addr;
			}
		}
		if (!validated && !rate_take(&s->stun_rate, &ip, srv_now_ms()))
			continue;
		for (level = 2; level >= 0; level--) {
			if (stunsrv_build(&b, &req, (struct sockaddr *)&peer,
			    have_local ? (struct sockaddr *)&local : NULL,
			    level) < 0)
				continue;
			if (validated || b.len <= (size_t)n)
				break;
		}
		if (level < 0)
			continue;	/* even the bare answer is too big */
		if (sendto(fd, b.b, b.len, 0, (struct sockaddr *)&peer,
		    mh.msg_namelen) < 0)
			continue;
		if (!validated) {
			s->cnt.unval_out_bytes += b.len;
			s->cnt.unval_out_pkts++;
		}
	}
	dbuf_free(&b);
}
