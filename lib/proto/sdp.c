/*
 * sdp.c - a WebRTC audio offer in, pinholed's answer out.  Every line is
 * cut from the buffer with its length checked; values are copied into
 * fixed fields only after their length and characters are.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "parse.h"
#include "sdp.h"

#define SDP_MAX_FMTS	32

/* The attributes of one level (session, or the section being read). */
struct sdp_level {
	char ufrag[SDP_UFRAG_MAX + 1];
	char pwd[SDP_PWD_MAX + 1];
	uint8_t fp[SDP_FP_LEN];
	int have_fp;
	enum sdp_setup setup;
	int have_dir;
	enum sdp_dir dir;
	int opus_pt;
	int rtcp_mux;
};

struct sdp_state {
	struct sdp_offer *o;
	struct sdp_level sess, cur;
	int in_media;
	int fmts[SDP_MAX_FMTS];
	size_t nfmts;
	char bundle[SDP_MAX_MEDIA][SDP_MID_MAX + 1];
	size_t nbundle;
};

static int
sdp_is_ice_char(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '+' || ch == '/';
}

/* RFC 8866 token characters. */
static int
sdp_is_token_char(int ch)
{
	return ch > 0x20 && ch < 0x7f && strchr("\"(),/:;<=>?@[\\]{}", ch) ==
	    NULL;
}

/* A proto ("UDP/TLS/RTP/SAVPF") and a format are tokens with slashes. */
static int
sdp_is_proto_char(int ch)
{
	return ch == '/' || sdp_is_token_char(ch);
}

