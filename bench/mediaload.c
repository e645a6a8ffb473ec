/*
 * mediaload.c - N concurrent RTP streams through pinholed, for
 * bench/media.sh.
 *
 *   mediaload --server ADDR:PORT [--streams N] [--seconds S] [--pid PID]
 *
 * Opens one control session to pinholed (src/client/ctlcli.c), asks for
 * N MEDIA streams of G.711 (PCMU, 20 ms, a 160-byte payload), S seconds
 * each (default 2), marked EF, spread over the server's MEDIA_PORTS as
 * pinhole check spreads a set, and runs them all at once on the client's
 * media engine (src/client/media.c).  The server address is loopback or
 * a documentation address (bench.h).
 *
 * Over the sending time (S seconds from the run's start) it measures its
 * own CPU, all threads, and with --pid that of pinholed (utime + stime
 * from /proc/PID/stat), as % of one core, and pinholed's VmRSS and VmHWM
 * at the end of it, while every stream is still held.  Then it waits for
 * every MEDIA_STATS and prints one line of key=value:
 *
 *   streams         streams that ran
 *   up_sent up_lost packets the client sent, and those the server lost
 *   down_sent down_lost  the same for the server's packets
 *   cli_p50 cli_p99 cli_max  the client's pacing error (us), over every
 *                   packet of every stream (media.c's pace[])
 *   srv_p50 srv_p99 the server's (MEDIA_STATS): the medians over the
 *                   streams of each stream's median and 99th percentile
 *   srv_p99max srv_max  the largest 99th percentile and largest error
 *   cli_cpu srv_cpu srv_rss_kb srv_hwm_kb  (-1: not measured)
 *   send_errors     streams that saw a send error
 *
 * Exits 0 once every stream ran and was reported, 1 when something broke
 * (a stream refused, the session lost, a report missing), 2 on usage.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "ctlcli.h"
#include "loop.h"
#include "ctlreq.h"
#include "media.h"

#define LOAD_PTIME		20
#define LOAD_PAYLOAD		160	/* G.711 at 20 ms */
#define LOAD_PT			0	/* PCMU */
#define LOAD_TOS		0xb8	/* EF */
#define LOAD_MAX_PORTS		64
#define LOAD_WAIT_MS		10000	/* answers, and reports after the run */

struct load {
	struct bench_addr server;
	unsigned streams, seconds, pid;
	struct event_base *base;
	struct loop loop;
	struct ctlcli *c;
	struct media_stream *st;
	struct media_stream **run_st;
	int *req;
	uint16_t ports[LOAD_MAX_PORTS];
	size_t nports;
};

/* The figures of one run. */
struct load_fig {
	unsigned streams, send_errors;
	uint64_t up_sent, up_lost, down_sent, down_lost;
	uint32_t cli_p50, cli_p99, cli_max;
	uint32_t srv_p50, srv_p99, srv_p99max, srv_max;
	double cli_cpu, srv_cpu;
	long srv_rss_kb, srv_hwm_kb;
};

static int
load_answered_h(void *arg)
{
	struct load *ld = arg;
	unsigned i;

	for (i = 0; i < ld->streams; i++)
		if (ctlcli_result_find(ld->c, (uint32_t)ld->req[i]) == NULL)
			return 0;
	return 1;
}

static int
load_reported_h(void *arg)
{
	struct load *ld = arg;
	unsigned i;

	for (i = 0; i < ld->streams; i++)
		if (ctlcli_mstats_find(ld->c, (uint32_t)ld->req[i]) == NULL)
			return 0;
	return 1;
}

static int
never_h(void *arg)
{
	(void)arg;
	return 0;
}

