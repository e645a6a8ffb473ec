/*
 * alg_impact.c - a SIP ALG's changes, kind by kind, and what they do to
 * calls.  Why each kind does what it does is in docs/decisions.md ("ALGs
 * as they are in the field"), with the vendors' documents that describe
 * the behaviours.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "alg_impact.h"
#include "report_ev.h"

/*
 * An IPv6 literal at 'p' of 'n' bytes, in its canonical form into 'out'
 * (so that two spellings of one address compare equal); 0 or -1.
 */
static int
alg_ipv6_at(const char *p, size_t n, char *out, size_t len)
{
	struct in6_addr a;
	char buf[INET6_ADDRSTRLEN];

	if (n < 2 || n >= sizeof(buf))
		return -1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET6, buf, &a) != 1 ||
	    inet_ntop(AF_INET6, &a, buf, sizeof(buf)) == NULL)
		return -1;
	snprintf(out, len, "%s", buf);
	return 0;
}

/*
 * The first address literal in 's', into 'out'; 0 or -1.  IPv4 as a
 * dotted quad; IPv6 in brackets, as SIP writes it in a URI or a Via
 * ("[2001:db8::1]:5060"), or after "IP6 ", as the SDP's c= and o= do.
 */
static int
alg_addr(const char *s, char *out, size_t len)
{
	const char *p, *e;
	struct in_addr a;
	char buf[16];
	size_t n;

	for (p = s; *p != '\0'; p++) {
		if (*p == '[' && (e = strchr(p, ']')) != NULL &&
		    alg_ipv6_at(p + 1, (size_t)(e - p - 1), out, len) == 0)
			return 0;
		if (p - s >= 4 && strncmp(p - 4, "IP6 ", 4) == 0 &&
		    alg_ipv6_at(p, strspn(p, "0123456789abcdefABCDEF:."), out,
		    len) == 0)
			return 0;
		if (*p < '0' || *p > '9' || (p > s && ((p[-1] >= '0' &&
		    p[-1] <= '9') || p[-1] == '.')))
			continue;
		n = strspn(p, "0123456789.");
		if (n >= 7 && n < sizeof(buf)) {
			memcpy(buf, p, n);
			buf[n] = '\0';
			if (inet_pton(AF_INET, buf, &a) == 1) {
				snprintf(out, len, "%s", buf);
				return 0;
			}
		}
	}
	return -1;
}

/* Whether 'el' names 'base' or a repeat of it ("Via#2"). */
static int
alg_is(const char *el, const char *base)
{
	size_t n = strlen(base);

	return strncmp(el, base, n) == 0 && (el[n] == '\0' || el[n] == '#');
}

/* Appends "DIR METHOD WHAT" to a list in 'buf', "; " between. */
static void
alg_note(char *buf, size_t len, const char *dir, const char *meth,
    const char *what)
{
	size_t used = strlen(buf);

	if (used < len)
		snprintf(buf + used, len - used, "%s%s %s%s", used ? "; " : "",
		    dir, meth, what);
}

/* Messages not delivered, cut, or with a wrong Content-Length. */
static void
alg_messages(const json_t *msgs, const char *dir, int outbound,
    struct alg_impact *im)
{
	const json_t *m;
	size_t i;

	json_array_foreach(msgs, i, m) {
		const char *meth = ev_str(m, "method");
		int invite = meth != NULL && strcmp(meth, "INVITE") == 0;
		unsigned brk = invite && outbound ? ALG_B_NO_MEDIA :
		    ALG_B_MISSED;

		if (meth == NULL)
			continue;
		if (ev_bool(m, "delivered") == 0) {
			im->kinds |= ALG_K_DROPPED;
			im->breaks |= brk;
			alg_note(im->cut, sizeof(im->cut), dir, meth,
			    " dropped");
		} else if (ev_bool(m, "truncated") == 1) {
			im->kinds |= ALG_K_CUT;
			im->breaks |= brk;
			alg_note(im->cut, sizeof(im->cut), dir, meth,
			    " cut short");
		} else if (ev_bool(m, "length_ok") == 0) {
			/* Breaks only where a receiver holds to RFC 3261
			 * 18.3; lenient ones pass it (docs/decisions.md). */
			im->kinds |= ALG_K_LENGTH;
			alg_note(im->length, sizeof(im->length), dir,
			    meth, "");
		}
	}
}