/* Copies 'n' bytes of 'p' into out[cap] when each passes 'ok'. */
static int
sdp_copy(char *out, size_t cap, const char *p, size_t n, size_t min,
    int (*ok)(int))
{
	size_t i;

	if (n < min || n >= cap)
		return -EBADMSG;
	for (i = 0; i < n; i++)
		if (!ok((unsigned char)p[i]))
			return -EBADMSG;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

/* The next space-separated word of [*p, end); its length, 0 at the end. */
static size_t
sdp_word(const char **p, const char *end, const char **w)
{
	const char *s = *p;

	while (s < end && *s == ' ')
		s++;
	*w = s;
	while (s < end && *s != ' ')
		s++;
	*p = s;
	return (size_t)(s - *w);
}

/* A decimal number of at most 5 digits, at most 'max'. */
static int
sdp_num(const char *p, size_t n, unsigned max, unsigned *v)
{
	uint64_t x;

	if (n > 5 || parse_digits((const uint8_t *)p, n, max, &x) < 0)
		return -EBADMSG;
	*v = (unsigned)x;
	return 0;
}

static int
sdp_hex(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* "sha-256 AB:CD:..."; other hash functions are skipped. */
static int
sdp_fingerprint(struct sdp_level *lv, const char *p, const char *end)
{
	const char *w, *h;
	size_t n, i;
	int hi, lo;

	n = sdp_word(&p, end, &w);
	if (n != 7 || strncasecmp(w, "sha-256", 7) != 0)
		return 0;
	n = sdp_word(&p, end, &h);
	if (n != 3 * SDP_FP_LEN - 1)
		return -EBADMSG;
	for (i = 0; i < SDP_FP_LEN; i++) {
		hi = sdp_hex((unsigned char)h[3 * i]);
		lo = sdp_hex((unsigned char)h[3 * i + 1]);
		if (hi < 0 || lo < 0 || (i + 1 < SDP_FP_LEN && h[3 * i + 2] !=
		    ':'))
			return -EBADMSG;
		lv->fp[i] = (uint8_t)(hi << 4 | lo);
	}
	lv->have_fp = 1;
	return 0;
}

static int
sdp_setup(struct sdp_level *lv, const char *v, size_t n)
{
	static const struct { const char *name; enum sdp_setup s; } tab[] = {
		{ "actpass", SDP_SETUP_ACTPASS }, { "active", SDP_SETUP_ACTIVE },
		{ "passive", SDP_SETUP_PASSIVE },
		{ "holdconn", SDP_SETUP_HOLDCONN },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strlen(tab[i].name) == n && memcmp(v, tab[i].name, n) == 0) {
			lv->setup = tab[i].s;
			return 0;
		}
	return -EBADMSG;
}

/* "<pt> opus/48000/2": the payload type, when it is one of the m= line's. */
static int
sdp_rtpmap(struct sdp_state *st, const char *p, const char *end)
{
	const char *w, *e;
	unsigned pt;
	size_t n, i;

	n = sdp_word(&p, end, &w);
	if (sdp_num(w, n, 127, &pt) < 0)
		return -EBADMSG;
	n = sdp_word(&p, end, &e);
	if (n != 12 || strncasecmp(e, "opus/48000/2", 12) != 0 ||
	    st->cur.opus_pt >= 0)
		return 0;
	for (i = 0; i < st->nfmts; i++)
		if (st->fmts[i] == (int)pt)
			st->cur.opus_pt = (int)pt;
	return 0;
}

static int
sdp_group(struct sdp_state *st, const char *p, const char *end)
{
	const char *w;
	size_t n;

	n = sdp_word(&p, end, &w);
	if (n != 6 || memcmp(w, "BUNDLE", 6) != 0)
		return 0;
	while ((n = sdp_word(&p, end, &w)) > 0) {
		if (st->nbundle == SDP_MAX_MEDIA)
			return -EBADMSG;
		if (sdp_copy(st->bundle[st->nbundle], SDP_MID_MAX + 1, w, n, 1,
		    sdp_is_token_char) < 0)
			return -EBADMSG;
		st->nbundle++;
	}
	return 0;
}

/* One a= line; 'v' is what follows "a=". */
static int
sdp_attr(struct sdp_state *st, const char *v, const char *end)
{
	struct sdp_level *lv = st->in_media ? &st->cur : &st->sess;
	const char *colon = memchr(v, ':', (size_t)(end - v));
	const char *val = colon != NULL ? colon + 1 : end;
	size_t nlen = (size_t)((colon != NULL ? colon : end) - v);
	size_t vlen = (size_t)(end - val);

#define IS(lit) (nlen == sizeof(lit) - 1 && memcmp(v, lit, nlen) == 0)
	if (IS("ice-ufrag"))
		return sdp_copy(lv->ufrag, sizeof(lv->ufrag), val, vlen, 4,
		    sdp_is_ice_char);
	if (IS("ice-pwd"))
		return sdp_copy(lv->pwd, sizeof(lv->pwd), val, vlen, 22,
		    sdp_is_ice_char);
	if (IS("fingerprint"))
		return sdp_fingerprint(lv, val, end);
	if (IS("setup"))
		return sdp_setup(lv, val, vlen);
	if (IS("group"))
		return st->in_media ? 0 : sdp_group(st, val, end);
	if (IS("sendrecv") || IS("sendonly") || IS("recvonly") ||
	    IS("inactive")) {
		lv->have_dir = 1;
		lv->dir = IS("sendrecv") ? SDP_SENDRECV : IS("sendonly") ?
		    SDP_SENDONLY : IS("recvonly") ? SDP_RECVONLY :
		    SDP_INACTIVE;
		return 0;
	}
	if (!st->in_media)
		return 0;
	if (IS("mid")) {
		struct sdp_media *m = &st->o->media[st->o->nmedia - 1];

		return sdp_copy(m->mid, sizeof(m->mid), val, vlen, 1,
		    sdp_is_token_char);
	}
	if (IS("rtcp-mux")) {
		lv->rtcp_mux = 1;
		return 0;
	}
	if (IS("rtpmap"))
		return sdp_rtpmap(st, val, end);
#undef IS
	return 0;
}

/* The section just read: taken when it is the first audio one we can do. */
static void
sdp_media_end(struct sdp_state *st)
{
	struct sdp_offer *o = st->o;
	const struct sdp_level *s = &st->sess, *c = &st->cur;
	const struct sdp_media *m;

	if (!st->in_media || o->audio >= 0)
		return;
	m = &o->media[o->nmedia - 1];
	if (strcmp(m->type, "audio") != 0 ||
	    strcmp(m->proto, "UDP/TLS/RTP/SAVPF") != 0 || m->port == 0 ||
	    c->opus_pt < 0 || !c->rtcp_mux)
		return;
	memcpy(o->ufrag, c->ufrag[0] ? c->ufrag : s->ufrag, sizeof(o->ufrag));
	memcpy(o->pwd, c->pwd[0] ? c->pwd : s->pwd, sizeof(o->pwd));
	if (c->have_fp || s->have_fp) {
		memcpy(o->fingerprint, c->have_fp ? c->fp : s->fp, SDP_FP_LEN);
		o->have_fingerprint = 1;
	}
	o->setup = c->setup != SDP_SETUP_NONE ? c->setup : s->setup;
	o->dir = c->have_dir ? c->dir : s->have_dir ? s->dir : SDP_SENDRECV;
	o->opus_pt = c->opus_pt;
	o->rtcp_mux = 1;
	o->audio = (int)(o->nmedia - 1);
}

/* "m=<type> <port>[/<n>] <proto> <fmt> ..." */
static int
sdp_media(struct sdp_state *st, const char *p, const char *end)
{
	struct sdp_offer *o = st->o;
	struct sdp_media *m;
	const char *w, *slash;
	unsigned port, pt;
	size_t n;

	sdp_media_end(st);
	if (o->nmedia == SDP_MAX_MEDIA)
		return -EBADMSG;
	m = &o->media[o->nmedia++];
	memset(m, 0, sizeof(*m));
	memset(&st->cur, 0, sizeof(st->cur));
	st->cur.opus_pt = -1;
	st->nfmts = 0;
	st->in_media = 1;
	n = sdp_word(&p, end, &w);
	if (sdp_copy(m->type, sizeof(m->type), w, n, 1, sdp_is_token_char) < 0)
		return -EBADMSG;
	n = sdp_word(&p, end, &w);
	slash = memchr(w, '/', n);
	if (sdp_num(w, slash != NULL ? (size_t)(slash - w) : n, 65535,
	    &port) < 0)
		return -EBADMSG;
	m->port = (uint16_t)port;
	n = sdp_word(&p, end, &w);
	if (sdp_copy(m->proto, sizeof(m->proto), w, n, 1,
	    sdp_is_proto_char) < 0)
		return -EBADMSG;
	n = sdp_word(&p, end, &w);
	if (sdp_copy(m->fmt, sizeof(m->fmt), w, n, 1, sdp_is_proto_char) < 0)
		return -EBADMSG;
	do {
		if (sdp_num(w, n, 127, &pt) == 0 && st->nfmts < SDP_MAX_FMTS)
			st->fmts[st->nfmts++] = (int)pt;
	} while ((n = sdp_word(&p, end, &w)) > 0);
	return 0;
}

/* Printable ASCII, tab, and UTF-8's upper half (s= and i= may have it). */
static int
sdp_line_ok(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];

		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return 0;
	}
	return 1;
}

