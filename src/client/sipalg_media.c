/*
 * sipalg_media.c - an ALG that moves the SDP's media port: does it forward
 * the new port to the phone?  The far end sends its media to the address
 * and port it reads in the phone's SDP.  Where an ALG wrote another port
 * there, calls are heard only if the ALG also forwards that port to the
 * phone's own (as a consistent ALG opens an expectation), or if the far
 * end sends back to where the phone's media comes from.  The server sends
 * a datagram to our public address at the port the far end read, from
 * one of its UDP ports (another at each try), and we listen on the port
 * our SDP named.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sipalg.h"

#define SIPALG_MEDIA_TRIES 3

/* The INVITE's m= port as sent and as the server received it. */
static int
sipalg_media_ports(const struct sipalg_dir *d, unsigned *sent,
    unsigned *seen)
{
	size_t i, k;

	for (i = 0; i < SIPALG_NMSG; i++) {
		const struct sipalg_msg *m = &d->msg[i];

		if (m->method != SIP_INVITE || !m->delivered)
			continue;
		for (k = 0; k < m->diff.nchanges; k++) {
			const struct sip_change *c = &m->diff.changes[k];

			if (strcmp(c->element, "sdp.m") == 0 && c->sent &&
			    c->received &&
			    sscanf(c->sent, "%*s %u", sent) == 1 &&
			    sscanf(c->received, "%*s %u", seen) == 1 &&
			    *sent != *seen && *seen > 0 && *seen < 65536)
				return 1;
		}
	}
	return 0;
}

#define SIPALG_MEDIA_FROM 64	/* server ports a try may send from */

struct sipalg_media_try {
	struct sipalg_probe *pr;
	int fd;
	char payload[64];
	uint16_t from[SIPALG_MEDIA_FROM];	/* the server's UDP ports */
	size_t nfrom, next;
};

/*
 * The server's UDP listeners a datagram may come from: a random sample of
 * all of them (its SIP and media ports), so that each try sends from
 * another and a flow an earlier try or an earlier run left in the
 * router's connection table, which would carry it past a forward added
 * since, decides nothing.  (The first ports of the ranges alone, tried
 * in turn from a random one, gave an earlier run's ports again about
 * once in sixty.)
 */
static void
sipalg_media_from(const struct ctl_welcome *w, struct sipalg_media_try *t)
{
	const uint16_t (*set[2])[2] = { w->udp_ports, w->media_ports };
	size_t n[2] = { w->nudp_ports, w->nmedia_ports }, a, i, k;
	uint32_t total = 0, pick, span;
	uint8_t r[4];

	for (a = 0; a < 2; a++)
		for (i = 0; i < n[a]; i++)
			total += (uint32_t)set[a][i][1] - set[a][i][0] + 1;
	t->nfrom = 0;
	t->next = 0;
	for (k = 0; total > 0 && k < SIPALG_MEDIA_FROM; k++) {
		if (check_random(r, sizeof(r)) < 0)
			break;
		pick = ((uint32_t)r[0] << 24 | (uint32_t)r[1] << 16 |
		    (uint32_t)r[2] << 8 | r[3]) % total;
		for (a = 0; a < 2; a++)
			for (i = 0; i < n[a]; i++) {
				span = (uint32_t)set[a][i][1] - set[a][i][0] + 1;
				if (pick < span) {
					t->from[t->nfrom++] = (uint16_t)
					    (set[a][i][0] + pick);
					a = 2;
					break;
				}
				pick -= span;
			}
	}
	if (t->nfrom == 0)
		t->from[t->nfrom++] = t->pr->port;
}

static int
sipalg_media_match_h(const uint8_t *buf, size_t len, void *arg)
{
	const struct sipalg_media_try *t = arg;

	return len == strlen(t->payload) && memcmp(buf, t->payload, len) == 0;
}

static int
sipalg_media_send_h(struct check_ctx *ctx, void *arg)
{
	struct sipalg_media_try *t = arg;
	int r;

	r = ctlcli_send(ctx->ctl, CTL_UDP, t->from[t->next++ % t->nfrom],
	    (uint16_t)t->pr->out.media_seen, t->payload, strlen(t->payload));
	if (r < 0) {
		snprintf(t->pr->out.media_note, sizeof(t->pr->out.media_note),
		    "the server could not send: %s", strerror(-r));
		return 1;
	}
	return 0;
}

static int
sipalg_media_wait_h(struct check_ctx *ctx, void *arg, int timeout_ms)
{
	struct sipalg_media_try *t = arg;
	uint8_t buf[128];
	size_t n;

	return check_udp_wait(ctx, t->fd, sipalg_media_match_h, t, buf,
	    sizeof(buf), &n, timeout_ms);
}

int
sipalg_media_probe(struct check_ctx *ctx, struct sipalg_probe *pr,
    const char *lip, uint16_t rtp_port)
{
	struct sipalg_media_try t = { pr, -1, "", { 0 }, 0, 0 };
	struct sockaddr_storage ss;
	struct sipalg_dir *d = &pr->out;
	uint8_t nonce[CTL_NONCE_LEN];
	char hex[2 * CTL_NONCE_LEN + 1];
	struct net_ip ip;
	socklen_t sl;
	int r;

	if (!sipalg_media_ports(d, &d->media_sent, &d->media_seen))
		return 0;
	d->media_tried = 1;
	if (net_ip_parse(lip, &ip) < 0)
		return -EINVAL;
	sl = net_sa_from_ip(&ip, rtp_port, &ss);
	if ((t.fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	if (bind(t.fd, (struct sockaddr *)&ss, sl) < 0) {
		snprintf(d->media_note, sizeof(d->media_note), "not tried: "
		    "port %u is in use here (%s)", rtp_port, strerror(errno));
		d->media_tried = 0;
		close(t.fd);
		return 0;
	}
	if ((r = check_random(nonce, sizeof(nonce))) < 0)
		goto out;
	check_hex(nonce, sizeof(nonce), hex);
	sipalg_media_from(ctlcli_welcome(ctx->ctl), &t);
	snprintf(t.payload, sizeof(t.payload), "pinhole media %s", hex);
	r = check_retry(ctx, SIPALG_MEDIA_TRIES, ctx->opt->wait_ms /
	    SIPALG_MEDIA_TRIES, sipalg_media_send_h, sipalg_media_wait_h, &t);
	d->media_forwarded = r == 0;
	if (r == 1) {
		d->media_tried = 0;	/* not asked: no verdict from it */
		r = 0;
	} else if (r == -ETIMEDOUT)
		r = 0;
out:
	close(t.fd);
	return r;
}
