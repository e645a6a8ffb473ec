/*
 * reachin_tcp.c - inbound TCP: we listen on each port of the range and the
 * server connects to our public address (CTL_CONNECT), writing a line with
 * our nonce; the server says whether a connection it could not make was
 * refused or timed out.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "reachin.h"

#define RI_MAX_TCP	64

struct ri_tcp {
	struct check_ctx *ctx;
	int lfd[RI_MAX_TCP];
	struct event *ev[RI_MAX_TCP];
	uint16_t port[RI_MAX_TCP];
	int id[RI_MAX_TCP];
	int got[RI_MAX_TCP];
	size_t n;
	char hex[2 * CTL_NONCE_LEN + 1];
};

static void
ri_accept_h(evutil_socket_t fd, short what, void *arg)
{
	struct ri_tcp *t = arg;
	char line[64];
	size_t i;
	ssize_t n;
	int c;

	(void)what;
	if ((c = accept4(fd, NULL, NULL, SOCK_CLOEXEC)) < 0)
		return;
	/* The server writes its line as soon as it is connected. */
	(void)setsockopt(c, SOL_SOCKET, SO_RCVTIMEO,
	    &(struct timeval){ 1, 0 }, sizeof(struct timeval));
	n = recv(c, line, sizeof(line) - 1, 0);
	close(c);
	if (n < 16 + 2 * CTL_NONCE_LEN)
		return;
	line[n] = '\0';
	if (strncmp(line, "PINHOLE-CONNECT ", 16) != 0 ||
	    strncmp(line + 16, t->hex, 2 * CTL_NONCE_LEN) != 0)
		return;
	for (i = 0; i < t->n; i++)
		if (t->lfd[i] == fd)
			t->got[i] = 1;
}

static int
ri_tcp_done_h(void *arg)
{
	struct ri_tcp *t = arg;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->id[i] > 0 && !t->got[i] &&
		    ctlcli_result_find(t->ctx->ctl, (uint32_t)t->id[i]) == NULL)
			return 0;
	return 1;
}

void
reachin_tcp(struct check_ctx *ctx, const struct profile *p,
    const struct profile_endpoint *e, const char *id)
{
	struct ri_tcp t;
	struct portset open, blocked, busy, untried;
	struct sockaddr_storage ss;
	uint8_t nonce[CTL_NONCE_LEN];
	char ol[512], bl[512], ul[512], nl[512], remedy[256];
	long long t0 = loop_now_ms(ctx->loop);
	struct net_ip any;
	json_t *ev, *why;
	unsigned port;
	socklen_t len;
	size_t i;
	int one = 1, fd;
	struct report_check *c;

	memset(&t, 0, sizeof(t));
	t.ctx = ctx;
	portset_clear(&open);
	portset_clear(&blocked);
	portset_clear(&busy);
	portset_clear(&untried);
	if (check_random(nonce, sizeof(nonce)) < 0)
		return;
	check_hex(nonce, sizeof(nonce), t.hex);
	/* The server connects back in the family of the session. */
	net_ip_any(ctx->server_ip.family, &any);
	for (port = e->port_lo; port <= e->port_hi && t.n < RI_MAX_TCP; port++) {
		len = net_sa_from_ip(&any, (uint16_t)port, &ss);
		fd = socket(any.family, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
		if (fd >= 0)
			(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
			    sizeof(one));
		if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) < 0 ||
		    listen(fd, 8) < 0) {
			if (fd >= 0)
				close(fd);
			portset_add(&busy, (uint16_t)port);
			continue;
		}
		t.lfd[t.n] = fd;
		t.port[t.n] = (uint16_t)port;
		t.ev[t.n] = event_new(ctx->loop->base, fd, EV_READ | EV_PERSIST,
		    ri_accept_h, &t);
		if (t.ev[t.n] != NULL)
			event_add(t.ev[t.n], NULL);
		t.id[t.n] = ctlcli_connect(ctx->ctl, nonce, (uint16_t)port,
		    NULL);
		t.n++;
	}
	(void)loop_wait(ctx->loop, ri_tcp_done_h, &t, 5000);
	why = json_array();
	for (i = 0; i < t.n; i++) {
		const struct ctl_answer *res = ctlcli_result_find(ctx->ctl,
		    (uint32_t)t.id[i]);

		if (t.got[i]) {
			portset_add(&open, t.port[i]);
			continue;
		}
		/* Only a connection the server made (SENT) or tried (502)
		 * says anything about the network; a refusal of its own
		 * (a cap, or no answer at all) leaves the port untried. */
		if (res == NULL || (res->code != 0 &&
		    res->code != CTL_E_UNREACHABLE))
			portset_add(&untried, t.port[i]);
		else
			portset_add(&blocked, t.port[i]);
		json_array_append_new(why, json_pack("{s:i, s:s}", "port",
		    t.port[i], "server_says", res == NULL ? "no answer" :
		    res->code == 0 ? "connected, but not to us" : res->reason));
	}
	for (i = 0; i < t.n; i++) {
		if (t.ev[i] != NULL)
			event_free(t.ev[i]);
		close(t.lfd[i]);
	}
	portset_format(&open, ol, sizeof(ol));
	portset_format(&blocked, bl, sizeof(bl));
	portset_format(&busy, ul, sizeof(ul));
	portset_format(&untried, nl, sizeof(nl));
	ev = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "profile",
	    p->name, "endpoint", e->name, "spoken",
	    "TCP connections from the server to our public address",
	    "open", ol, "blocked", bl, "blocked_detail", why, "device",
	    profile_device(p, e));
	snprintf(remedy, sizeof(remedy), "Let these TCP ports in from the "
	    "provider's ranges to those of %s that serve them.",
	    profile_device(p, e));
	if (busy.count > 0)
		json_object_set_new(ev, "untestable", json_string(ul));
	if (untried.count > 0)
		json_object_set_new(ev, "untried", json_string(nl));
	if (untried.count > 0 && blocked.count == 0)
		c = report_add(ctx->report, id, "Reachability", VERDICT_ERROR, ev,
		    NULL, "not concluded: the server did not try ports %s "
		    "(see blocked_detail); open %s", nl, ol[0] ? ol : "none");
	else if (t.n == 0)
		c = report_add(ctx->report, id, "Reachability", VERDICT_SKIP, ev,
		    NULL, "not measured: ports %s are in use here", ul);
	else if (blocked.count > 0)
		c = report_add(ctx->report, id, "Reachability", VERDICT_FAIL, ev,
		    remedy, "inbound TCP: open %s; blocked %s", ol[0] ? ol : "none", bl);
	else
		c = report_add(ctx->report, id, "Reachability", VERDICT_PASS, ev,
		    NULL, "inbound TCP open on %s", ol);
	if (c != NULL)
		c->duration_s = loop_since_s(ctx->loop, t0);
}
