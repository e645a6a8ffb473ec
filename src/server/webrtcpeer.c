/*
 * webrtcpeer.c - what every part of the WebRTC peer stands on: a
 * session's peer, and sending on its selected pair (UDP, or the ICE-TCP
 * connection with RFC 4571 framing).  It calls none of them, so calls run
 * one way: webrtcsrv.c, then webrtcice.c, then webrtcmedia.c, then here.
 */
#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "session.h"
#include "webrtcpeer.h"

struct wpeer *
wpeer_find(struct session *ss)
{
	struct session_child *ch;

	for (ch = ss->children; ch != NULL; ch = ch->next)
		if (ch->kind == SCH_WEBRTC)
			return wpeer_of(ch);
	return NULL;
}

/* Everything leaves from the selected pair's port to its peer. */
void
wpeer_send(void *arg, const uint8_t *buf, size_t n)
{
	struct wpeer *p = arg;
	uint8_t hdr[2] = { (uint8_t)(n >> 8), (uint8_t)n };

	if (!p->have_pair)
		return;
	if (p->pair_tcp) {
		if (p->tcp != NULL && conn_write(p->tcp, hdr, 2) == 0)
			(void)conn_write(p->tcp, buf, n);
		return;
	}
	(void)listen_send(p->l, p->have_local ?
	    (const struct sockaddr *)&p->local : NULL,
	    (const struct sockaddr *)&p->peer, p->peer_len, buf, n);
}
