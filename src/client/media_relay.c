/*
 * media_relay.c - a media stream through a TURN relay's channel: the
 * transport (media.h, struct media_tr) that lets media.c's run pace and
 * measure a call through a relay as it does a direct one.
 */
#include "media.h"
#include "media_relay.h"
#include "relay.h"

static int
media_relay_send(struct media_stream *st, const void *p, size_t n)
{
	return relay_send(st->tr_arg, p, n);
}

/*
 * Everything the relay has for us now, framed; each stamped on arrival
 * (no kernel time through a stream, and no TOS: the relay's own).
 */
static void
media_relay_recv(struct media_stream *st, int64_t rt_off)
{
	uint8_t buf[RELAY_FRAME_MAX];
	int n;

	(void)rt_off;
	/* 1 ms: relay_recv() polls before it reads, and a TLS record
	 * already read shows no more on the socket. */
	while ((n = relay_recv(st->tr_arg, buf, sizeof(buf), 1)) > 0)
		media_take(st, buf, (size_t)n, media_now_us(), 0);
}

/* The relay stays open: its owner closes it. */
static const struct media_tr media_tr_relay = {
	.send = media_relay_send,
	.recv = media_relay_recv,
};

int
media_stream_open_relay(struct media_stream *st, struct relay_conn *rc)
{
	int r;

	if ((r = media_stream_alloc(st)) < 0)
		return r;
	st->fd = rc->fd;
	st->tr = &media_tr_relay;
	st->tr_arg = rc;
	return 0;
}
