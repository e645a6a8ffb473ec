/*
 * impair.c - pinhole-impair, the lab router's packet impairment with
 * exact ground truth.
 *
 *   pinhole-impair --queue N [--seed S] [--loss PCT | --ge P,R[,LB[,LG]]]
 *                  [--delay MS] [--jitter MS] [--no-reorder]
 *                  [--stats FILE] [--drop-list FILE] [--duration S]
 *                  [--maxlen N]
 *
 * It binds NFQUEUE queue N (an iptables or nft rule sends packets there)
 * and decides for every packet, with a generator seeded by S (default 1),
 * whether to drop it or to hold it for a delay:
 *   --loss PCT     each packet lost independently with PCT % probability.
 *   --ge P,R,LB,LG Gilbert-Elliott loss, in percent: P the chance of going
 *                  from the good state to the bad one after a packet, R of
 *                  coming back, LB the loss in the bad state (default 100),
 *                  LG in the good state (default 0).  A bad spell lasts
 *                  100/R packets on average; the long-run loss is
 *                  (R*LG + P*LB) / (P + R).
 *   --delay MS, --jitter MS  each accepted packet is held uniformly
 *                  [MS - J, MS + J] (never below 0) and released in
 *                  due-time order, so a jitter larger than the packets'
 *                  spacing reorders them; --no-reorder never releases a
 *                  packet before the one that came before it.
 * Loss and delay draw from separate streams of the seed, so the same seed
 * drops the same packets whatever the delay.
 *
 * --stats FILE gets a JSON object at start, on SIGUSR1 and at exit
 * (written whole and renamed into place; "writes" counts them).  Its
 * delays are measured: "delay_ms" from reading a packet to its verdict,
 * "planned_ms" what the model chose, "late_ms_max" the most a verdict
 * came after its due time (the machine's scheduling).
 * --drop-list FILE gets one JSON line per dropped packet: its 5-tuple
 * and, for RTP (UDP payload version 2), its SSRC and sequence number.
 * It exits after --duration S (default 600) or on SIGINT or SIGTERM,
 * accepting every held packet first.  The queue is fail-open: when it is
 * full the kernel accepts packets instead of dropping them, and a gap in
 * the queue's packet ids is counted as "missed".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#include "impair_model.h"
#include "labq.h"
#include "log.h"
#include "parse.h"

#define IMPAIR_MAX_FLOWS	64
#define IMPAIR_COPY		128	/* IPv4 + UDP + RTP headers */
#define IMPAIR_DELAY_SEED	0x6a09e667f3bcc908ULL

struct impair_flow {
	uint8_t proto;
	uint32_t src, dst;		/* network order */
	uint16_t sport, dport;
	uint64_t seen, dropped, delayed;
};

/* What one packet's first bytes say. */
struct impair_pkt {
	struct impair_flow key;
	size_t len;
	int rtp;
	uint32_t ssrc;
	uint16_t rtp_seq;
};

struct impair_stats {
	uint64_t seen, dropped, accepted, delayed, reordered, overflow;
	uint64_t missed, verdict_errors, bursts;
	uint64_t delay_sum_ns, delay_min_ns, delay_max_ns;
	uint64_t plan_min_ns, plan_max_ns, late_max_ns;
};

