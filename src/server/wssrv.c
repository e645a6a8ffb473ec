/*
 * wssrv.c - the browser check's WebSocket (RFC 6455) at GET /ws, inside
 * the control port's TLS.
 *
 * websrv.c routes the Upgrade request here; the connection then lives by
 * conn.c's lifecycle as any other: until the page's hello it counts as
 * one that has not authenticated (the caps on those bound it), and the
 * hello must come within hello-timeout of the upgrade; the hello opens a
 * session (session.c: the global and per-source caps, conn-rate), after
 * which a complete message must arrive every idle-timeout and the whole
 * lasts at most session-seconds.  Frames are read by lib/ws.c: a client
 * frame is masked, carries at most WS_MSG_MAX bytes, and a message is one
 * frame (fragments are refused); pings are answered with a pong of the
 * same payload and nothing else is ever sent unasked.  The session's
 * control channel is NULL: nothing but this connection's own answers
 * goes out, and nothing of the control protocol can reach it.
 *
 * Messages are JSON objects with a "type", dispatched by ws_msgs[]:
 *   hello    the session's view: address, profile, fetch targets, time
 *   offer    WebRTC: webrtc_offer() for the page's session, the
 *            candidates on the address the page reached; the answer
 *   relay    short-lived credentials for the relays of [relay] urls
 *            (relaysrv.c), charged to the session's probe cap
 *   offer    with "relay" (udp, tcp, tls): the peer is the far end of
 *            the page's relay-only connection over that transport, and
 *            takes its ICE from relay-from alone (webrtc_via_relay())
 *   results  the page's figures: judged by lib/browser.c, stored, and
 *            answered with the report's id and path
 *
 * A new offer replaces the session's peer: what the one before saw is
 * kept first (ws_peer_keep()), the direct peer's and each relay's, for
 * the report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include "browser.h"
#include "config.h"
#include "conn.h"
#include "http.h"
#include "page.h"
#include "report.h"
#include "session.h"
#include "srvproto.h"
#include "store.h"
#include "webrtc.h"
#include "ws.h"
#include "wsmsg.h"

#define WS_MSG_MAX	16384	/* a client message, at most */
#define WS_MAX_MESSAGES	64	/* messages a connection may send */
#define WS_FETCH_TIMEOUT_MS 5000	/* what the page waits for a host */
#define WS_PROTO_VERSION 1

struct wsconn {
	struct conn *c;
	struct session *ss;		/* from the hello on */
	struct store_job *job;		/* a report in the store's hands */
	unsigned messages;
	int results;			/* results were received */
	long long hello_ms;		/* monotonic, at the hello */
	time_t hello_wall;
	char host[256];			/* the page's origin host */
	int peer_kind;			/* the peer: -1 none, 0 direct, 1 + a
					 * BROWSER_RELAY_ transport */
	struct browser_webrtc_srv kept[1 + BROWSER_RELAYS];
};

static const char *const ws_relay_names[BROWSER_RELAYS] = { "udp", "tcp",
	"tls" };

struct ws_msg_route {
	const char *type;
	int after_hello;
	void (*handler)(struct wsconn *w, const json_t *msg);
};

/* Queues a close frame and closes once it is out. */
static void
ws_fail(struct wsconn *w, uint16_t code, const char *reason)
{
	struct dbuf b;

	if (!conn_is_open(w->c))
		return;
	dbuf_init(&b, WS_CONTROL_MAX + 2);
	if (ws_close_encode(&b, code, reason) == 0)
		(void)conn_write(w->c, b.b, b.len);
	dbuf_free(&b);
	conn_close(w->c);
}

/* Sends a JSON message (the reference is taken over); 'secret': its
 * text is cleansed once framed. */
static int
ws_send_text(struct wsconn *w, json_t *o, int secret)
{
	char *s = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(6)) : NULL;
	struct dbuf b;
	int r = -ENOMEM;

	json_decref(o);
	if (s == NULL) {
		ws_fail(w, WS_CLOSE_INTERNAL, "out of memory");
		return -ENOMEM;
	}
	dbuf_init(&b, strlen(s) + WS_MAX_HEAD);
	if (ws_frame_encode(&b, WS_TEXT, s, strlen(s)) == 0)
		r = conn_write(w->c, b.b, b.len);
	if (secret) {
		OPENSSL_cleanse(s, strlen(s));
		if (b.b != NULL)
			OPENSSL_cleanse(b.b, b.cap);
	}
	dbuf_free(&b);
	free(s);
	return r;
}

static int
ws_send(struct wsconn *w, json_t *o)
{
	return ws_send_text(w, o, 0);
}

