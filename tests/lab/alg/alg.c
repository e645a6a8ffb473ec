/*
 * alg.c - pinhole-alg, the SIP ALGs of other vendors for the lab's router.
 *
 *   pinhole-alg --queue N --behavior NAME --private ADDR --public ADDR
 *               [--stats FILE] [--duration S]
 *
 * It binds NFQUEUE queue N (an iptables NFQUEUE rule in the router's
 * FORWARD chain sends it the SIP datagrams) and rewrites (or drops) each
 * as the behaviour NAME does (alg_model.c: asa-cline, contact-only,
 * callid, content-length, cut-body, drop-methods, port-shift).  A datagram from ADDR
 * (the LAN host the NAT maps) is outbound: ADDR becomes the router's public address in what the
 * behaviour translates; one to ADDR is inbound: the public address
 * becomes ADDR.  The kernel's NAT does the addresses and ports of the
 * packet itself; this program only the SIP inside, over IPv4 and UDP
 * (TCP would need its sequence numbers adjusted: not emulated).  What is
 * not SIP, and any fragment, passes unchanged.
 *
 * --stats FILE gets a JSON object at start, on SIGUSR1 and at exit
 * (written whole and renamed into place): datagrams seen, SIP among them,
 * how many it changed, cut or dropped each way, and the elements it
 * changed.
 * It exits after --duration S (default 600) or on SIGINT or SIGTERM.
 * The queue is fail-open, like pinhole-impair's (labq.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/netfilter.h>

#include "alg_model.h"
#include "labq.h"
#include "log.h"
#include "parse.h"

#define ALG_PKT_MAX	65535

struct alg_dir_stats {
	uint64_t sip, changed, cut, dropped;
	unsigned elements;		/* ALG_E_* ever changed */
};

struct alg {
	unsigned queue;
	uint64_t duration_s, writes, seen, not_sip, errors, verdict_errors;
	const struct alg_behavior *b;
	char priv[INET_ADDRSTRLEN], pub[INET_ADDRSTRLEN];
	uint32_t priv_a;		/* network order */
	const char *stats_path;
	struct labq q;
	struct alg_dir_stats out, in;
	uint8_t body[ALG_PKT_MAX];	/* the rewritten UDP payload */
	uint8_t pkt[ALG_PKT_MAX];	/* ... and the packet around it */
};

static volatile sig_atomic_t got_stop, got_usr1;

static void
sighdlr(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_stop = 1;
}

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f,
"usage: pinhole-alg --queue N --behavior NAME --private ADDR --public ADDR\n"
"                   [--stats FILE] [--duration S]\n"
"  --queue N        the NFQUEUE queue to bind (0-65535)\n"
"  --behavior NAME  what the ALG does to SIP:");
	for (i = 0; alg_behaviors[i].name != NULL; i++)
		fprintf(f, " %s", alg_behaviors[i].name);
	fprintf(f, "\n"
"  --private ADDR   the LAN host's IPv4 address the NAT maps\n"
"  --public ADDR    the router's public IPv4 address\n"
"  --stats FILE     JSON counters at start, on SIGUSR1 and at exit\n"
"  --duration S     exit after S seconds (default 600)\n");
}

