/*
 * turnprobe.c - pinhole-turnprobe, the lab's driver of the client's relay
 * code (src/client/relay.c) against a real TURN server: it allocates on
 * the relay over UDP, TCP or TLS, binds a channel to a peer, sends
 * datagrams through it and counts the echoes that come back.  It prints
 * one JSON object: the step that failed and why, or what crossed.
 *
 *   pinhole-turnprobe --relay ADDR:PORT --transport udp|tcp|tls
 *       [--host NAME --ca FILE] --user U --pass P --peer ADDR:PORT
 *       [--count N] [--interval-ms MS] [--timeout-ms MS]
 *
 * Each datagram carries its sequence number and send time; the peer
 * echoes it.  Never installed.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/ssl.h>

#include "net.h"
#include "parse.h"
#include "relay.h"
#include "tlsctx.h"

#define PROBE_LEN	172	/* an RTP packet of G.711 at 20 ms */
#define PROBE_CHAN	0x4000

struct probe {
	const char *relay, *host, *ca, *user, *pass, *peer;
	enum relay_transport tr;
	unsigned count, interval_ms, timeout_ms;
};

static int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void
usage(void)
{
	fprintf(stderr, "usage: pinhole-turnprobe --relay ADDR:PORT "
	    "--transport udp|tcp|tls [--host NAME --ca FILE] --user U "
	    "--pass P --peer ADDR:PORT [--count N] [--interval-ms MS] "
	    "[--timeout-ms MS]\n");
	exit(2);
}

static void
args(int argc, char **argv, struct probe *p)
{
	static const struct option opts[] = {
		{ "relay", required_argument, NULL, 'r' },
		{ "transport", required_argument, NULL, 't' },
		{ "host", required_argument, NULL, 'H' },
		{ "ca", required_argument, NULL, 'c' },
		{ "user", required_argument, NULL, 'u' },
		{ "pass", required_argument, NULL, 'p' },
		{ "peer", required_argument, NULL, 'P' },
		{ "count", required_argument, NULL, 'n' },
		{ "interval-ms", required_argument, NULL, 'i' },
		{ "timeout-ms", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	int o;

	memset(p, 0, sizeof(*p));
	p->count = 50;
	p->interval_ms = 20;
	p->timeout_ms = 5000;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'r': p->relay = optarg; break;
		case 'H': p->host = optarg; break;
		case 'c': p->ca = optarg; break;
		case 'u': p->user = optarg; break;
		case 'p': p->pass = optarg; break;
		case 'P': p->peer = optarg; break;
		case 't':
			if (strcmp(optarg, "udp") == 0)
				p->tr = RELAY_UDP;
			else if (strcmp(optarg, "tcp") == 0)
				p->tr = RELAY_TCP;
			else if (strcmp(optarg, "tls") == 0)
				p->tr = RELAY_TLS;
			else
				usage();
			break;
		case 'n':
			if (parse_uint(optarg, 1, 100000, &p->count) < 0)
				usage();
			break;
		case 'i':
			if (parse_uint(optarg, 1, 10000, &p->interval_ms) < 0)
				usage();
			break;
		case 'T':
			if (parse_uint(optarg, 100, 600000, &p->timeout_ms) < 0)
				usage();
			break;
		default:
			usage();
		}
	}
	if (p->relay == NULL || p->user == NULL || p->pass == NULL ||
	    p->peer == NULL || (p->tr == RELAY_TLS && p->host == NULL))
		usage();
}

