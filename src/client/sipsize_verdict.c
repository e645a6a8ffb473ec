/*
 * sipsize_verdict.c - the verdict and evidence of sip.udp-size: the
 * largest SIP message over UDP that arrives whole each way, and why the
 * larger ones do not (fragments dropped, or a SIP ALG that enlarged a
 * message past the MTU).
 */
#include <stdio.h>
#include <string.h>

#include "sipsize.h"

const size_t sipsize_sizes[SIPSIZE_NSIZES - 1] = {
	1200, 1400, 1472, 1500, 2000, 3000, 4000
};

static const char *const sipsize_result_names[] = {
	"lost", "intact", "rewritten", "cut"
};

/* One direction in a few figures. */
struct sipsize_sum {
	int any;			/* some size arrived whole */
	int all;			/* every size did */
	long long largest;		/* the largest that did, or -1 */
	long long smallest_failed;	/* the smallest lost or cut, or -1 */
	int gap;			/* a failed size below the largest */
	int rewritten;			/* some arrived rewritten */
	int frag_fail;			/* a size that needs fragments failed */
	int frag_drop;			/* exactly those failed */
	long long alg_mtu;		/* a size an ALG grew past the MTU */
};

static int
sipsize_whole(const struct sipsize_msg *m)
{
	return m->result == SIPSIZE_INTACT || m->result == SIPSIZE_REWRITTEN;
}

static void
sipsize_summarize(const struct sipsize_probe *pr, const struct sipsize_dir *d,
    struct sipsize_sum *s)
{
	size_t i, lim = SIPSIZE_MTU - pr->overhead, grow = 0;
	int unfrag_fail = 0;

	memset(s, 0, sizeof(*s));
	s->largest = s->smallest_failed = s->alg_mtu = -1;
	s->all = d->tried && d->n > 0;
	for (i = 0; i < d->n; i++) {
		const struct sipsize_msg *m = &d->msg[i];

		if (m->result == SIPSIZE_REWRITTEN && m->rlen > m->size &&
		    m->rlen - m->size > grow)
			grow = m->rlen - m->size;
	}
	for (i = 0; i < d->n; i++) {
		const struct sipsize_msg *m = &d->msg[i];

		if (m->refused) {
			s->all = 0;
			continue;
		}
		if (sipsize_whole(m)) {
			s->any = 1;
			s->rewritten |= m->result == SIPSIZE_REWRITTEN;
			if ((long long)m->size > s->largest)
				s->largest = (long long)m->size;
			continue;
		}
		s->all = 0;
		if (s->smallest_failed < 0)
			s->smallest_failed = (long long)m->size;
		if (m->size > lim) {
			s->frag_fail = 1;
			continue;
		}
		unfrag_fail = 1;
		/* It fitted as sent, but not rewritten as the others were. */
		if (s->alg_mtu < 0 && m->size + grow > lim)
			s->alg_mtu = (long long)m->size;
	}
	s->gap = s->smallest_failed >= 0 && s->largest > s->smallest_failed;
	s->frag_drop = s->frag_fail && !unfrag_fail && s->largest >= 0 &&
	    (size_t)s->largest <= lim;
}

static json_t *
sipsize_dir_json(const struct sipsize_probe *pr, const struct sipsize_dir *d)
{
	struct sipsize_sum s;
	json_t *o, *sizes;
	size_t i;
	int frag_ok = -1;

	sipsize_summarize(pr, d, &s);
	sizes = json_array();
	for (i = 0; i < d->n; i++) {
		const struct sipsize_msg *m = &d->msg[i];
		int frag = m->size + pr->overhead > SIPSIZE_MTU;

		json_array_append_new(sizes, json_pack("{s:I, s:b, s:s, s:o, "
		    "s:i}", "size", (json_int_t)m->size, "fragmented", frag,
		    "result", m->refused ? "untested" :
		    sipsize_result_names[m->result], "received_bytes",
		    m->result == SIPSIZE_LOST ? json_null() :
		    json_integer((json_int_t)m->rlen), "sends", m->sends));
		if (frag && !m->refused)
			frag_ok = frag_ok == 1 || sipsize_whole(m);
	}
	o = json_pack("{s:b, s:o, s:o, s:o, s:o}", "tried", d->tried,
	    "sizes", sizes,
	    "largest_ok", s.largest >= 0 ? json_integer(s.largest) :
	    json_null(),
	    "smallest_failed", s.smallest_failed >= 0 ?
	    json_integer(s.smallest_failed) : json_null(),
	    "fragments_pass", frag_ok < 0 ? json_null() :
	    json_boolean(frag_ok));
	if (d->note[0] != '\0')
		json_object_set_new(o, "note", json_string(d->note));
	return o;
}