int
sdp_offer_decode(const char *buf, size_t len, struct sdp_offer *o)
{
	struct sdp_state st;
	const char *p = buf, *end = buf + len, *nl, *le;
	size_t i, nlines = 0;
	int r;

	if (len > SDP_MAX_LEN)
		return -EMSGSIZE;
	memset(o, 0, sizeof(*o));
	memset(&st, 0, sizeof(st));
	o->audio = -1;
	o->opus_pt = -1;
	st.o = o;
	st.sess.opus_pt = -1;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		le = nl != NULL ? nl : end;
		if (le > p && le[-1] == '\r')
			le--;
		if (le - p > SDP_MAX_LINE || le - p < 2 || p[1] != '=' ||
		    p[0] < 'a' || p[0] > 'z' || !sdp_line_ok(p, (size_t)(le - p)))
			return -EBADMSG;
		if (nlines++ == 0 && (le - p != 3 || memcmp(p, "v=0", 3) != 0))
			return -EBADMSG;
		if (p[0] == 'm')
			r = sdp_media(&st, p + 2, le);
		else if (p[0] == 'a')
			r = sdp_attr(&st, p + 2, le);
		else
			r = 0;
		if (r < 0)
			return r;
		p = nl != NULL ? nl + 1 : end;
	}
	if (nlines == 0)
		return -EBADMSG;
	sdp_media_end(&st);
	if (o->audio < 0 || strlen(o->ufrag) < 4 || strlen(o->pwd) < 22 ||
	    !o->have_fingerprint || (o->setup != SDP_SETUP_ACTPASS &&
	    o->setup != SDP_SETUP_ACTIVE))
		return -ENOTSUP;
	for (i = 0; i < st.nbundle; i++)
		if (o->media[o->audio].mid[0] != '\0' &&
		    strcmp(st.bundle[i], o->media[o->audio].mid) == 0)
			o->bundle = 1;
	return 0;
}

