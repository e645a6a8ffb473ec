/*
 * ctlcli_priv.h - the fields of a session, for the two files that make it
 * (ctlcli.c, the connection; ctlcli_req.c, the requests).  Nothing else
 * includes this: the checks use ctlcli.h.
 */
#ifndef PINHOLE_CTLCLI_PRIV_H
#define PINHOLE_CTLCLI_PRIV_H

#include "buf.h"
#include "ctlcli.h"
#include "ctlstore.h"
#include "loop.h"

struct ctlcli {
	struct loop *loop;
	struct bufferevent *bev;
	struct event *keepalive;	/* while open */
	struct sockaddr_storage server;
	socklen_t server_len;
	struct sockaddr_storage local;	/* our end of the control connection */
	int version;			/* the session's; or the server's, refused */

	struct ctl_welcome w;		/* what WELCOME announced */
	long long opened_ms;		/* when WELCOME arrived */

	int state;			/* enum in ctlcli.c */
	int error;			/* -errno once the session failed */
	char errmsg[256];

	struct ctlstore store;		/* what the server reported */
	struct ctl_relay_creds relay;	/* the last RELAY_CREDS, or req_id 0;
					   the password is never logged */
	uint32_t next_req;
	uint32_t pings, pongs;
	long long last_write_ms;	/* for keepalive PINGs */
	struct ssl_ctx_st *tls;
	const char *tls_host;
};

/*
 * Queues 'b' toward the server (ctlcli.c).  0, the session's error, or
 * -ENOBUFS when the server does not read (which fails the session).
 */
int ctlcli_write(struct ctlcli *c, const struct dbuf *b);

#endif