/*
 * "up to 4000 bytes outbound", "up to 1472 bytes outbound (1500 lost)",
 * "up to 4000 bytes inbound except 1472".
 */
static void
sipsize_words(const struct sipsize_sum *s, const char *dir, char *buf,
    size_t len)
{
	if (s->all)
		snprintf(buf, len, "up to %lld bytes %s", s->largest, dir);
	else if (s->gap)
		snprintf(buf, len, "up to %lld bytes %s except %lld",
		    s->largest, dir, s->smallest_failed);
	else
		snprintf(buf, len, "up to %lld bytes %s (%lld lost)",
		    s->largest, dir, s->smallest_failed);
}

/* SIP over TCP that a profile allows outbound, for the remedy. */
static void
sipsize_tcp_hint(const struct check_ctx *ctx, char *buf, size_t len)
{
	size_t i, k;

	buf[0] = '\0';
	for (i = 0; i < ctx->opt->nprofiles; i++) {
		const struct profile *p = ctx->opt->profiles[i];

		for (k = 0; k < p->nendpoints; k++) {
			const struct profile_endpoint *e = &p->endpoints[k];

			if (e->proto != PROFILE_TCP || e->service == NULL ||
			    strcmp(e->service, "sip") != 0 ||
			    !(e->dir & PROFILE_OUT))
				continue;
			if (e->port_lo == e->port_hi)
				snprintf(buf, len, " (%s allows SIP over TCP "
				    "%u)", p->name, e->port_lo);
			else
				snprintf(buf, len, " (%s allows SIP over TCP "
				    "%u-%u)", p->name, e->port_lo, e->port_hi);
			return;
		}
	}
}

/* What to change, from what failed and why. */
static void
sipsize_remedy(const struct check_ctx *ctx, const struct sipsize_probe *pr,
    const struct sipsize_sum *o, const struct sipsize_sum *in, char *buf,
    size_t len)
{
	const struct sipsize_sum *alg = o->alg_mtu >= 0 ? o : in;
	char hint[96];
	long long lim;
	size_t n = 0;

	sipsize_tcp_hint(ctx, hint, sizeof(hint));
	lim = o->smallest_failed;
	if (lim < 0 || (in->smallest_failed >= 0 && in->smallest_failed < lim))
		lim = in->smallest_failed;
	buf[0] = '\0';
	if (alg->alg_mtu < 0 || o->frag_fail || in->frag_fail)
		n = (size_t)snprintf(buf, len, "An INVITE with a large SDP "
		    "(many codecs, ICE candidates, SRTP keys) of %lld bytes or "
		    "more is lost, and the call with it. ", lim);
	if (n < len && alg->alg_mtu >= 0)
		n += (size_t)snprintf(buf + n, len - n, "An INVITE that the "
		    "SIP ALG on the path enlarges past the MTU is lost (here "
		    "the %lld-byte one), and the call with it. ", alg->alg_mtu);
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, "Use SIP over TCP "
		    "between the phones and the provider%s, which carries "
		    "messages of any size", hint);
	if (n < len && (o->frag_fail || in->frag_fail))
		n += (size_t)snprintf(buf + n, len - n, "; or let IP fragments "
		    "through on the router or firewall: allow fragmented UDP, "
		    "disable 'drop fragments' (or 'IP fragment "
		    "protection'), or turn on IP fragment reassembly");
	if (n < len && alg->alg_mtu >= 0)
		n += (size_t)snprintf(buf + n, len - n, "; or switch the SIP "
		    "ALG off (see sip-alg.udp.%u)", pr->port);
	if (n < len)
		snprintf(buf + n, len - n, ".");
}