static void
alg_options(struct alg *a, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "queue", required_argument, NULL, 'q' },
		{ "behavior", required_argument, NULL, 'b' },
		{ "private", required_argument, NULL, 'p' },
		{ "public", required_argument, NULL, 'P' },
		{ "stats", required_argument, NULL, 'S' },
		{ "duration", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct in_addr in;
	int c, li = 0, have_queue = 0, err = 0;

	while ((c = getopt_long(argc, argv, "h", lo, &li)) != -1) {
		switch (c) {
		case 'q':
			err = parse_uint(optarg, 0, 65535, &a->queue);
			have_queue = 1;
			break;
		case 'b':
			if ((a->b = alg_behavior_find(optarg)) == NULL)
				err = -EINVAL;
			break;
		case 'p':
		case 'P':
			if (inet_pton(AF_INET, optarg, &in) != 1) {
				err = -EINVAL;
				break;
			}
			snprintf(c == 'p' ? a->priv : a->pub, INET_ADDRSTRLEN,
			    "%s", optarg);
			if (c == 'p')
				a->priv_a = in.s_addr;
			break;
		case 'S':
			a->stats_path = optarg;
			break;
		case 't':
			err = parse_u64(optarg, 1, 86400, &a->duration_s);
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
		if (err < 0)
			fatalx("--%s %s: %s", lo[li].name, optarg,
			    strerror(-err));
	}
	if (!have_queue || a->b == NULL || a->priv[0] == '\0' ||
	    a->pub[0] == '\0' || optind != argc) {
		usage(stderr);
		exit(2);
	}
}

/* The Internet checksum's one's complement sum, folded. */
static uint32_t
csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t
csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * Puts the new UDP payload behind the packet's IPv4 and UDP headers in
 * a->pkt, with lengths and both checksums set again; its length, or 0
 * when it would not fit.
 */
static size_t
alg_packet(struct alg *a, const uint8_t *p, size_t ihl, const uint8_t *pl,
    size_t plen)
{
	uint8_t *ip = a->pkt, *u = a->pkt + ihl;
	size_t total = ihl + 8 + plen;
	uint32_t sum;
	uint16_t c;

	if (total > sizeof(a->pkt))
		return 0;
	memcpy(ip, p, ihl + 8);
	memcpy(u + 8, pl, plen);
	ip[2] = (uint8_t)(total >> 8);
	ip[3] = (uint8_t)total;
	ip[10] = ip[11] = 0;
	c = csum_fold(csum_add(0, ip, ihl));
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	u[4] = (uint8_t)((8 + plen) >> 8);
	u[5] = (uint8_t)(8 + plen);
	u[6] = u[7] = 0;
	sum = csum_add(0, ip + 12, 8);
	sum += IPPROTO_UDP + (uint32_t)(8 + plen);
	c = csum_fold(csum_add(sum, u, 8 + plen));
	if (c == 0)
		c = 0xffff;
	u[6] = (uint8_t)(c >> 8);
	u[7] = (uint8_t)c;
	return total;
}

static void
alg_verdict(struct alg *a, uint32_t id, const uint8_t *buf, size_t len)
{
	if (nfq_set_verdict(a->q.qh, id, NF_ACCEPT, (uint32_t)len, buf) < 0)
		a->verdict_errors++;
}

static int
packet_h(struct nfq_q_handle *qh, struct nfgenmsg *nfmsg,
    struct nfq_data *nfa, void *arg)
{
	struct alg *a = arg;
	struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
	struct alg_dir_stats *d;
	unsigned char *p;
	size_t n, ihl, ulen, olen;
	unsigned changed;
	uint32_t id, src, dst;
	int len, cut, r;

	if (ph == NULL)
		return 0;
	id = ntohl(ph->packet_id);
	a->seen++;
	len = nfq_get_payload(nfa, &p);
	n = len > 0 ? (size_t)len : 0;
	/* IPv4, UDP, not a fragment, lengths that hold. */
	if (n < 28 || (p[0] >> 4) != 4 || (ihl = (size_t)(p[0] & 15) * 4) < 20 ||
	    n < ihl + 8 || p[9] != IPPROTO_UDP || ((p[6] & 0x3f) | p[7]) != 0 ||
	    (ulen = (size_t)(p[ihl + 4] << 8 | p[ihl + 5])) < 8 ||
	    ihl + ulen > n) {
		a->not_sip++;
		alg_verdict(a, id, NULL, 0);
		return 0;
	}
	memcpy(&src, p + 12, 4);
	memcpy(&dst, p + 16, 4);
	if (src != a->priv_a && dst != a->priv_a) {
		a->not_sip++;
		alg_verdict(a, id, NULL, 0);
		return 0;
	}
	d = src == a->priv_a ? &a->out : &a->in;
	if (alg_drops(a->b, p + ihl + 8, ulen - 8)) {
		d->sip++;
		d->dropped++;
		if (nfq_set_verdict(a->q.qh, id, NF_DROP, 0, NULL) < 0)
			a->verdict_errors++;
		return 0;
	}
	r = alg_rewrite(a->b, src == a->priv_a, a->priv, a->pub, p + ihl + 8,
	    ulen - 8, a->body, sizeof(a->body), &olen, &changed, &cut);
	if (r < 0) {
		if (r == -EBADMSG)
			a->not_sip++;
		else
			a->errors++;
		alg_verdict(a, id, NULL, 0);
		return 0;
	}
	d->sip++;
	d->elements |= changed;
	d->changed += changed != 0;
	d->cut += cut != 0;
	if ((changed == 0 && !cut && olen == ulen - 8) ||
	    (olen = alg_packet(a, p, ihl, a->body, olen)) == 0) {
		alg_verdict(a, id, NULL, 0);
		return 0;
	}
	alg_verdict(a, id, a->pkt, olen);
	return 0;
}

static void
stats_elements(FILE *f, unsigned e)
{
	static const char *const names[] = { "Request-URI", "Via", "Contact",
	    "From", "To", "Call-ID", "Record-Route", "sdp.c", "sdp.o",
	    "sdp.m" };
	size_t i;
	int first = 1;

	fputc('[', f);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (e & (1u << i)) {
			fprintf(f, "%s\"%s\"", first ? "" : ",", names[i]);
			first = 0;
		}
	fputc(']', f);
}

static void
stats_write(struct alg *a, int final)
{
	const struct alg_dir_stats *ds[2] = { &a->out, &a->in };
	char tmp[4096];
	FILE *f;
	int i;

	if (a->stats_path == NULL)
		return;
	if ((f = labq_stats_begin(a->stats_path, tmp, sizeof(tmp))) == NULL)
		return;
	a->writes++;
	fprintf(f, "{\"queue\":%u,\"behavior\":\"%s\",\"writes\":%" PRIu64
	    ",\"final\":%s,\"seen\":%" PRIu64 ",\"not_sip\":%" PRIu64
	    ",\"errors\":%" PRIu64 ",\"verdict_errors\":%" PRIu64
	    ",\"overruns\":%" PRIu64, a->queue, a->b->name, a->writes,
	    final ? "true" : "false", a->seen, a->not_sip, a->errors,
	    a->verdict_errors, a->q.overruns);
	for (i = 0; i < 2; i++) {
		fprintf(f, ",\n \"%s\":{\"sip\":%" PRIu64 ",\"changed\":%"
		    PRIu64 ",\"cut\":%" PRIu64 ",\"dropped\":%" PRIu64
		    ",\"elements\":", i == 0 ? "outbound" : "inbound",
		    ds[i]->sip, ds[i]->changed, ds[i]->cut, ds[i]->dropped);
		stats_elements(f, ds[i]->elements);
		fputc('}', f);
	}
	fputs("}\n", f);
	labq_stats_end(f, tmp, a->stats_path);
}

static uint64_t
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec;
}

int
main(int argc, char **argv)
{
	static struct alg a = { .duration_s = 600 };
	struct pollfd pfd = { .events = POLLIN };
	struct timespec ts = { .tv_sec = 1 };
	uint64_t end;
	sigset_t old;

	log_init("pinhole-alg", 1, 0);
	alg_options(&a, argc, argv);
	labq_signals(sighdlr, &old);
	labq_open(&a.q, a.queue, 4096, ALG_PKT_MAX, packet_h, &a);
	pfd.fd = a.q.fd;
	end = now_s() + a.duration_s;
	stats_write(&a, 0);
	log_info("queue %u bound, behaviour %s", a.queue, a.b->name);
	while (!got_stop && now_s() < end) {
		if (ppoll(&pfd, 1, &ts, &old) < 0 && errno != EINTR)
			fatal("ppoll");
		if (pfd.revents & POLLIN)
			labq_read(&a.q);
		if (got_usr1) {
			got_usr1 = 0;
			stats_write(&a, 0);
		}
	}
	stats_write(&a, 1);
	labq_close(&a.q);
	return 0;
}
