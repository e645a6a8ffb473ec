/* ctlmsg.c - typed decoders for server-to-client control messages. */
#include <errno.h>
#include <string.h>

#include "ctlmsg.h"

/* An optional ranges attribute; absent leaves *n at 0. */
static int
ctlmsg_ranges(const struct ctl_msg *m, uint16_t type, uint16_t (*r)[2],
    size_t *n)
{
	int rc;

	*n = 0;
	if ((rc = ctl_get_ranges(m, type, r, CTLMSG_MAX_RANGES, n)) == -ENOENT)
		return 0;
	return rc < 0 ? -EBADMSG : 0;
}

/* An optional scalar: 0 when present and well formed or absent. */
static int
ctlmsg_optional(int rc)
{
	return rc == 0 || rc == -ENOENT ? 0 : -EBADMSG;
}

int
ctl_welcome_decode(const struct ctl_msg *m, struct ctl_welcome *w)
{
	size_t i;
	uint16_t port;
	int r;

	memset(w, 0, sizeof(*w));
	if (m->type != CTL_WELCOME ||
	    ctl_get_fixed(m, CTL_A_TOKEN, w->token, CTL_TOKEN_LEN) < 0 ||
	    ctl_get_addr(m, CTL_A_OBSERVED, &w->observed_ip,
	    &w->observed_port) < 0)
		return -EBADMSG;
	for (i = 0; i < m->nattr; i++) {
		const struct ctl_attr *a = &m->attr[i];

		if (a->type != CTL_A_SERVER_ADDRS)
			continue;
		if (w->nserver_addrs == CTLMSG_MAX_ADDRS)
			break;
		if (ctl_attr_addr(a, &w->server_addrs[w->nserver_addrs],
		    &port) < 0)
			return -EBADMSG;
		w->nserver_addrs++;
	}
	if ((r = ctlmsg_optional(ctl_get_u16(m, CTL_A_STUN_PORT,
	    &w->stun_port))) < 0 ||
	    (r = ctlmsg_optional(ctl_get_u32(m, CTL_A_MAX_PROBES,
	    &w->max_probes))) < 0 ||
	    (r = ctlmsg_optional(ctl_get_u32(m, CTL_A_MAX_SECONDS,
	    &w->max_seconds))) < 0 ||
	    (r = ctlmsg_ranges(m, CTL_A_UDP_PORTS, w->udp_ports,
	    &w->nudp_ports)) < 0 ||
	    (r = ctlmsg_ranges(m, CTL_A_TCP_PORTS, w->tcp_ports,
	    &w->ntcp_ports)) < 0 ||
	    (r = ctlmsg_ranges(m, CTL_A_HTTP_PORTS, w->http_ports,
	    &w->nhttp_ports)) < 0 ||
	    (r = ctlmsg_ranges(m, CTL_A_XMPP_PORTS, w->xmpp_ports,
	    &w->nxmpp_ports)) < 0 ||
	    (r = ctlmsg_ranges(m, CTL_A_TLS_PORTS, w->tls_ports,
	    &w->ntls_ports)) < 0 ||
	    (r = ctlmsg_ranges(m, CTL_A_MEDIA_PORTS, w->media_ports,
	    &w->nmedia_ports)) < 0)
		return r;
	if ((r = ctl_get_fixed(m, CTL_A_CERT_SHA256, w->cert_sha256,
	    sizeof(w->cert_sha256))) == 0)
		w->have_cert = 1;
	else if (r != -ENOENT)
		return -EBADMSG;
	return 0;
}

int
ctl_seen_decode(const struct ctl_msg *m, struct ctl_seen *s)
{
	uint8_t u8;

	memset(s, 0, sizeof(*s));
	s->tos = -1;
	if (m->type != CTL_SEEN ||
	    ctl_get_fixed(m, CTL_A_NONCE, s->nonce, CTL_NONCE_LEN) < 0 ||
	    ctl_get_u8(m, CTL_A_TRANSPORT, &u8) < 0 ||
	    (u8 != CTL_UDP && u8 != CTL_TCP) ||
	    ctl_get_u16(m, CTL_A_LOCAL_PORT, &s->local_port) < 0 ||
	    ctl_get_addr(m, CTL_A_PEER, &s->peer_ip, &s->peer_port) < 0 ||
	    ctl_get_bytes(m, CTL_A_PAYLOAD, &s->payload, &s->len) < 0 ||
	    ctlmsg_optional(ctl_get_u32(m, CTL_A_FLAGS, &s->flags)) < 0)
		return -EBADMSG;
	s->transport = u8;
	if (s->flags & CTL_F_TOS_VALID) {
		if (ctl_get_u8(m, CTL_A_TOS, &u8) < 0)
			return -EBADMSG;
		s->tos = u8;
	}
	return 0;
}