/*
 * One rewritten element of a direction whose translations went to 'to'
 * (of 'tolen' bytes; filled by the first); 'sig', 'sdp_c' and 'sdp_o'
 * note an INVITE's.
 */
static void
alg_change(const json_t *e, int outbound, struct alg_impact *im, char *to,
    size_t tolen, int *sig, int *sdp_c, int *sdp_o)
{
	const char *el = ev_str(e, "element");
	const char *sv = ev_str(e, "sent");
	const char *rv = ev_str(e, "received");
	const char *msg = ev_str(e, "message");
	int invite = msg != NULL && strcmp(msg, "INVITE") == 0;
	char s[48], d[48];

	if (el == NULL || alg_is(el, "Content-Length"))
		return;		/* a consequence, judged by length_ok */
	if (alg_is(el, "Call-ID"))
		im->kinds |= ALG_K_CALLID;
	/* The phone's INVITE with its media port changed: the far end sends
	 * there; whether that reaches the phone is the ALG's forward. */
	if (outbound && invite && alg_is(el, "sdp.m") && sv != NULL &&
	    rv != NULL && sscanf(sv, "%*s %u", &im->port_sent) == 1 &&
	    sscanf(rv, "%*s %u", &im->port_seen) == 1 &&
	    im->port_sent != im->port_seen) {
		im->kinds |= ALG_K_PORT;
		return;
	}
	if (sv == NULL || rv == NULL || alg_addr(sv, s, sizeof(s)) < 0 ||
	    alg_addr(rv, d, sizeof(d)) < 0 || strcmp(s, d) == 0) {
		/* Not an address translated: removed, added, or another
		 * change (a port, a parameter) that pinhole does not judge;
		 * elements of a message cut short are the cut's. */
		if (!(im->kinds & ALG_K_CUT) && !alg_is(el, "Call-ID") &&
		    !(im->kinds & ALG_K_OTHER)) {
			im->kinds |= ALG_K_OTHER;
			snprintf(im->unjudged, sizeof(im->unjudged), "%s", el);
		}
		return;
	}
	if (to[0] == '\0')
		snprintf(to, tolen, "%s", d);
	else if (strcmp(to, d) != 0 && im->other[0] == '\0') {
		im->kinds |= ALG_K_SPLIT;
		snprintf(im->other, sizeof(im->other), "%s and %s", to, d);
	}
	im->kinds |= ALG_K_ADDRESS;
	if (!invite)
		return;
	if (alg_is(el, "Contact") || alg_is(el, "Via")) {
		*sig = 1;
		if (im->kept[0] == '\0')
			snprintf(im->kept, sizeof(im->kept), "%s", s);
	}
	*sdp_c |= alg_is(el, "sdp.c") || alg_is(el, "sdp.m.c");
	*sdp_o |= alg_is(el, "sdp.o");
}

/* The methods beyond REGISTER and INVITE that were dropped, and what
 * each one's loss breaks. */
static void
alg_methods(const json_t *methods, struct alg_impact *im)
{
	static const struct {
		const char *name;
		unsigned brk;
	} feat[] = {
		{ "OPTIONS", ALG_B_KEEPALIVE }, { "SUBSCRIBE", ALG_B_EVENTS },
		{ "NOTIFY", ALG_B_EVENTS }, { "INFO", ALG_B_INFO },
		{ "UPDATE", ALG_B_REFRESH }, { "REFER", ALG_B_TRANSFER },
		{ "MESSAGE", ALG_B_MESSAGES },
	};
	const json_t *m;
	size_t i, k, used;

	json_array_foreach(methods, i, m) {
		const char *meth = ev_str(m, "method");

		if (meth == NULL || ev_bool(m, "delivered") != 0)
			continue;
		for (k = 0; k < sizeof(feat) / sizeof(feat[0]); k++)
			if (strcmp(meth, feat[k].name) == 0)
				break;
		if (k == sizeof(feat) / sizeof(feat[0]))
			continue;	/* not one pinhole sends */
		im->kinds |= ALG_K_METHODS;
		im->breaks |= feat[k].brk;
		used = strlen(im->methods);
		if (used < sizeof(im->methods))
			snprintf(im->methods + used, sizeof(im->methods) - used,
			    "%s%s", used ? ", " : "", meth);
	}
}

