/*
 * sipalg_verdict.c - evidence and verdicts of the SIP ALG checks.
 *
 * A verdict must be one a support engineer can act on without a second
 * look, so "fail" is reserved for what we saw: an element rewritten, a
 * message truncated, or messages dropped on one port that another port of
 * the same transport delivered.  A port where nothing arrives at all may
 * simply be closed: that is a warning, not an ALG.
 */
#include <stdio.h>
#include <string.h>

#include "profile.h"
#include "sipalg.h"

static const char sipalg_remedy[] =
    "Switch off the SIP ALG (also called \"SIP transformations\", \"SIP "
    "helper\" or \"SIP fixup\") on every router and firewall between the "
    "phones and the internet. Linux/OpenWrt: remove 'ct helper set \"sip\"' "
    "rules or the nf_conntrack_sip helper assignment and unload nf_nat_sip; "
    "MikroTik: /ip firewall service-port disable sip; Cisco IOS: no ip nat "
    "service sip udp port 5060 and no ip nat service sip tcp port 5060; "
    "Cisco ASA: no inspect sip; Juniper SRX: set security alg sip disable; "
    "FortiGate: config system settings, set sip-helper disable, set "
    "sip-nat-trace disable; home routers: clear the \"SIP ALG\" box in the "
    "WAN or NAT settings.";

void
sipalg_dir_summarize(const struct sipalg_dir *d, struct sipalg_dir_sum *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->all_delivered = d->tried;
	for (i = 0; i < SIPALG_NMSG; i++) {
		const struct sipalg_msg *m = &d->msg[i];

		if (!m->delivered) {
			s->all_delivered = 0;
			continue;
		}
		s->any_delivered = 1;
		if (m->truncated || m->diff.truncated)
			s->truncated = 1;
		s->rewritten += m->diff.nchanges;
	}
}

static json_t *
sipalg_str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
sipalg_dir_json(const struct sipalg_dir *d)
{
	struct sipalg_dir_sum s;
	json_t *o, *rw, *msgs;
	size_t i, k;

	sipalg_dir_summarize(d, &s);
	rw = json_array();
	msgs = json_array();
	for (i = 0; i < SIPALG_NMSG; i++) {
		const struct sipalg_msg *m = &d->msg[i];
		const char *name = sip_method_name(m->method);

		if (!d->tried)
			break;
		json_array_append_new(msgs, json_pack("{s:s, s:b, s:b, s:o, "
		    "s:I, s:o}", "method", name, "delivered", m->delivered,
		    "truncated", m->delivered &&
		    (m->truncated || m->diff.truncated),
		    "parsed", m->delivered ? json_boolean(m->diff.parsed) :
		    json_null(), "sent_bytes", (json_int_t)m->sent.len,
		    "received_bytes", m->delivered ?
		    json_integer((json_int_t)m->rlen) : json_null()));
		json_object_set_new(json_array_get(msgs,
		    json_array_size(msgs) - 1), "length_ok", m->delivered ?
		    json_boolean(!m->diff.length_wrong) : json_null());
		for (k = 0; m->delivered && k < m->diff.nchanges; k++) {
			const struct sip_change *c = &m->diff.changes[k];

			json_array_append_new(rw, json_pack("{s:s, s:s, s:o, "
			    "s:o}", "message", name, "element", c->element,
			    "sent", sipalg_str_or_null(c->sent),
			    "received", sipalg_str_or_null(c->received)));
		}
	}
	o = json_pack("{s:b, s:b, s:o, s:o}", "delivered", s.all_delivered,
	    "truncated", s.truncated, "rewritten", rw, "messages", msgs);
	if (d->media_tried || d->media_note[0] != '\0') {
		json_t *mp = json_pack("{s:i, s:i, s:o}", "sent",
		    (int)d->media_sent, "received", (int)d->media_seen,
		    "forwarded", d->media_tried ?
		    json_boolean(d->media_forwarded) : json_null());

		if (d->media_note[0] != '\0')
			json_object_set_new(mp, "note",
			    json_string(d->media_note));
		json_object_set_new(o, "media_port", mp);
	}
	if (d->extra_tried) {
		json_t *meth = json_array();

		for (i = 0; i < SIPALG_NEXTRA; i++)
			json_array_append_new(meth, json_pack("{s:s, s:b}",
			    "method", sip_method_name(d->extra[i].method),
			    "delivered", d->extra[i].delivered));
		json_object_set_new(o, "methods", meth);
	}
	if (d->note[0] != '\0')
		json_object_set_new(o, "note", json_string(d->note));
	return o;
}