int
ctl_answer_decode(const struct ctl_msg *m, struct ctl_answer *a)
{
	const struct ctl_attr *reason;
	const uint8_t *p;
	struct cursor c;
	uint16_t code = 0;
	size_t i, n;
	int r;

	memset(a, 0, sizeof(*a));
	if (m->type != CTL_SENT && m->type != CTL_ERROR)
		return -EINVAL;
	if ((r = ctl_get_u32(m, CTL_A_REQ_ID, &a->req_id)) < 0 &&
	    (r != -ENOENT || m->type == CTL_SENT))
		return -EBADMSG;
	if (m->type == CTL_SENT) {
		int r1 = ctl_get_u32(m, CTL_A_SSRC, &a->ssrc);
		int r2 = ctl_get_u16(m, CTL_A_FIRST_SEQ, &a->first_seq);

		if ((r1 < 0 && r1 != -ENOENT) || (r2 < 0 && r2 != -ENOENT) ||
		    (r1 == 0) != (r2 == 0))
			return -EBADMSG;
		a->has_media = r1 == 0;
		return a->req_id != 0 ? 0 : -EBADMSG;
	}
	if ((r = ctl_get_u16(m, CTL_A_CODE, &code)) < 0 && r != -ENOENT)
		return -EBADMSG;
	a->code = code != 0 ? code : CTL_E_INTERNAL;
	if ((reason = ctl_msg_get(m, CTL_A_REASON)) != NULL) {
		n = reason->len < sizeof(a->reason) - 1 ? reason->len :
		    sizeof(a->reason) - 1;
		cur_init(&c, reason->val, reason->len);
		if (cur_ref(&c, &p, n) < 0)
			return -EBADMSG;
		for (i = 0; i < n; i++)
			a->reason[i] = p[i] >= 0x20 && p[i] < 0x7f ?
			    (char)p[i] : '?';
		a->reason[n] = '\0';
	}
	return 0;
}

int
ctl_media_stats_decode(const struct ctl_msg *m, struct ctl_media_stats *s)
{
	int r;

	memset(s, 0, sizeof(*s));
	if (m->type != CTL_MEDIA_STATS)
		return -EINVAL;
	if (ctl_get_u32(m, CTL_A_REQ_ID, &s->req_id) < 0 || s->req_id == 0)
		return -EBADMSG;
	if ((r = ctl_get_addr(m, CTL_A_PEER, &s->peer_ip, &s->peer_port)) < 0 &&
	    r != -ENOENT)
		return -EBADMSG;
	s->has_peer = r == 0;
	return rtp_side_get(m, &s->side) < 0 ? -EBADMSG : 0;
}

/* Printable ASCII without spaces, at least one byte. */
static int
ctlmsg_token_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s > '~')
			return 0;
	return 1;
}

int
ctl_relay_creds_decode(const struct ctl_msg *m, struct ctl_relay_creds *c)
{
	memset(c, 0, sizeof(*c));
	if (m->type != CTL_RELAY_CREDS)
		return -EINVAL;
	if (ctl_get_u32(m, CTL_A_REQ_ID, &c->req_id) < 0 || c->req_id == 0 ||
	    ctl_get_str(m, CTL_A_TURN_USER, c->user, sizeof(c->user)) < 0 ||
	    ctl_get_str(m, CTL_A_TURN_PASS, c->pass, sizeof(c->pass)) < 0 ||
	    ctl_get_u32(m, CTL_A_LIFETIME, &c->lifetime) < 0 ||
	    !ctlmsg_token_ok(c->user) || !ctlmsg_token_ok(c->pass) ||
	    c->lifetime == 0 || c->lifetime > 86400)
		return -EBADMSG;
	return 0;
}