void
alg_impact_judge(const json_t *ev, struct alg_impact *im)
{
	const json_t *out = ev_obj(ev, "outbound"), *in = ev_obj(ev, "inbound");
	const json_t *e;
	int sig = 0, sdp_c = 0, sdp_o = 0, isig = 0, ic = 0, io = 0;
	char ito[sizeof(im->to)] = "";
	size_t i;

	memset(im, 0, sizeof(*im));
	im->symmetric_rtp = ev_bool(ev, "symmetric_rtp");
	alg_messages(ev_arr(out, "messages"), "outbound", 1, im);
	alg_messages(ev_arr(in, "messages"), "inbound", 0, im);
	alg_methods(ev_arr(out, "methods"), im);
	json_array_foreach(ev_arr(out, "rewritten"), i, e)
		alg_change(e, 1, im, im->to, sizeof(im->to), &sig, &sdp_c,
		    &sdp_o);
	json_array_foreach(ev_arr(in, "rewritten"), i, e)
		alg_change(e, 0, im, ito, sizeof(ito), &isig, &ic, &io);
	/* What the far end reads of the phone's media comes outbound. */
	if (sig && !sdp_c && !(im->kinds & (ALG_K_CUT | ALG_K_DROPPED))) {
		im->kinds |= ALG_K_SDP_KEPT;
		if (im->symmetric_rtp == 0)
			im->breaks |= ALG_B_ONE_WAY;
	}
	if (sdp_c && !sdp_o)
		im->kinds |= ALG_K_ORIGIN;
	/* A media port moved: what the far end's media does follows from
	 * whether the ALG forwards it, probed (outbound.media_port). */
	im->port_forwarded = ev_bool(ev_obj(out, "media_port"), "forwarded");
	if ((im->kinds & ALG_K_PORT) && im->port_forwarded == 0 &&
	    im->symmetric_rtp == 0)
		im->breaks |= ALG_B_ONE_WAY;
	if ((im->kinds & ALG_K_PORT) && im->port_forwarded < 0 &&
	    !(im->kinds & ALG_K_OTHER)) {
		im->kinds |= ALG_K_OTHER;
		snprintf(im->unjudged, sizeof(im->unjudged), "the SDP's media "
		    "port");
	}
	if ((im->breaks & ALG_B_CALLS) || (im->kinds & ALG_K_SPLIT))
		im->outcome = ALG_CALLS_BREAK;
	else if (((im->kinds & ALG_K_SDP_KEPT) && im->symmetric_rtp < 0) ||
	    ((im->kinds & ALG_K_PORT) && im->port_forwarded == 0 &&
	    im->symmetric_rtp < 0) || (im->kinds & ALG_K_LENGTH))
		im->outcome = ALG_CALLS_DEPEND;
	else if (im->kinds & ALG_K_OTHER)
		im->outcome = ALG_CALLS_UNKNOWN;
	else if (im->kinds & ALG_K_METHODS)
		im->outcome = ALG_CALLS_FEATURES;
	else
		im->outcome = ALG_CALLS_WORK;
}

/* "busy lamps ..., transfers": what fails with the methods dropped. */
static void
alg_features(const struct alg_impact *im, char *buf, size_t len)
{
	static const struct {
		unsigned brk;
		const char *what;
	} f[] = {
		{ ALG_B_KEEPALIVE, "keepalives and the provider's reachability "
		    "checks (OPTIONS), so phones that keep their bindings open "
		    "with them can miss calls and the provider may mark them "
		    "unreachable" },
		{ ALG_B_EVENTS, "busy lamps, presence and voicemail "
		    "indicators (SUBSCRIBE, NOTIFY)" },
		{ ALG_B_INFO, "keypresses sent as SIP INFO, so menus and "
		    "voicemail PINs may not hear them" },
		{ ALG_B_REFRESH, "session refreshes (UPDATE), so calls may "
		    "drop when their session timer runs out" },
		{ ALG_B_TRANSFER, "call transfers (REFER)" },
		{ ALG_B_MESSAGES, "text messages (MESSAGE)" },
	};
	size_t i, used = 0;
	int w;

	buf[0] = '\0';
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (!(im->breaks & f[i].brk))
			continue;
		w = snprintf(buf + used, len - used, "%s%s", used ? "; " : "",
		    f[i].what);
		if (w < 0 || (size_t)w >= len - used)
			return;
		used += (size_t)w;
	}
}