static double
cpu_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* utime + stime of 'pid' in seconds; -1 when it cannot be read. */
static double
proc_cpu_s(unsigned pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut, st;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The fields after the command name, which is in parentheses:
	 * state is field 3, utime 14 and stime 15. */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
	    &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* A "kB" field of /proc/PID/status; -1 when it cannot be read. */
static long
proc_status_kb(unsigned pid, const char *field)
{
	char path[64], line[256];
	size_t fl = strlen(field);
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/status", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, field, fl) == 0 && line[fl] == ':') {
			v = strtol(line + fl + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* The server's media ports from WELCOME, else its SIP UDP ports. */
static void
load_ports(struct load *ld)
{
	const struct ctl_welcome *w = ctlcli_welcome(ld->c);
	const uint16_t (*r)[2] = w->nmedia_ports ? w->media_ports :
	    w->udp_ports;
	size_t n = w->nmedia_ports ? w->nmedia_ports : w->nudp_ports, i;
	unsigned p;

	for (i = 0; i < n; i++)
		for (p = r[i][0]; p <= r[i][1] && ld->nports < LOAD_MAX_PORTS;
		    p++)
			ld->ports[ld->nports++] = (uint16_t)p;
}

/* Opens stream i's socket and asks for it (MEDIA). */
static int
load_ask(struct load *ld, unsigned i, uint32_t seed)
{
	struct media_stream *st = &ld->st[i];
	struct sockaddr_storage to = ld->server.ss;
	int r;

	st->q.local_port = ld->ports[i % ld->nports];
	st->q.ssrc = seed * 2654435761u + i;
	st->q.key = (seed ^ 0x5bd1e995u) * 40503u + i * 7919u;
	st->q.first_seq = (uint16_t)(seed + i * 97u);
	st->q.pt = LOAD_PT;
	st->q.ptime_ms = LOAD_PTIME;
	st->q.payload_len = LOAD_PAYLOAD;
	st->q.packets = ld->seconds * 1000 / LOAD_PTIME;
	st->q.tos = LOAD_TOS;
	st->q.jb_ms = CTLREQ_MEDIA_JB_MS;
	net_sa_set_port((struct sockaddr *)&to, st->q.local_port);
	if ((r = media_stream_open(st, (struct sockaddr *)&to,
	    ld->server.len, 0, 0, LOAD_TOS)) < 0) {
		fprintf(stderr, "mediaload: stream %u: %s\n", i, strerror(-r));
		return r;
	}
	if ((ld->req[i] = ctlcli_media(ld->c, &st->q)) < 0) {
		fprintf(stderr, "mediaload: MEDIA %u: %s\n", i,
		    strerror(-ld->req[i]));
		return ld->req[i];
	}
	st->req_id = (uint32_t)ld->req[i];
	return 0;
}

static uint32_t
median_u32(uint32_t *v, size_t n, uint32_t *max)
{
	uint32_t p50, p99;

	rtp_quantiles(v, n, &p50, &p99, max);
	return p50;
}

/* The figures, from what the engine kept and the MEDIA_STATS. */
static int
load_figures(struct load *ld, struct load_fig *f)
{
	uint32_t *pace, *s50, *s99, *smax, x;
	size_t npace = 0, i;
	struct rtp_side down;
	int r = -ENOMEM;

	for (i = 0; i < ld->streams; i++)
		npace += ld->st[i].nsent;
	pace = malloc((npace ? npace : 1) * sizeof(*pace));
	s50 = malloc(ld->streams * sizeof(*s50));
	s99 = malloc(ld->streams * sizeof(*s99));
	smax = malloc(ld->streams * sizeof(*smax));
	if (pace == NULL || s50 == NULL || s99 == NULL || smax == NULL)
		goto out;
	npace = 0;
	for (i = 0; i < ld->streams; i++) {
		const struct media_stream *st = &ld->st[i];
		const struct ctl_media_stats *ms =
		    ctlcli_mstats_find(ld->c, st->req_id);

		memcpy(pace + npace, st->pace, st->nsent * sizeof(*pace));
		npace += st->nsent;
		if ((r = media_stream_side(st, ms->side.sent, &down)) < 0)
			goto out;
		f->up_sent += st->nsent;
		f->up_lost += ms->side.rx.lost;
		f->down_sent += ms->side.sent;
		f->down_lost += down.rx.lost;
		f->send_errors += st->send_errno != 0;
		s50[i] = ms->side.pace_p50_us;
		s99[i] = ms->side.pace_p99_us;
		smax[i] = ms->side.pace_max_us;
	}
	f->streams = ld->streams;
	rtp_quantiles(pace, npace, &f->cli_p50, &f->cli_p99, &f->cli_max);
	f->srv_p50 = median_u32(s50, ld->streams, &x);
	f->srv_p99 = median_u32(s99, ld->streams, &f->srv_p99max);
	(void)median_u32(smax, ld->streams, &f->srv_max);
	r = 0;
out:
	free(pace);
	free(s50);
	free(s99);
	free(smax);
	return r;
}

/* Asks for every stream, runs them, waits for the reports. */
static int
load_run(struct load *ld, struct load_fig *f)
{
	struct media_run run;
	const struct ctl_answer *a;
	double c0, s0 = -1, c1, s1;
	uint32_t seed = (uint32_t)bench_now_ns();
	unsigned i;
	int r;

	load_ports(ld);
	if (ld->nports == 0) {
		fprintf(stderr, "mediaload: the server has no UDP port\n");
		return -ENOENT;
	}
	for (i = 0; i < ld->streams; i++)
		if ((r = load_ask(ld, i, seed)) < 0)
			return r;
	if ((r = loop_wait(&ld->loop, load_answered_h, ld, LOAD_WAIT_MS)) < 0) {
		fprintf(stderr, "mediaload: waiting for SENT: %s\n",
		    strerror(-r));
		return r;
	}
	for (i = 0; i < ld->streams; i++) {
		a = ctlcli_result_find(ld->c, (uint32_t)ld->req[i]);
		if (a->code != 0 || !a->has_media) {
			fprintf(stderr, "mediaload: stream %u refused: %d %s\n",
			    i, a->code, a->reason);
			return -EPERM;
		}
		ld->st[i].peer_ssrc = a->ssrc;
		ld->st[i].peer_seq0 = a->first_seq;
		ld->run_st[i] = &ld->st[i];
	}
	memset(&run, 0, sizeof(run));
	run.st = ld->run_st;
	run.n = ld->streams;
	c0 = cpu_s(CLOCK_PROCESS_CPUTIME_ID);
	if (ld->pid != 0)
		s0 = proc_cpu_s(ld->pid);
	if ((r = media_run_start(&run)) < 0)
		return r;
	/* The sending time, serving the session meanwhile. */
	r = loop_wait(&ld->loop, never_h, NULL, (int)ld->seconds * 1000);
	c1 = cpu_s(CLOCK_PROCESS_CPUTIME_ID);
	f->cli_cpu = (c1 - c0) * 100 / ld->seconds;
	f->srv_cpu = f->srv_rss_kb = f->srv_hwm_kb = -1;
	if (s0 >= 0 && (s1 = proc_cpu_s(ld->pid)) >= 0) {
		f->srv_cpu = (s1 - s0) * 100 / ld->seconds;
		f->srv_rss_kb = proc_status_kb(ld->pid, "VmRSS");
		f->srv_hwm_kb = proc_status_kb(ld->pid, "VmHWM");
	}
	/* The sending time is over: serve the session until the run ends
	 * (at once when every packet is in, or after the grace). */
	if (r == -ETIMEDOUT) {
		r = 0;
		while (r == 0 && !media_run_done(&run))
			if ((r = loop_wait(&ld->loop, media_run_done, &run,
			    100)) == -ETIMEDOUT)
				r = 0;
	}
	if (r < 0 || bench_stopping())
		run.cancel = 1;
	while (!media_run_done(&run))
		usleep(1000);
	media_run_join(&run);
	if (r < 0 || run.error < 0 || bench_stopping()) {
		fprintf(stderr, "mediaload: the run failed: %s\n",
		    strerror(r < 0 ? -r : run.error < 0 ? -run.error : EINTR));
		return r < 0 ? r : run.error < 0 ? run.error : -EINTR;
	}
	if ((r = loop_wait(&ld->loop, load_reported_h, ld, LOAD_WAIT_MS)) < 0) {
		fprintf(stderr, "mediaload: waiting for MEDIA_STATS: %s\n",
		    strerror(-r));
		return r;
	}
	return load_figures(ld, f);
}

int
main(int argc, char **argv)
{
	struct load ld = { .streams = 1, .seconds = 2 };
	const struct bench_opt opts[] = {
		{ "server", BENCH_LAB_ADDR_PORT, &ld.server, 0, 0, NULL },
		{ "streams", BENCH_UINT, &ld.streams, 1, 4000, NULL },
		{ "seconds", BENCH_UINT, &ld.seconds, 1, 60, NULL },
		{ "pid", BENCH_UINT, &ld.pid, 1, 4194304, NULL },
	};
	struct load_fig f;
	unsigned i;
	int r;

	r = bench_opts_parse(opts, sizeof(opts) / sizeof(opts[0]), argc, argv);
	if (r != 0 || ld.server.len == 0) {
		fprintf(r == 1 ? stdout : stderr, "usage: mediaload --server "
		    "ADDR:PORT [--streams N] [--seconds S] [--pid PID]\n");
		return r == 1 ? 0 : 2;
	}
	signal(SIGPIPE, SIG_IGN);
	memset(&f, 0, sizeof(f));
	ld.st = calloc(ld.streams, sizeof(*ld.st));
	ld.run_st = calloc(ld.streams, sizeof(*ld.run_st));
	ld.req = calloc(ld.streams, sizeof(*ld.req));
	for (i = 0; ld.st != NULL && i < ld.streams; i++)
		ld.st[i].fd = -1;
	if (ld.st == NULL || ld.run_st == NULL || ld.req == NULL ||
	    (ld.base = event_base_new()) == NULL || bench_signals() < 0) {
		fprintf(stderr, "mediaload: out of memory\n");
		r = -ENOMEM;
		goto out;
	}
	loop_init(&ld.loop, ld.base);
	if ((ld.c = ctlcli_new(&ld.loop)) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	if ((r = ctlcli_open(ld.c, (struct sockaddr *)&ld.server.ss,
	    ld.server.len, 5000)) < 0) {
		fprintf(stderr, "mediaload: %s\n", ctlcli_errmsg(ld.c));
		goto out;
	}
	if ((r = load_run(&ld, &f)) < 0)
		goto out;
	printf("streams=%u up_sent=%llu up_lost=%llu down_sent=%llu "
	    "down_lost=%llu cli_p50=%u cli_p99=%u cli_max=%u srv_p50=%u "
	    "srv_p99=%u srv_p99max=%u srv_max=%u cli_cpu=%.1f srv_cpu=%.1f "
	    "srv_rss_kb=%ld srv_hwm_kb=%ld send_errors=%u\n", f.streams,
	    (unsigned long long)f.up_sent, (unsigned long long)f.up_lost,
	    (unsigned long long)f.down_sent, (unsigned long long)f.down_lost,
	    f.cli_p50, f.cli_p99, f.cli_max, f.srv_p50, f.srv_p99,
	    f.srv_p99max, f.srv_max, f.cli_cpu, f.srv_cpu, f.srv_rss_kb,
	    f.srv_hwm_kb, f.send_errors);
out:
	for (i = 0; ld.st != NULL && i < ld.streams; i++)
		media_stream_close(&ld.st[i]);
	ctlcli_free(ld.c);
	if (ld.base != NULL)
		event_base_free(ld.base);
	free(ld.st);
	free(ld.run_st);
	free(ld.req);
	return r < 0 ? 1 : 0;
}
