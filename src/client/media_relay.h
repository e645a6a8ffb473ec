/* media_relay.h - a media stream through a TURN relay (media_relay.c). */
#ifndef PINHOLE_MEDIA_RELAY_H
#define PINHOLE_MEDIA_RELAY_H

#include "media.h"

struct relay_conn;

/*
 * Makes 'st' (its q set) travel over 'rc''s channel, which relay_bind()
 * bound to the server's media port; 'rc' stays the caller's, open until
 * the run has ended.  Allocates what the run keeps.  0 or -errno.
 */
int media_stream_open_relay(struct media_stream *st, struct relay_conn *rc);

#endif