/* The harmless changes beside the addresses, for a sentence. */
static void
alg_harmless(const struct alg_impact *im, char *buf, size_t len)
{
	const char *o = (im->kinds & ALG_K_ORIGIN) ? "left the SDP's o= "
	    "line as it was, which only names the session" : NULL;
	const char *c = (im->kinds & ALG_K_CALLID) ? "translated the "
	    "Call-ID's address too, which a call survives as long as the ALG "
	    "translates it back in the answers" : NULL;
	char p[200] = "";

	if ((im->kinds & ALG_K_PORT) && im->port_forwarded == 1)
		snprintf(p, sizeof(p), "moved the SDP's media port %u to %u and "
		    "forwards %u to the phone", im->port_sent, im->port_seen,
		    im->port_seen);
	else if ((im->kinds & ALG_K_PORT) && im->port_forwarded == 0 &&
	    im->symmetric_rtp == 1)
		snprintf(p, sizeof(p), "moved the SDP's media port %u to %u, "
		    "which nothing forwards to the phone, but the provider "
		    "sends media back to where it comes from", im->port_sent,
		    im->port_seen);
	buf[0] = '\0';
	if (o != NULL || c != NULL || p[0] != '\0')
		snprintf(buf, len, " (it %s%s%s%s%s)", o ? o : "", o && c ?
		    "; it " : "", c ? c : "", (o || c) && p[0] ? "; it " : "",
		    p);
}