static void
ws_error(struct wsconn *w, const char *reason)
{
	(void)ws_send(w, json_pack("{s:s, s:s}", "type", "error", "reason",
	    reason));
}

static void
ws_hello_h(struct wsconn *w, const json_t *msg)
{
	struct conn *c = w->c;
	struct server *s = c->srv;
	const struct page *pg = s->page;
	const struct profile *p = pg->profile;
	char addr[NET_ADDRSTRLEN], now[32];
	struct timespec ts;
	int r;

	(void)msg;
	if (w->ss != NULL) {
		ws_error(w, "hello was already said");
		return;
	}
	if (!rate_take(&s->conn_rate, &c->peer_ip, s->now_ms())) {
		ws_fail(w, WS_CLOSE_POLICY, "sessions opened too fast from this "
		    "address");
		return;
	}
	/* No control channel: session_write() has nowhere to go. */
	r = session_open_page(s, &c->peer_ip, &w->ss);
	if (r < 0) {
		ws_fail(w, r == -EBUSY ? 1013 : WS_CLOSE_POLICY, r == -EBUSY ?
		    "too many sessions" : r == -EUSERS ? "too many sessions "
		    "from this address" : "out of resources");
		return;
	}
	conn_authed(c);
	conn_deadline(c, CONN_DL_IDLE, s->conf.idle_timeout);
	conn_deadline(c, CONN_DL_TOTAL, s->conf.session_seconds);
	w->hello_ms = s->now_ms();
	w->hello_wall = time(NULL);
	clock_gettime(CLOCK_REALTIME, &ts);
	wsmsg_rfc3339(w->hello_wall, now, sizeof(now));
	net_ip_str(&c->peer_ip, addr, sizeof(addr));
	(void)ws_send(w, json_pack("{s:s, s:i, s:s, s:s, s:i, s:s, s:I, "
	    "s:{s:s, s:s*}, s:o, s:o, s:o, s:i, s:b, s:b, s:{s:i, s:i, s:i}}",
	    "type", "hello", "version", WS_PROTO_VERSION,
	    "software", "pinholed " PINHOLE_VERSION,
	    "address", addr, "port", (int)c->peer_port,
	    "server_time", now,
	    "server_time_ms", (json_int_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000,
	    "profile", "name", p->name, "title", p->title,
	    "endpoints", wsmsg_endpoints(p),
	    "media", p->has_media ? json_pack("{s:[i, i], s:s*}", "udp",
	    (int)p->media_lo, (int)p->media_hi, "codec", p->codec) : json_null(),
	    "fetch", browser_targets_json(&pg->targets),
	    "fetch_timeout_ms", WS_FETCH_TIMEOUT_MS,
	    "webrtc", webrtc_available(s),
	    "relay", s->conf.relay_secret_len > 0 && s->conf.nrelay_urls > 0,
	    "limits", "message_bytes", WS_MSG_MAX, "messages", WS_MAX_MESSAGES,
	    "seconds", (int)s->conf.session_seconds));
}

/* What the session's peer saw so far, kept in its slot of w->kept. */
static void
ws_peer_keep(struct wsconn *w)
{
	struct browser_webrtc_srv *k;

	if (w->peer_kind < 0)
		return;
	k = &w->kept[w->peer_kind];
	memset(k, 0, sizeof(*k));
	if (webrtc_paths(w->ss, k) == 0)
		k->have_stats = webrtc_stats(w->ss, &k->up) == 0;
}

/* Credentials for the relays: never logged, cleansed once sent. */
static void
ws_relay_h(struct wsconn *w, const json_t *msg)
{
	const char *why;
	json_t *o;

	(void)msg;
	if ((o = relaysrv_page(w->ss, &why)) == NULL)
		ws_error(w, why);
	else
		(void)ws_send_text(w, o, 1);
}

/*
 * WebRTC: the page's offer answered by a peer of the page's session (ICE
 * from the page's client IP only, media only to the address that did
 * ICE), its candidates first on the address the page reached.
 */
static void
ws_offer_h(struct wsconn *w, const json_t *msg)
{
	const json_t *sdp = json_object_get(msg, "sdp");
	const json_t *via = json_object_get(msg, "relay");
	struct dbuf ans;
	int r, kind = 0;

	if (!json_is_string(sdp)) {
		ws_error(w, "offer: no sdp");
		return;
	}
	if (!webrtc_available(w->c->srv)) {
		ws_error(w, "webrtc not available");
		return;
	}
	if (via != NULL) {
		while (kind < BROWSER_RELAYS && (!json_is_string(via) ||
		    strcmp(json_string_value(via), ws_relay_names[kind]) != 0))
			kind++;
		if (kind++ == BROWSER_RELAYS) {
			ws_error(w, "offer: relay is udp, tcp or tls");
			return;
		}
		if (w->c->srv->conf.nrelay_from == 0) {
			ws_error(w, "offer: no relay-from on this server: it "
			    "takes no media from relays");
			return;
		}
	}
	ws_peer_keep(w);
	w->peer_kind = -1;
	dbuf_init(&ans, SDP_MAX_LEN);
	r = webrtc_offer(w->ss, &w->c->local_ip, w->c->local_port,
	    json_string_value(sdp),
	    json_string_length(sdp), &ans);
	if (r == 0 && kind > 0)
		r = webrtc_via_relay(w->ss);
	if (r == 0) {
		w->peer_kind = kind;
		memset(&w->kept[kind], 0, sizeof(w->kept[kind]));
	}
	if (r == 0)
		(void)ws_send(w, json_pack("{s:s, s:s%}", "type", "answer",
		    "sdp", (const char *)ans.b, ans.len));
	else
		ws_error(w, r == -EDQUOT ? "session media caps reached" :
		    r == -EBUSY ? "WebRTC peers busy" : r == -EBADMSG ?
		    "malformed SDP offer" : r == -ENOTSUP ?
		    "no audio section we can answer" : r == -ENOENT ?
		    "no media port" : "cannot answer");
	dbuf_free(&ans);
}

static void
ws_stored_h(struct store_job *j)
{
	struct wsconn *w = j->arg;
	char path[8 + STORE_ID_LEN];

	if (w == NULL)
		goto out;
	w->job = NULL;
	if (j->result == -ENOSPC)
		ws_error(w, "the store is full");
	else if (j->result < 0)
		ws_error(w, "the store failed");
	else {
		snprintf(path, sizeof(path), "/r/%s", j->row.id);
		(void)ws_send(w, json_pack("{s:s, s:s, s:s, s:s, s:o*}", "type",
		    "report", "id", j->row.id, "url", path, "verdict",
		    j->row.verdict, "advice", wsmsg_advice(j->rep)));
	}
out:
	store_job_free(j);
}

/* Builds the report of the page's figures: lib/browser.c judges. */
static int
ws_report(struct wsconn *w, const json_t *msg, struct report *rep)
{
	struct conn *c = w->c;
	const struct page *pg = c->srv->page;
	struct browser_results br = pg->targets;
	char addr[NET_ADDRSTRLEN], started[32];
	SSL *ssl;
	int r;

	br.ws_port = c->local_port;
	net_ip_str(&c->peer_ip, addr, sizeof(addr));
	snprintf(br.address, sizeof(br.address), "%s", addr);
	if ((ssl = bufferevent_openssl_get_ssl(c->bev)) != NULL)
		snprintf(br.tls_version, sizeof(br.tls_version), "%s",
		    SSL_get_version(ssl));
	if ((r = browser_results_read(msg, &br)) < 0)
		return r;
	br.webrtc_available = webrtc_available(c->srv);
	ws_peer_keep(w);
	br.wsrv = w->kept[0];
	br.relay_offered = c->srv->conf.relay_secret_len > 0 &&
	    c->srv->conf.nrelay_urls > 0;
	for (r = 0; r < BROWSER_RELAYS; r++)
		br.relay[r].srv = w->kept[1 + r];
	report_init(rep);
	wsmsg_rfc3339(w->hello_wall, started, sizeof(started));
	if (report_set(rep, &rep->server, w->host) < 0 ||
	    report_add_profile(rep, pg->profile->name) < 0 ||
	    report_set(rep, &rep->public_tcp, addr) < 0 ||
	    report_set(rep, &rep->started, started) < 0 ||
	    browser_report_add(rep, pg->profile->name, &br) < 0) {
		report_free(rep);
		return -ENOMEM;
	}
	rep->duration_s = (double)(c->srv->now_ms() - w->hello_ms) / 1000.0;
	return 0;
}

static void
ws_results_h(struct wsconn *w, const json_t *msg)
{
	struct server *s = w->c->srv;
	struct store_job *j;
	struct report rep;
	int r;

	if (w->results) {
		ws_error(w, "results were already received");
		return;
	}
	w->results = 1;
	if ((r = ws_report(w, msg, &rep)) < 0) {
		ws_error(w, r == -EBADMSG ? "results: not the page's figures" :
		    "out of memory");
		return;
	}
	if ((j = store_job_new(STORE_PUT)) == NULL ||
	    store_job_report(j, &rep) < 0 || store_id_new(j->row.id) < 0) {
		report_free(&rep);
		store_job_free(j);
		ws_error(w, "out of resources");
		return;
	}
	report_free(&rep);
	if ((r = store_upload_charge(s, w->ss, &w->c->peer_ip, &j->row)) < 0) {
		store_job_free(j);
		ws_error(w, r == -EUSERS ? "too many uploads in this session" :
		    "too many uploads from this address");
		return;
	}
	j->row.created = (long long)time(NULL);
	net_ip_str(&w->c->peer_ip, j->row.source, sizeof(j->row.source));
	store_origin(w->c->srv, &w->c->peer_ip, j->row.origin,
	    sizeof(j->row.origin));
	j->done = ws_stored_h;
	j->arg = w;
	if (store_submit(s, j) < 0) {
		store_job_free(j);
		ws_error(w, "the store is busy: try again later");
		return;
	}
	w->job = j;
}

static const struct ws_msg_route ws_msgs[] = {
	{ "hello", 0, ws_hello_h },
	{ "offer", 1, ws_offer_h },
	{ "relay", 1, ws_relay_h },
	{ "results", 1, ws_results_h },
};

static void
ws_message(struct wsconn *w, const uint8_t *p, size_t n)
{
	const struct ws_msg_route *rt = NULL;
	json_error_t jerr;
	const char *type;
	json_t *o;
	size_t i;

	if (++w->messages > WS_MAX_MESSAGES) {
		ws_fail(w, WS_CLOSE_POLICY, "too many messages");
		return;
	}
	if (!ws_utf8_valid(p, n)) {
		ws_fail(w, WS_CLOSE_BAD_DATA, "a text message that is not UTF-8");
		return;
	}
	o = json_loadb((const char *)p, n, JSON_REJECT_DUPLICATES, &jerr);
	type = json_string_value(json_object_get(o, "type"));
	for (i = 0; type != NULL && i < sizeof(ws_msgs) / sizeof(ws_msgs[0]);
	    i++)
		if (strcmp(ws_msgs[i].type, type) == 0)
			rt = &ws_msgs[i];
	if (!json_is_object(o) || type == NULL)
		ws_fail(w, WS_CLOSE_BAD_DATA, "a message is a JSON object with "
		    "a type");
	else if (w->ss == NULL && (rt == NULL || rt->after_hello))
		ws_fail(w, WS_CLOSE_POLICY, "hello first");
	else if (rt == NULL)
		ws_error(w, "unknown message type");
	else
		rt->handler(w, o);
	json_decref(o);
}

/* One frame, whole: 0 to go on, -1 when the connection is closing. */
static int
ws_frame(struct wsconn *w, const struct ws_frame *f)
{
	uint8_t buf[WS_MSG_MAX];
	struct dbuf b;
	uint16_t code;

	ws_frame_unmask(f, buf);
	switch (f->opcode) {
	case WS_TEXT:
		if (!f->fin) {
			ws_fail(w, WS_CLOSE_POLICY, "fragmented messages are "
			    "not accepted");
			return -1;
		}
		if (w->ss != NULL)	/* only whole messages are activity */
			conn_deadline(w->c, CONN_DL_IDLE,
			    w->c->srv->conf.idle_timeout);
		ws_message(w, buf, (size_t)f->payload_len);
		break;
	case WS_CONT:
		ws_fail(w, WS_CLOSE_POLICY, "fragmented messages are not "
		    "accepted");
		return -1;
	case WS_BINARY:
		ws_fail(w, WS_CLOSE_UNSUPPORTED, "text messages only");
		return -1;
	case WS_PING:
		dbuf_init(&b, WS_CONTROL_MAX + 2);
		if (ws_frame_encode(&b, WS_PONG, buf, (size_t)f->payload_len) == 0)
			(void)conn_write(w->c, b.b, b.len);
		dbuf_free(&b);
		break;
	case WS_PONG:
		break;
	case WS_CLOSE:
		if (ws_close_parse(buf, (size_t)f->payload_len, &code) < 0)
			ws_fail(w, WS_CLOSE_PROTOCOL, "a malformed close");
		else
			ws_fail(w, code == 1005 ? WS_CLOSE_NORMAL : code, "");
		return -1;
	}
	return conn_is_open(w->c) ? 0 : -1;
}

static void
ws_read_h(struct conn *c, struct evbuffer *in)
{
	struct wsconn *w = c->arg;
	struct ws_frame f;
	size_t avail;
	uint8_t *p;
	int r;

	while (conn_is_open(c) && (avail = evbuffer_get_length(in)) > 0) {
		if (avail > WS_MAX_HEAD + WS_MSG_MAX)
			avail = WS_MAX_HEAD + WS_MSG_MAX;
		p = evbuffer_pullup(in, (ssize_t)avail);
		r = ws_frame_decode(p, avail, WS_MSG_MAX, &f);
		if (r == -EAGAIN)
			return;
		if (r == -EMSGSIZE) {
			srv_log_remote(c->srv, "websocket frame too large");
			ws_fail(w, WS_CLOSE_TOO_BIG, "a frame is at most 16384 "
			    "bytes");
			return;
		}
		if (r < 0) {
			srv_log_remote(c->srv, "malformed websocket frame");
			ws_fail(w, WS_CLOSE_PROTOCOL, "malformed or unmasked "
			    "frame");
			return;
		}
		if (ws_frame(w, &f) < 0)
			return;
		evbuffer_drain(in, f.frame_len);
	}
}

static void
ws_expired_h(struct conn *c, enum conn_deadline which)
{
	struct wsconn *w = c->arg;

	ws_fail(w, WS_CLOSE_GOING_AWAY, which == CONN_DL_START ?
	    "hello did not arrive in time" : which == CONN_DL_IDLE ?
	    "no message within the idle timeout" : "session time is up");
}

static void
ws_gone_h(struct conn *c)
{
	struct wsconn *w = c->arg;

	if (w == NULL)
		return;
	if (w->job != NULL)
		w->job->arg = NULL;
	if (w->ss != NULL)
		session_close(w->ss);
	free(w);
}

static const struct conn_ops ws_ops = {
	.name = "websocket",
	.read = ws_read_h,
	.expired = ws_expired_h,
	.gone = ws_gone_h,
};

/* Whether the comma-separated list 'v' holds the token 'tok'. */
static int
ws_has_token(const uint8_t *v, size_t n, const char *tok)
{
	size_t i = 0, s, e, tl = strlen(tok);

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e - s == tl && strncasecmp((const char *)v + s, tok, tl) == 0)
			return 1;
	}
	return 0;
}