uint32_t
sdp_host_priority(size_t i)
{
	/* type preference 126, local preference 65535 - i, component 1 */
	return (126u << 24) + ((uint32_t)(65535 - (i & 0xffff)) << 8) + 255;
}

static const char *
sdp_dir_answer(enum sdp_dir d)
{
	switch (d) {
	case SDP_SENDONLY:
		return "recvonly";
	case SDP_RECVONLY:
		return "sendonly";
	case SDP_INACTIVE:
		return "inactive";
	default:
		return "sendrecv";
	}
}

static int
sdp_answer_media(const struct sdp_offer *o, size_t k,
    const struct sdp_answer_params *p, struct dbuf *out)
{
	const struct sdp_media *m = &o->media[k];
	const struct sdp_cand *c0 = &p->cands[0];
	const char *fam = strchr(c0->addr, ':') != NULL ? "IP6" : "IP4";
	size_t i;
	int r;

	if ((int)k != o->audio) {	/* rejected: port 0, as offered */
		r = dbuf_printf(out, "m=%s 0 %s %s\r\nc=IN %s %s\r\n", m->type,
		    m->proto, m->fmt, fam, c0->addr);
		if (r == 0 && m->mid[0] != '\0')
			r = dbuf_printf(out, "a=mid:%s\r\n", m->mid);
		return r;
	}
	r = dbuf_printf(out, "m=audio %u UDP/TLS/RTP/SAVPF %d\r\n"
	    "c=IN %s %s\r\n", c0->port, o->opus_pt, fam, c0->addr);
	if (r == 0 && m->mid[0] != '\0')
		r = dbuf_printf(out, "a=mid:%s\r\n", m->mid);
	r = r ? r : dbuf_printf(out, "a=ice-ufrag:%s\r\na=ice-pwd:%s\r\n",
	    p->ufrag, p->pwd);
	r = r ? r : dbuf_printf(out, "a=fingerprint:sha-256 ");
	for (i = 0; r == 0 && i < SDP_FP_LEN; i++)
		r = dbuf_printf(out, "%02X%s", p->fingerprint[i],
		    i + 1 < SDP_FP_LEN ? ":" : "\r\n");
	r = r ? r : dbuf_printf(out, "a=setup:passive\r\na=%s\r\n"
	    "a=rtcp-mux\r\na=rtpmap:%d opus/48000/2\r\n"
	    "a=fmtp:%d minptime=10;useinbandfec=1\r\n"
	    "a=ssrc:%u cname:pinholed\r\n", sdp_dir_answer(o->dir),
	    o->opus_pt, o->opus_pt, p->ssrc);
	for (i = 0; r == 0 && i < p->ncands; i++)
		r = dbuf_printf(out, "a=candidate:%zu 1 %s %u %s %u typ host"
		    "%s\r\n", i + 1, p->cands[i].tcp ? "tcp" : "udp",
		    sdp_host_priority(i), p->cands[i].addr, p->cands[i].port,
		    p->cands[i].tcp ? " tcptype passive" : "");
	return r ? r : dbuf_printf(out, "a=end-of-candidates\r\n");
}

int
sdp_answer_build(const struct sdp_offer *o,
    const struct sdp_answer_params *p, struct dbuf *out)
{
	size_t k;
	int r;

	if (o->audio < 0 || (size_t)o->audio >= o->nmedia || p->ncands == 0 ||
	    p->ncands > SDP_MAX_CANDS || p->ufrag == NULL || p->pwd == NULL ||
	    strlen(p->ufrag) < 4 || strlen(p->pwd) < 22)
		return -EINVAL;
	r = dbuf_printf(out, "v=0\r\no=pinholed %llu 1 IN %s %s\r\ns=-\r\n"
	    "t=0 0\r\na=ice-lite\r\n", (unsigned long long)(p->sess_id >> 1),
	    strchr(p->cands[0].addr, ':') != NULL ? "IP6" : "IP4",
	    p->cands[0].addr);
	if (r == 0 && o->bundle)
		r = dbuf_printf(out, "a=group:BUNDLE %s\r\n",
		    o->media[o->audio].mid);
	for (k = 0; r == 0 && k < o->nmedia; k++)
		r = sdp_answer_media(o, k, p, out);
	return r;
}