const char *
alg_impact_text(const struct alg_impact *im, char *buf, size_t len)
{
	char harmless[256], why[1024] = "";
	const char *sym = im->symmetric_rtp == 1 ?
	    "the profile says the provider sends media back to where it comes "
	    "from (symmetric RTP), so calls are heard both ways" :
	    "calls are heard both ways only if the far end sends media back "
	    "to where it comes from (symmetric RTP, \"latching\"); one that "
	    "follows the SDP sends it to the private address: one-way audio, "
	    "the phones hear nothing. The profile does not say which the "
	    "provider does (symmetric-rtp)";

	alg_harmless(im, harmless, sizeof(harmless));
	if (im->kinds & ALG_K_SPLIT)
		snprintf(why + strlen(why), sizeof(why) - strlen(why),
		    "%sit wrote two different addresses one way (%s)",
		    why[0] ? "; " : "", im->other);
	if ((im->kinds & ALG_K_SDP_KEPT) && im->symmetric_rtp == 0)
		snprintf(why + strlen(why), sizeof(why) - strlen(why),
		    "%sit rewrote the signalling to %s but left the SDP's media "
		    "address %s, and the profile says the provider sends media "
		    "where the SDP says: one-way audio, the phones hear nothing",
		    why[0] ? "; " : "", im->to, im->kept);
	if ((im->kinds & ALG_K_PORT) && im->port_forwarded == 0 &&
	    im->symmetric_rtp == 0)
		snprintf(why + strlen(why), sizeof(why) - strlen(why),
		    "%sit moved the SDP's media port %u to %u and nothing "
		    "forwards %u to the phone, and the profile says the "
		    "provider sends media where the SDP says: one-way audio, "
		    "the phones hear nothing", why[0] ? "; " : "",
		    im->port_sent, im->port_seen, im->port_seen);
	if (im->kinds & (ALG_K_CUT | ALG_K_DROPPED))
		snprintf(why + strlen(why), sizeof(why) - strlen(why),
		    "%s%s: %s", why[0] ? "; " : "", im->cut,
		    (im->breaks & ALG_B_NO_MEDIA) && (im->breaks & ALG_B_MISSED) ?
		    "no media negotiated for outgoing calls, missed incoming "
		    "calls" : (im->breaks & ALG_B_NO_MEDIA) ? "the far end "
		    "never gets the whole SDP, so no media is negotiated and "
		    "calls are not set up" : "missed calls");
	if ((im->kinds & ALG_K_METHODS) && im->outcome == ALG_CALLS_BREAK) {
		char feats[512];

		alg_features(im, feats, sizeof(feats));
		snprintf(why + strlen(why), sizeof(why) - strlen(why),
		    "%sit also drops %s: %s fail", why[0] ? "; " : "",
		    im->methods, feats);
	}
	if ((im->kinds & ALG_K_LENGTH) && why[0] != '\0')
		snprintf(why + strlen(why), sizeof(why) - strlen(why),
		    "; the Content-Length of the %s no longer matches its body "
		    "too, which a receiver that holds to RFC 3261 18.3 rejects",
		    im->length);
	switch (im->outcome) {
	case ALG_CALLS_BREAK:
		snprintf(buf, len, "calls break through it: %s", why);
		break;
	case ALG_CALLS_DEPEND:
		if ((im->kinds & ALG_K_PORT) && im->port_forwarded == 0 &&
		    im->symmetric_rtp < 0 && !(im->kinds & ALG_K_SDP_KEPT))
			snprintf(buf, len, "it moved the SDP's media port %u to "
			    "%u, which nothing forwards to the phone%s: calls "
			    "are heard both ways only if the far end sends "
			    "media back to where it comes from (symmetric RTP, "
			    "\"latching\"); one that follows the SDP sends it "
			    "to port %u, and the phones hear nothing. The "
			    "profile does not say which the provider does "
			    "(symmetric-rtp)", im->port_sent, im->port_seen,
			    harmless, im->port_seen);
		else if (im->kinds & ALG_K_SDP_KEPT && im->symmetric_rtp < 0)
			snprintf(buf, len, "it rewrote the signalling to %s but "
			    "left the SDP's media address %s%s: %s", im->to,
			    im->kept, harmless, sym);
		else
			snprintf(buf, len, "it rewrote the addresses%s%s%s",
			    im->to[0] ? " to " : "", im->to, harmless);
		if (im->kinds & ALG_K_LENGTH)
			snprintf(buf + strlen(buf), len - strlen(buf), "%sthe "
			    "Content-Length of the %s no longer matches its "
			    "body (the addresses changed length, the header did "
			    "not): calls are set up only where every SIP element "
			    "on the way lets that pass, as lenient proxies and "
			    "phones do; RFC 3261 18.3 tells a receiver to reject "
			    "such a request (400) and discard such an answer, and "
			    "where one does, no media is negotiated and calls are "
			    "not set up. The profile cannot say which the "
			    "provider's elements do", im->kinds & ALG_K_SDP_KEPT &&
			    im->symmetric_rtp < 0 ? "; and " : ", but ", im->length);
		break;
	case ALG_CALLS_FEATURES:
		alg_features(im, why, sizeof(why));
		snprintf(buf, len, "it drops %s: calls are set up through it, "
		    "but these fail: %s", im->methods, why);
		break;
	case ALG_CALLS_UNKNOWN:
		snprintf(buf, len, "it changed %s in a way pinhole does not "
		    "judge: whether calls survive it is not known", im->unjudged);
		break;
	default:
		if (im->kinds & ALG_K_SDP_KEPT)
			snprintf(buf, len, "it rewrote the signalling to %s but "
			    "left the SDP's media address %s%s: %s through it, "
			    "but the profile asks for it off", im->to, im->kept,
			    harmless, sym);
		else
			snprintf(buf, len, "it rewrote every address "
			    "consistently%s%s%s, so calls can work through it, "
			    "but the profile asks for it off", im->to[0] ?
			    " to " : "", im->to, harmless);
	}
	return buf;
}

json_t *
alg_impact_json(const struct alg_impact *im)
{
	static const char *const outcomes[] = { "work", "depend", "break",
	    "unknown", "features" };
	static const char *const kinds[] = { "address", "split-address",
	    "sdp-address-kept", "origin-kept", "call-id", "content-length",
	    "cut", "dropped", "other", "methods-dropped", "media-port" };
	static const char *const breaks[] = { "one-way-audio", "no-media",
	    "missed-calls", "keepalives", "events", "info-dtmf",
	    "session-refresh", "transfer", "messages" };
	json_t *o, *k = json_array(), *b = json_array();
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (im->kinds & (1u << i))
			json_array_append_new(k, json_string(kinds[i]));
	for (i = 0; i < sizeof(breaks) / sizeof(breaks[0]); i++)
		if (im->breaks & (1u << i))
			json_array_append_new(b, json_string(breaks[i]));
	o = json_pack("{s:s, s:o, s:o, s:o}", "outcome",
	    outcomes[im->outcome], "changes", k, "breaks", b,
	    "symmetric_rtp", im->symmetric_rtp < 0 ? json_null() :
	    json_boolean(im->symmetric_rtp));
	return o;
}