static int
ws_field_is(const struct http_req *req, const char *name, const char *want,
    int list)
{
	const uint8_t *v;
	size_t n;

	if (http_req_field(req, name, &v, &n) < 0)
		return 0;
	if (list)
		return ws_has_token(v, n, want);
	return n == strlen(want) && strncasecmp((const char *)v, want, n) == 0;
}

int
wssrv_take(struct conn *c, const struct http_req *req, const char *host,
    const char **why)
{
	char accept[WS_ACCEPT_LEN + 1], origin[300], head[256];
	struct evbuffer *in = bufferevent_get_input(c->bev);
	const uint8_t *key, *org;
	size_t klen, olen;
	struct wsconn *w;
	int n;

	*why = "not a WebSocket handshake";
	if (req->minor < 1 || req->body_len > 0 ||
	    !ws_field_is(req, "upgrade", "websocket", 1) ||
	    !ws_field_is(req, "connection", "upgrade", 1) ||
	    http_req_field(req, "sec-websocket-key", &key, &klen) < 0 ||
	    ws_accept_key(key, klen, accept) < 0)
		return -EBADMSG;
	if (!ws_field_is(req, "sec-websocket-version", "13", 0)) {
		*why = "Sec-WebSocket-Version must be 13";
		return -EPROTONOSUPPORT;
	}
	/* Only the page itself may open it: a browser on another site's
	 * page must not be made a client of this server. */
	snprintf(origin, sizeof(origin), "https://%s", host);
	if (http_req_field(req, "origin", &org, &olen) < 0 ||
	    olen != strlen(origin) || strncasecmp((const char *)org, origin,
	    olen) != 0) {
		*why = "the Origin is not this server's page";
		return -EPERM;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		*why = "out of memory";
		return -ENOMEM;
	}
	n = snprintf(head, sizeof(head), "HTTP/1.1 101 Switching Protocols\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Accept: %s\r\n\r\n", accept);
	evbuffer_drain(in, req->head_len);
	w->c = c;
	w->peer_kind = -1;
	snprintf(w->host, sizeof(w->host), "%s", host);
	conn_handover(c, &ws_ops, w);
	if (conn_write(c, head, (size_t)n) < 0)
		return 0;	/* aborted: ws_gone_h frees w */
	conn_deadline(c, CONN_DL_TOTAL, c->srv->conf.session_seconds);
	conn_deadline(c, CONN_DL_START, c->srv->conf.hello_timeout);
	bufferevent_setwatermark(c->bev, EV_READ, 0, WS_MAX_HEAD + WS_MSG_MAX);
	bufferevent_enable(c->bev, EV_READ);
	ws_read_h(c, in);
	return 0;
}