struct impair {
	unsigned queue, maxlen;
	uint64_t seed, duration_s;
	const char *stats_path, *drops_path;
	FILE *drops;
	struct labq q;
	struct impair_rng loss_rng, delay_rng;
	struct impair_loss loss;
	struct impair_delay delay;
	struct impair_hold hold;
	struct impair_stats st;
	struct impair_flow flow[IMPAIR_MAX_FLOWS];
	size_t nflow;
	uint64_t untracked, writes, start_ns, last_id;
	int last_dropped;
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

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void
usage(FILE *f)
{
	fprintf(f,
"usage: pinhole-impair --queue N [--seed S] [--loss PCT | --ge P,R[,LB[,LG]]]\n"
"                      [--delay MS] [--jitter MS] [--no-reorder]\n"
"                      [--stats FILE] [--drop-list FILE] [--duration S]\n"
"                      [--maxlen N]\n"
"  --queue N        the NFQUEUE queue to bind (0-65535)\n"
"  --seed S         the generator's seed (default 1)\n"
"  --loss PCT       independent random loss, in percent\n"
"  --ge P,R,LB,LG   Gilbert-Elliott loss in percent: good->bad, bad->good,\n"
"                   loss in the bad state (100), in the good state (0)\n"
"  --delay MS       hold each accepted packet MS milliseconds\n"
"  --jitter MS      ... uniformly within MS of the delay (reorders)\n"
"  --no-reorder     never release a packet before its predecessor\n"
"  --stats FILE     JSON counters at start, on SIGUSR1 and at exit\n"
"  --drop-list FILE one JSON line per dropped packet (5-tuple, RTP SSRC/seq)\n"
"  --duration S     exit after S seconds (default 600)\n"
"  --maxlen N       the queue's length in the kernel (default 65536)\n");
}

/* A decimal number in [min, max]; -EINVAL for junk, -ERANGE outside. */
static int
parse_num(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	if (s == NULL || *s == '\0' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno == ERANGE || end == s || *end != '\0' || isnan(v))
		return errno == ERANGE ? -ERANGE : -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/* "P,R[,LB[,LG]]" in percent into the model's probabilities. */
static int
parse_ge(const char *arg, struct impair_loss *l)
{
	double v[4] = { 0, 0, 100, 0 };
	char buf[128], *tok, *save = NULL;
	int n = 0, err;

	if (strlen(arg) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, arg, strlen(arg) + 1);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (n == 4 || (err = parse_num(tok, 0, 100, &v[n])) < 0)
			return n == 4 ? -EINVAL : err;
		n++;
	}
	if (n < 2 || v[0] + v[1] <= 0)
		return -EINVAL;
	l->ge = 1;
	l->p = v[0] / 100;
	l->r = v[1] / 100;
	l->loss_bad = v[2] / 100;
	l->loss_good = v[3] / 100;
	return 0;
}

static void
impair_options(struct impair *im, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "queue", required_argument, NULL, 'q' },
		{ "seed", required_argument, NULL, 's' },
		{ "loss", required_argument, NULL, 'l' },
		{ "ge", required_argument, NULL, 'g' },
		{ "delay", required_argument, NULL, 'd' },
		{ "jitter", required_argument, NULL, 'j' },
		{ "no-reorder", no_argument, NULL, 'n' },
		{ "stats", required_argument, NULL, 'S' },
		{ "drop-list", required_argument, NULL, 'D' },
		{ "duration", required_argument, NULL, 't' },
		{ "maxlen", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, li = 0, have_queue = 0, err = 0;
	double v;

	while ((c = getopt_long(argc, argv, "h", lo, &li)) != -1) {
		switch (c) {
		case 'q':
			err = parse_uint(optarg, 0, 65535, &im->queue);
			have_queue = 1;
			break;
		case 's':
			err = parse_u64(optarg, 0, UINT64_MAX, &im->seed);
			break;
		case 'l':
			if ((err = parse_num(optarg, 0, 100, &v)) == 0)
				im->loss.loss = v / 100;
			break;
		case 'g':
			err = parse_ge(optarg, &im->loss);
			break;
		case 'd':
		case 'j':
			if ((err = parse_num(optarg, 0, 60000, &v)) == 0)
				*(c == 'd' ? &im->delay.delay_ns :
				    &im->delay.jitter_ns) = (uint64_t)(v * 1e6);
			break;
		case 'n':
			im->delay.no_reorder = 1;
			break;
		case 'S':
			im->stats_path = optarg;
			break;
		case 'D':
			im->drops_path = optarg;
			break;
		case 't':
			err = parse_u64(optarg, 1, 86400, &im->duration_s);
			break;
		case 'm':
			err = parse_uint(optarg, 16, 1u << 20, &im->maxlen);
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
	if (!have_queue || optind != argc) {
		usage(stderr);
		exit(2);
	}
	if (im->loss.ge && im->loss.loss > 0)
		fatalx("--loss and --ge exclude each other");
}

static void
ip_str(uint32_t a, char *buf)
{
	struct in_addr in = { .s_addr = a };

	inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

/* Reads the IPv4, UDP and RTP headers that the copy holds. */
static void
pkt_parse(const uint8_t *p, size_t n, struct impair_pkt *pk)
{
	size_t ihl;
	const uint8_t *u;

	memset(pk, 0, sizeof(*pk));
	pk->len = n;
	if (n < 20 || (p[0] >> 4) != 4 || (ihl = (size_t)(p[0] & 15) * 4) < 20 ||
	    n < ihl)
		return;
	pk->len = (size_t)p[2] << 8 | p[3];
	pk->key.proto = p[9];
	memcpy(&pk->key.src, p + 12, 4);
	memcpy(&pk->key.dst, p + 16, 4);
	/* Only a first fragment (offset 0) has the ports. */
	if ((p[9] != IPPROTO_UDP && p[9] != IPPROTO_TCP) ||
	    ((p[6] & 0x1f) | p[7]) != 0 || n < ihl + 4)
		return;
	u = p + ihl;
	pk->key.sport = (uint16_t)(u[0] << 8 | u[1]);
	pk->key.dport = (uint16_t)(u[2] << 8 | u[3]);
	if (p[9] != IPPROTO_UDP || n < ihl + 8 + 12 || (u[8] >> 6) != 2)
		return;
	pk->rtp = 1;
	pk->rtp_seq = (uint16_t)(u[10] << 8 | u[11]);
	pk->ssrc = (uint32_t)u[16] << 24 | (uint32_t)u[17] << 16 |
	    (uint32_t)u[18] << 8 | u[19];
}

/* The flow's index, or IMPAIR_MAX_FLOWS when the table is full. */
static uint32_t
flow_find(struct impair *im, const struct impair_flow *k)
{
	size_t i;

	for (i = 0; i < im->nflow; i++) {
		const struct impair_flow *f = &im->flow[i];

		if (f->proto == k->proto && f->src == k->src &&
		    f->dst == k->dst && f->sport == k->sport &&
		    f->dport == k->dport)
			return (uint32_t)i;
	}
	if (im->nflow == IMPAIR_MAX_FLOWS)
		return IMPAIR_MAX_FLOWS;
	im->flow[im->nflow] = *k;
	return (uint32_t)im->nflow++;
}

static void
drops_write(struct impair *im, uint32_t id, const struct impair_pkt *pk)
{
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];

	if (im->drops == NULL)
		return;
	ip_str(pk->key.src, s);
	ip_str(pk->key.dst, d);
	fprintf(im->drops, "{\"n\":%" PRIu64 ",\"id\":%u,\"proto\":%u,"
	    "\"src\":\"%s\",\"sport\":%u,\"dst\":\"%s\",\"dport\":%u,"
	    "\"len\":%zu", im->st.seen, id, pk->key.proto, s, pk->key.sport,
	    d, pk->key.dport, pk->len);
	if (pk->rtp)
		fprintf(im->drops, ",\"rtp_ssrc\":%u,\"rtp_seq\":%u",
		    pk->ssrc, pk->rtp_seq);
	fputs("}\n", im->drops);
}

static void
verdict(struct impair *im, uint32_t id, uint32_t v)
{
	if (nfq_set_verdict(im->q.qh, id, v, 0, NULL) < 0)
		im->st.verdict_errors++;
}

static int
packet_h(struct nfq_q_handle *qh, struct nfgenmsg *nfmsg,
    struct nfq_data *nfa, void *arg)
{
	struct impair *im = arg;
	struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
	struct impair_flow *f = NULL;
	struct impair_pkt pk;
	unsigned char *p;
	uint64_t t, due;
	uint32_t id, fi;
	int n, drop;

	if (ph == NULL)
		return 0;
	id = ntohl(ph->packet_id);
	if (im->st.seen > 0 && id > im->last_id + 1)
		im->st.missed += id - im->last_id - 1;
	im->last_id = id;
	n = nfq_get_payload(nfa, &p);
	pkt_parse(p, n > 0 ? (size_t)n : 0, &pk);
	im->st.seen++;
	fi = flow_find(im, &pk.key);
	if (fi < IMPAIR_MAX_FLOWS)
		(f = &im->flow[fi])->seen++;
	else
		im->untracked++;
	drop = impair_loss_drop(&im->loss, &im->loss_rng);
	if (drop) {
		im->st.dropped++;
		if (!im->last_dropped)
			im->st.bursts++;
		im->last_dropped = 1;
		if (f != NULL)
			f->dropped++;
		drops_write(im, id, &pk);
		verdict(im, id, NF_DROP);
		return 0;
	}
	im->last_dropped = 0;
	if (im->delay.delay_ns == 0 && im->delay.jitter_ns == 0) {
		im->st.accepted++;
		verdict(im, id, NF_ACCEPT);
		return 0;
	}
	t = now_ns();
	due = impair_delay_due(&im->delay, &im->delay_rng, t);
	if (impair_hold_push(&im->hold, id, fi, t, due) < 0) {
		im->st.overflow++;
		im->st.accepted++;
		verdict(im, id, NF_ACCEPT);
	}
	return 0;
}

/* Accepts every held packet due by 'until' (everything: UINT64_MAX). */
static void
release(struct impair *im, uint64_t until)
{
	struct impair_stats *s = &im->st;
	struct impair_held hp;
	uint64_t due, t, d, plan, late;
	int overtook;

	while (impair_hold_next(&im->hold, &due) == 0 && due <= until) {
		if (impair_hold_pop(&im->hold, &hp, &overtook) < 0)
			break;
		/*
		 * Read before the verdict: the verdict carries the packet on
		 * to its receiver, which may run before we do again.
		 */
		t = now_ns();
		verdict(im, hp.id, NF_ACCEPT);
		d = t > hp.arrive_ns ? t - hp.arrive_ns : 0;
		plan = hp.due_ns - hp.arrive_ns;
		late = t > hp.due_ns ? t - hp.due_ns : 0;
		s->accepted++;
		s->delayed++;
		s->reordered += (uint64_t)overtook;
		s->delay_sum_ns += d;
		if (s->delayed == 1 || d < s->delay_min_ns)
			s->delay_min_ns = d;
		if (s->delayed == 1 || plan < s->plan_min_ns)
			s->plan_min_ns = plan;
		if (d > s->delay_max_ns)
			s->delay_max_ns = d;
		if (plan > s->plan_max_ns)
			s->plan_max_ns = plan;
		if (late > s->late_max_ns)
			s->late_max_ns = late;
		if (hp.flow < IMPAIR_MAX_FLOWS)
			im->flow[hp.flow].delayed++;
	}
}

static void
stats_write(struct impair *im, int final)
{
	const struct impair_stats *s = &im->st;
	char tmp[4096], a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	FILE *f;
	size_t i;

	if (im->drops != NULL)
		fflush(im->drops);
	if (im->stats_path == NULL)
		return;
	if ((f = labq_stats_begin(im->stats_path, tmp, sizeof(tmp))) == NULL)
		return;
	im->writes++;
	fprintf(f, "{\"queue\":%u,\"seed\":%" PRIu64 ",\"writes\":%" PRIu64
	    ",\"final\":%s,\"elapsed_s\":%.3f,\n", im->queue, im->seed,
	    im->writes, final ? "true" : "false",
	    (double)(now_ns() - im->start_ns) / 1e9);
	fprintf(f, " \"seen\":%" PRIu64 ",\"dropped\":%" PRIu64 ",\"accepted\":%"
	    PRIu64 ",\"delayed\":%" PRIu64 ",\"reordered\":%" PRIu64
	    ",\"held\":%zu,\n", s->seen, s->dropped, s->accepted, s->delayed,
	    s->reordered, im->hold.nheap);
	fprintf(f, " \"drop_bursts\":%" PRIu64 ",\"overflow\":%" PRIu64
	    ",\"missed\":%" PRIu64 ",\"overruns\":%" PRIu64
	    ",\"verdict_errors\":%" PRIu64 ",\n", s->bursts, s->overflow,
	    s->missed, im->q.overruns, s->verdict_errors);
	fprintf(f, " \"delay_ms\":{\"mean\":%.3f,\"min\":%.3f,\"max\":%.3f},\n",
	    s->delayed ? (double)s->delay_sum_ns / (double)s->delayed / 1e6 : 0,
	    (double)s->delay_min_ns / 1e6, (double)s->delay_max_ns / 1e6);
	fprintf(f, " \"planned_ms\":{\"min\":%.3f,\"max\":%.3f},"
	    "\"late_ms_max\":%.3f,\n", (double)s->plan_min_ns / 1e6,
	    (double)s->plan_max_ns / 1e6, (double)s->late_max_ns / 1e6);
	fprintf(f, " \"flows_untracked\":%" PRIu64 ",\"flows\":[", im->untracked);
	for (i = 0; i < im->nflow; i++) {
		const struct impair_flow *fl = &im->flow[i];

		ip_str(fl->src, a);
		ip_str(fl->dst, b);
		fprintf(f, "%s\n  {\"proto\":%u,\"src\":\"%s\",\"sport\":%u,"
		    "\"dst\":\"%s\",\"dport\":%u,\"seen\":%" PRIu64
		    ",\"dropped\":%" PRIu64 ",\"delayed\":%" PRIu64 "}",
		    i ? "," : "", fl->proto, a, fl->sport, b, fl->dport,
		    fl->seen, fl->dropped, fl->delayed);
	}
	fputs("]}\n", f);
	labq_stats_end(f, tmp, im->stats_path);
}

static void
impair_loop(struct impair *im, const sigset_t *unblocked)
{
	uint64_t end = im->start_ns + im->duration_s * 1000000000ULL, t, due;
	struct pollfd pfd = { .fd = im->q.fd, .events = POLLIN };
	struct timespec ts;

	while (!got_stop) {
		t = now_ns();
		if (t >= end)
			break;
		due = end;
		if (impair_hold_next(&im->hold, &due) == 0 && due > end)
			due = end;
		ts.tv_sec = (time_t)((due > t ? due - t : 0) / 1000000000ULL);
		ts.tv_nsec = (long)((due > t ? due - t : 0) % 1000000000ULL);
		if (ppoll(&pfd, 1, &ts, unblocked) < 0 && errno != EINTR)
			fatal("ppoll");
		if (pfd.revents & POLLIN)
			labq_read(&im->q);
		release(im, now_ns());
		if (got_usr1) {
			got_usr1 = 0;
			stats_write(im, 0);
		}
	}
}

int
main(int argc, char **argv)
{
	static struct impair im = { .seed = 1, .duration_s = 600,
	    .maxlen = 65536 };
	sigset_t old;

	log_init("pinhole-impair", 1, 0);
	impair_options(&im, argc, argv);
	impair_rng_seed(&im.loss_rng, im.seed);
	impair_rng_seed(&im.delay_rng, im.seed ^ IMPAIR_DELAY_SEED);
	if (impair_hold_init(&im.hold, im.maxlen) < 0)
		fatalx("out of memory");
	if (im.drops_path != NULL && (im.drops = fopen(im.drops_path, "w")) == NULL)
		fatal("%s", im.drops_path);
	labq_signals(sighdlr, &old);
	/* Due times are met to the microsecond, not to the default 50 us. */
	(void)prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	labq_open(&im.q, im.queue, im.maxlen, IMPAIR_COPY, packet_h, &im);
	im.start_ns = now_ns();
	stats_write(&im, 0);
	log_info("queue %u bound, seed %" PRIu64, im.queue, im.seed);
	impair_loop(&im, &old);
	release(&im, UINT64_MAX);
	stats_write(&im, 1);
	log_info("seen %" PRIu64 ", dropped %" PRIu64 ", reordered %" PRIu64,
	    im.st.seen, im.st.dropped, im.st.reordered);
	labq_close(&im.q);
	if (im.drops != NULL)
		fclose(im.drops);
	impair_hold_free(&im.hold);
	return 0;
}