/* Why the sizes that failed did. */
static const char *
sipsize_why(const struct sipsize_sum *o, const struct sipsize_sum *in,
    char *buf, size_t len)
{
	const struct sipsize_sum *alg = o->alg_mtu >= 0 ? o : in;

	if (alg->alg_mtu >= 0)
		snprintf(buf, len, "a SIP ALG enlarged the %lld-byte message "
		    "past the %d-byte MTU, and it was dropped", alg->alg_mtu,
		    SIPSIZE_MTU);
	else if ((o->all || o->frag_drop) && (in->all || in->frag_drop))
		snprintf(buf, len, "the path drops IP fragments");
	else if (o->gap || in->gap)
		snprintf(buf, len, "some sizes are lost");
	else
		snprintf(buf, len, "larger messages are lost");
	return buf;
}

void
sipsize_report(struct check_ctx *ctx, const struct sipsize_probe *pr,
    json_t *profiles)
{
	struct sipsize_sum o, in;
	char wo[80], wi[80], why[128], remedy[1024], alg[96] = "";
	json_t *ev;

	sipsize_summarize(pr, &pr->out, &o);
	sipsize_summarize(pr, &pr->in, &in);
	ev = json_pack("{s:s, s:i, s:O, s:i, s:I, s:I, s:o, s:o}",
	    "transport", "udp", "port", pr->port, "profiles", profiles,
	    "mtu_assumed", SIPSIZE_MTU, "overhead_bytes",
	    (json_int_t)pr->overhead, "largest_unfragmented",
	    (json_int_t)(SIPSIZE_MTU - pr->overhead),
	    "outbound", sipsize_dir_json(pr, &pr->out),
	    "inbound", sipsize_dir_json(pr, &pr->in));
	if (!o.any) {
		report_add(ctx->report, SIPSIZE_ID, SIPSIZE_SECTION,
		    VERDICT_WARN, ev, "Allow outbound SIP over UDP to the "
		    "provider, then run the check again.", "no SIP over UDP "
		    "%u reached the server: the sizes that pass could not be "
		    "tested", pr->port);
		return;
	}
	sipsize_words(&o, "outbound", wo, sizeof(wo));
	if (!in.any) {
		report_add(ctx->report, SIPSIZE_ID, SIPSIZE_SECTION,
		    VERDICT_WARN, ev, "Inbound SIP on the phone's own mapping "
		    "must be let through: check stateful rules for replies to "
		    "outbound SIP.", "SIP over UDP %u arrives %s, but none of "
		    "the server's messages back to our mapping did: inbound "
		    "sizes could not be tested", pr->port, wo);
		return;
	}
	sipsize_words(&in, "inbound", wi, sizeof(wi));
	if (o.rewritten || in.rewritten)
		snprintf(alg, sizeof(alg), "; rewritten on the way (a SIP "
		    "ALG: see sip-alg.udp.%u)", pr->port);
	if (o.all && in.all) {
		report_add(ctx->report, SIPSIZE_ID, SIPSIZE_SECTION,
		    VERDICT_PASS, ev, NULL, "SIP over UDP %u arrives whole "
		    "up to %lld bytes both ways, IP fragments included%s",
		    pr->port, o.largest < in.largest ? o.largest : in.largest,
		    alg);
		return;
	}
	sipsize_remedy(ctx, pr, &o, &in, remedy, sizeof(remedy));
	sipsize_why(&o, &in, why, sizeof(why));
	/* Below the first padded size, ordinary INVITEs fail too. */
	if ((!o.all && o.largest < (long long)sipsize_sizes[0]) ||
	    (!in.all && in.largest < (long long)sipsize_sizes[0]))
		report_add(ctx->report, SIPSIZE_ID, SIPSIZE_SECTION,
		    VERDICT_FAIL, ev, remedy, "SIP over UDP %u arrives %s and "
		    "%s: INVITEs with an ordinary SDP will not arrive (%s)",
		    pr->port, wo, wi, why);
	else
		report_add(ctx->report, SIPSIZE_ID, SIPSIZE_SECTION,
		    VERDICT_WARN, ev, remedy, "SIP over UDP %u arrives %s and "
		    "%s: %s%s", pr->port, wo, wi, why,
		    o.alg_mtu < 0 && in.alg_mtu < 0 ? alg : "");
}