/* Sends the datagrams paced by 'interval_ms' and reads the echoes. */
static void
exchange(struct relay_conn *rc, const struct probe *p, json_t *o)
{
	uint8_t pkt[PROBE_LEN], in[RELAY_FRAME_MAX];
	int64_t *rtt = calloc(p->count, sizeof(*rtt)), next, t, sent_at;
	uint8_t *got = calloc(p->count, 1);
	unsigned sent = 0, uniq = 0, dup = 0;
	size_t nrtt = 0;
	uint32_t seq;
	int n;

	if (rtt == NULL || got == NULL)
		exit(1);
	next = mono_us();
	while (sent < p->count || mono_us() < next + 1000000) {
		t = mono_us();
		if (sent < p->count && t >= next) {
			memset(pkt, 0, sizeof(pkt));
			buf_put_be32(pkt, sent);
			memcpy(pkt + 4, &t, sizeof(t));
			if (relay_send(rc, pkt, sizeof(pkt)) == 0)
				sent++;
			next += (int64_t)p->interval_ms * 1000;
			continue;
		}
		n = relay_recv(rc, in, sizeof(in), sent < p->count ?
		    (int)((next - t) / 1000) + 1 : 100);
		if (n < 0)
			break;
		if (n < 12)
			continue;
		seq = buf_get_be32(in);
		if (seq >= p->count)
			continue;
		if (got[seq]) {
			dup++;
			continue;
		}
		got[seq] = 1;
		uniq++;
		memcpy(&sent_at, in + 4, sizeof(sent_at));
		rtt[nrtt++] = mono_us() - sent_at;
	}
	qsort(rtt, nrtt, sizeof(*rtt), cmp_i64);
	json_object_set_new(o, "sent", json_integer(sent));
	json_object_set_new(o, "received", json_integer(uniq));
	json_object_set_new(o, "duplicates", json_integer(dup));
	json_object_set_new(o, "loss_pct", json_real(sent ? 100.0 *
	    (sent - uniq) / sent : 0));
	if (nrtt > 0)
		json_object_set_new(o, "rtt_ms_median",
		    json_real(rtt[nrtt / 2] / 1000.0));
	free(rtt);
	free(got);
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage relay, peer;
	socklen_t rlen, plen;
	char buf[NET_ADDRSTRLEN], err[256];
	struct relay_conn rc;
	struct probe p;
	SSL_CTX *tls = NULL;
	json_t *o = json_object();
	int ok;

	args(argc, argv, &p);
	if (net_sa_parse(p.relay, &relay, &rlen) < 0 ||
	    net_sa_parse(p.peer, &peer, &plen) < 0)
		usage();
	if (p.tr == RELAY_TLS &&
	    (tls = tlsctx_client(p.ca, err, sizeof(err))) == NULL) {
		fprintf(stderr, "pinhole-turnprobe: %s\n", err);
		return 1;
	}
	json_object_set_new(o, "transport", json_string(
	    relay_transport_name(p.tr)));
	ok = relay_open(&rc, p.tr, (struct sockaddr *)&relay, rlen, tls,
	    p.host, p.user, p.pass, peer.ss_family, (int)p.timeout_ms) == 0 &&
	    relay_bind(&rc, (struct sockaddr *)&peer, PROBE_CHAN,
	    (int)p.timeout_ms) == 0;
	json_object_set_new(o, "ok", json_boolean(ok));
	json_object_set_new(o, "step", json_string(relay_step_name(rc.failed)));
	json_object_set_new(o, "why", json_string(rc.why));
	json_object_set_new(o, "requests", json_integer(rc.sends));
	json_object_set_new(o, "auth_rounds", json_integer(rc.tc.auth_rounds));
	if (rc.allocated) {
		json_object_set_new(o, "allocate_ms",
		    json_integer(rc.allocate_ms));
		json_object_set_new(o, "relayed", json_string(net_sa_str(
		    (struct sockaddr *)&rc.tc.relayed, buf, sizeof(buf))));
		if (rc.tc.has_mapped)
			json_object_set_new(o, "mapped", json_string(net_sa_str(
			    (struct sockaddr *)&rc.tc.mapped, buf,
			    sizeof(buf))));
		json_object_set_new(o, "lifetime", json_integer(rc.tc.lifetime));
	}
	if (ok)
		exchange(&rc, &p, o);
	relay_close(&rc);
	SSL_CTX_free(tls);
	json_dumpf(o, stdout, JSON_SORT_KEYS);
	putchar('\n');
	json_decref(o);
	return ok ? 0 : 3;
}