/* Distinct element names rewritten in one direction, "Via, Contact". */
static void
sipalg_elements(const struct sipalg_dir *d, char *out, size_t len)
{
	const char *seen[64];
	size_t nseen = 0, used = 0, i, k, j;
	int w;

	out[0] = '\0';
	for (i = 0; i < SIPALG_NMSG; i++) {
		const struct sipalg_msg *m = &d->msg[i];

		for (k = 0; m->delivered && k < m->diff.nchanges; k++) {
			const char *e = m->diff.changes[k].element;

			for (j = 0; j < nseen && strcmp(seen[j], e) != 0; j++)
				;
			if (j < nseen)
				continue;
			if (nseen < sizeof(seen) / sizeof(seen[0]))
				seen[nseen++] = e;
			w = snprintf(out + used, len - used, "%s%s",
			    used ? ", " : "", e);
			if (w < 0 || (size_t)w >= len - used)
				return;
			used += (size_t)w;
		}
	}
}

/* "SUBSCRIBE, NOTIFY, INFO": the other methods sent and not delivered. */
static void
sipalg_extra_names(const struct sipalg_dir *d, char *out, size_t len)
{
	size_t i, used = 0;
	int w;

	out[0] = '\0';
	for (i = 0; d->extra_tried && i < SIPALG_NEXTRA; i++) {
		if (d->extra[i].delivered)
			continue;
		w = snprintf(out + used, len - used, "%s%s", used ? ", " : "",
		    sip_method_name(d->extra[i].method));
		if (w < 0 || (size_t)w >= len - used)
			return;
		used += (size_t)w;
	}
}

/* "; inbound INVITE dropped" for messages tried but not delivered. */
static void
sipalg_dropped(const struct sipalg_dir *d, const char *dir, char *out,
    size_t len)
{
	size_t i, used = strlen(out);
	int w;

	for (i = 0; d->tried && i < SIPALG_NMSG; i++) {
		if (d->msg[i].delivered)
			continue;
		w = snprintf(out + used, len - used, "; %s %s dropped", dir,
		    sip_method_name(d->msg[i].method));
		if (w < 0 || (size_t)w >= len - used)
			return;
		used += (size_t)w;
	}
	if (sipalg_extra_dropped(d) == 0)
		return;
	w = snprintf(out + used, len - used, "; %s ", dir);
	if (w < 0 || (size_t)w >= len - used)
		return;
	used += (size_t)w;
	sipalg_extra_names(d, out + used, len - used);
	used = strlen(out);
	snprintf(out + used, len - used, " dropped");
}

/* Another port of the same transport that delivered in this direction. */
static const struct sipalg_probe *
sipalg_other_ok(const struct sipalg_probe *all, size_t n,
    const struct sipalg_probe *pr, int inbound)
{
	struct sipalg_dir_sum s;
	size_t i;

	for (i = 0; i < n; i++) {
		if (&all[i] == pr || all[i].transport != pr->transport ||
		    !all[i].listening)
			continue;
		sipalg_dir_summarize(inbound ? &all[i].in : &all[i].out, &s);
		if (s.all_delivered)
			return &all[i];
	}
	return NULL;
}

/* A port of this transport where SIP passed untouched both ways. */
static const struct sipalg_probe *
sipalg_clean_port(const struct sipalg_probe *all, size_t n, int transport)
{
	struct sipalg_dir_sum o, in;
	size_t i;

	for (i = 0; i < n; i++) {
		if (all[i].transport != transport || !all[i].listening)
			continue;
		sipalg_dir_summarize(&all[i].out, &o);
		sipalg_dir_summarize(&all[i].in, &in);
		if (o.all_delivered && in.all_delivered && !o.rewritten &&
		    !in.rewritten && !o.truncated && !in.truncated)
			return &all[i];
	}
	return NULL;
}

/*
 * What the profiles say of the far end's media: 1 symmetric RTP, 0 it
 * follows the SDP, -1 none says (or they disagree).
 */
static int
sipalg_symmetric_rtp(const struct check_ctx *ctx)
{
	int v = -1;
	size_t i;

	for (i = 0; i < ctx->opt->nprofiles; i++) {
		int p = ctx->opt->profiles[i]->symmetric_rtp;

		if (p < 0)
			continue;
		if (v >= 0 && v != p)
			return -1;
		v = p;
	}
	return v;
}

static int
sipalg_report_one(struct check_ctx *ctx, const struct sipalg_probe *all,
    size_t n, const struct sipalg_probe *pr)
{
	const char *tname = pr->transport == CTL_UDP ? "udp" : "tcp";
	const char *TNAME = pr->transport == CTL_UDP ? "UDP" : "TCP";
	struct sipalg_dir_sum o, in;
	const struct sipalg_probe *other, *clean;
	char id[64], eo[256], ei[256], drop[256] = "";
	char remedy[sizeof(sipalg_remedy) + 256];
	json_t *ev;
	int sym;

	snprintf(id, sizeof(id), "sip-alg.%s.%u", tname, pr->port);
	if (check_has_id(ctx, id))
		return 0;
	if (!pr->listening) {
		report_add(ctx->report, id, "SIP ALG", VERDICT_SKIP,
		    json_pack("{s:s, s:i}", "transport", tname, "port",
		    pr->port), NULL, "the server does not listen for SIP on "
		    "%s/%u", tname, pr->port);
		return 0;
	}
	sipalg_dir_summarize(&pr->out, &o);
	sipalg_dir_summarize(&pr->in, &in);
	sym = sipalg_symmetric_rtp(ctx);
	ev = json_pack("{s:s, s:i, s:o, s:o, s:o}", "transport", tname,
	    "port", pr->port, "outbound", sipalg_dir_json(&pr->out),
	    "inbound", sipalg_dir_json(&pr->in), "symmetric_rtp", sym < 0 ?
	    json_null() : json_boolean(sym));
	sipalg_elements(&pr->out, eo, sizeof(eo));
	sipalg_elements(&pr->in, ei, sizeof(ei));

	clean = sipalg_clean_port(all, n, pr->transport);
	if (clean != NULL)
		snprintf(remedy, sizeof(remedy), "%s Until then, %s/%u passes "
		    "SIP untouched: phones and server may use that port "
		    "instead.", sipalg_remedy, tname, clean->port);
	else
		snprintf(remedy, sizeof(remedy), "%s", sipalg_remedy);

	if (o.rewritten || in.rewritten) {
		sipalg_dropped(&pr->out, "outbound", drop, sizeof(drop));
		sipalg_dropped(&pr->in, "inbound", drop, sizeof(drop));
		report_add(ctx->report, id, "SIP ALG", VERDICT_FAIL, ev, remedy,
		    "SIP over %s %u is rewritten on the way: %s%s%s%s%s%s: a "
		    "SIP ALG is on the path", TNAME, pr->port,
		    o.rewritten ? "outbound " : "", eo,
		    o.rewritten && in.rewritten ? "; " : "",
		    in.rewritten ? "inbound " : "", ei, drop);
	} else if (o.truncated || in.truncated) {
		report_add(ctx->report, id, "SIP ALG", VERDICT_FAIL, ev, remedy,
		    "SIP over %s %u arrives truncated (%s): something on the "
		    "path cuts SIP messages", TNAME, pr->port,
		    o.truncated ? "outbound" : "inbound");
	} else if (!o.all_delivered) {
		other = sipalg_other_ok(all, n, pr, 0);
		if (other != NULL)
			report_add(ctx->report, id, "SIP ALG", VERDICT_FAIL, ev,
			    remedy, "SIP over %s %u is dropped outbound while "
			    "%s %u delivers the same messages: something "
			    "inspects SIP on this port", TNAME, pr->port,
			    TNAME, other->port);
		else
			report_add(ctx->report, id, "SIP ALG", VERDICT_WARN, ev,
			    "Allow outbound SIP to the provider on this port, "
			    "then run the check again to learn whether an ALG "
			    "is there.", "no SIP over %s %u reached the "
			    "server: the port looks blocked, so the ALG could "
			    "not be tested", TNAME, pr->port);
	} else if (!in.all_delivered) {
		other = sipalg_other_ok(all, n, pr, 1);
		if (other != NULL)
			report_add(ctx->report, id, "SIP ALG", VERDICT_FAIL, ev,
			    remedy, "SIP over %s %u is dropped inbound while "
			    "%s %u delivers it: something inspects SIP on this "
			    "port", TNAME, pr->port, TNAME, other->port);
		else
			report_add(ctx->report, id, "SIP ALG", VERDICT_WARN, ev,
			    "Inbound SIP on the phone's own mapping must be "
			    "let through: check stateful rules for replies "
			    "to outbound SIP.", "SIP over %s %u goes out "
			    "unchanged, but messages back to our mapping did "
			    "not arrive", TNAME, pr->port);
	} else if (sipalg_extra_dropped(&pr->out) > 0) {
		sipalg_extra_names(&pr->out, eo, sizeof(eo));
		report_add(ctx->report, id, "SIP ALG", VERDICT_FAIL, ev, remedy,
		    "SIP over %s %u drops %s outbound while REGISTER and INVITE "
		    "pass: something on the path reads SIP and drops the "
		    "methods it does not know", TNAME, pr->port, eo);
	} else {
		report_add(ctx->report, id, "SIP ALG", VERDICT_PASS, ev, NULL,
		    "SIP over %s %u passes unchanged both ways", TNAME,
		    pr->port);
	}
	return 0;
}

int
sipalg_report(struct check_ctx *ctx, struct sipalg_probe *pr, size_t n)
{
	size_t i, before;
	int r;

	for (i = 0; i < n; i++) {
		before = ctx->report->nchecks;
		if ((r = sipalg_report_one(ctx, pr, n, &pr[i])) < 0)
			return r;
		if (ctx->report->nchecks > before)
			ctx->report->checks[before].duration_s = pr[i].seconds;
	}
	return 0;
}
