/* conf.c - pinholed.conf: an INI file, every error with its line. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <ini.h>

#include "conf_relay.h"
#include "config.h"
#include "parse.h"
#include "server.h"
#include "store.h"

void
conf_defaults(struct srv_conf *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	c->control_port = CTL_PORT;
	c->sip_udp[0][0] = 5060;
	c->sip_udp[0][1] = 5066;
	c->nsip_udp = 1;
	c->sip_tcp[0][0] = 5060;
	c->sip_tcp[0][1] = 5066;
	c->nsip_tcp = 1;
	c->stun_port = 3478;
	c->stun_alt_port = 3479;
	c->http[0][0] = c->http[0][1] = 80;
	c->http[1][0] = c->http[1][1] = 5280;
	c->nhttp = 2;
	c->xmpp[0][0] = c->xmpp[0][1] = 5222;
	c->nxmpp = 1;
	c->ntlsp = 0;		/* 5061 is a SIP/TCP port by default */
	/* Samples of the common RTP range 10000-20000: its ends and middle. */
	/* 16 ports spread evenly over the common RTP range 10000-20000, its
	 * edges included: a firewall that opens only part of it shows. */
	for (i = 0; i < SRV_MAX_RANGES; i++)
		c->media[i][0] = c->media[i][1] = (uint16_t)(10000 +
		    i * 10000 / (SRV_MAX_RANGES - 1));
	c->nmedia = SRV_MAX_RANGES;
	snprintf(c->user, sizeof(c->user), "nobody");
	c->max_sessions = 256;
	c->max_sessions_per_source = 4;
	c->max_page_sessions = 64;
	c->session_seconds = 600;
	c->session_probes = 2000;
	c->session_bytes = 16777216;
	c->hello_timeout = CTL_HELLO_TIMEOUT;
	c->idle_timeout = CTL_IDLE_TIMEOUT;
	c->close_timeout = 5;
	c->output_limit = 1048576;
	c->conn_rate = 10;
	c->max_tcp_per_source = 16;
	c->max_unauth = 256;
	c->max_unauth_per_source = 8;
	c->sweep_ports = 262144;	/* four sweeps of every port */
	c->sweep_pps = 50000;
	c->session_connects = 64;
	c->stun_rate = 20;
	c->session_stun_rate = 200;
	c->media_streams = 512;
	c->session_media_streams = 32;
	c->session_media_seconds = 600;
	c->session_media_kbps = 4000;
	c->store_retention_days = 30;
	c->store_max_bytes = 262144;
	c->store_max_page_bytes = 786432;
	c->store_uploads_per_source = 10;
	c->store_uploads_per_session = 2;
	c->store_max_rows = 5000;
	c->http_rate = 10;
	snprintf(c->page_dir, sizeof(c->page_dir), "%s", PINHOLE_PAGE_DIR);
	snprintf(c->page_profile, sizeof(c->page_profile), "ringio-web-phone");
	c->webrtc_peers = 64;
	c->source_prefix6 = 64;
	c->relay_seconds = 600;
}

#define CONF_RANGES "ports and ranges such as 5060-5066, at most 16, " \
	"separated by spaces or commas"

/* The keys of [server], and what each takes: said when a value is refused. */
static const struct conf_key conf_server_keys[] = {
	{ "listen", "an IPv4 or IPv6 address, one a line, at most 8 lines" },
	{ "control-port", "a port, 1-65535" },
	{ "stun-port", "a port, 1-65535" },
	{ "stun-alt-port", "a port, 1-65535, or 0 for none" },
	{ "sip-udp-ports", CONF_RANGES },
	{ "sip-tcp-ports", CONF_RANGES },
	{ "http-ports", CONF_RANGES },
	{ "xmpp-ports", CONF_RANGES },
	{ "tls-ports", CONF_RANGES },
	{ "media-udp-ports", CONF_RANGES },
	{ "user", "a user name" },
	{ "tls-cert", "the path of a PEM file" },
	{ "tls-key", "the path of a PEM file" },
	{ "store", "sqlite:/ABSOLUTE/PATH, postgresql://USER@HOST/DB or "
	    "postgresql:CONNINFO" },
	{ "support-token", "16 to 127 characters" },
	{ "page-dir", "a directory" },
	{ "page-profile", "a profile's name or path" },
	{ "allow-loopback", "yes or no" },
	{ "log", "stderr or syslog" },
	{ "metrics-listen", "PORT (on 127.0.0.1), ADDRESS:PORT or [IPv6]:PORT, "
	    "not a public port" },
};
#define CONF_NSERVER	(sizeof(conf_server_keys) / sizeof(conf_server_keys[0]))

/* "5060-5066" or "5060 5062,6000-6010". */
static int
conf_ranges(const char *v, uint16_t (*r)[2], size_t *n)
{
	char buf[256], *tok, *save = NULL;

	if (strlen(v) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", v);
	*n = 0;
	for (tok = strtok_r(buf, " ,", &save); tok != NULL;
	    tok = strtok_r(NULL, " ,", &save)) {
		if (*n == SRV_MAX_RANGES ||
		    parse_port_range(tok, &r[*n][0], &r[*n][1]) < 0)
			return -EINVAL;
		(*n)++;
	}
	return *n ? 0 : -EINVAL;
}

static const struct {
	const char *name;
	size_t off;
	unsigned min, max;
} conf_limits[] = {
	{ "max-sessions", offsetof(struct srv_conf, max_sessions), 1, 100000 },
	{ "max-sessions-per-source",
	    offsetof(struct srv_conf, max_sessions_per_source), 1, 1000 },
	{ "max-page-sessions", offsetof(struct srv_conf, max_page_sessions), 1,
	    100000 },
	{ "session-seconds", offsetof(struct srv_conf, session_seconds), 10, 86400 },
	{ "session-probes", offsetof(struct srv_conf, session_probes), 1, 1000000 },
	{ "session-bytes", offsetof(struct srv_conf, session_bytes), 1024,
	    1073741824 },
	{ "hello-timeout", offsetof(struct srv_conf, hello_timeout), 1, 600 },
	{ "idle-timeout", offsetof(struct srv_conf, idle_timeout), 5, 3600 },
	{ "conn-rate", offsetof(struct srv_conf, conn_rate), 1, 100000 },
	{ "max-tcp-conns-per-source",
	    offsetof(struct srv_conf, max_tcp_per_source), 1, 10000 },
	{ "close-timeout", offsetof(struct srv_conf, close_timeout), 1, 600 },
	{ "output-limit", offsetof(struct srv_conf, output_limit), 65536,
	    268435456 },
	{ "max-unauth", offsetof(struct srv_conf, max_unauth), 1, 100000 },
	{ "max-unauth-per-source",
	    offsetof(struct srv_conf, max_unauth_per_source), 1, 10000 },
	{ "sweep-ports", offsetof(struct srv_conf, sweep_ports), 0, 10000000 },
	{ "sweep-pps", offsetof(struct srv_conf, sweep_pps), 100, 1000000 },
	{ "session-connects", offsetof(struct srv_conf, session_connects), 1,
	    4096 },
	{ "stun-rate", offsetof(struct srv_conf, stun_rate), 1, 1000000 },
	{ "session-stun-rate", offsetof(struct srv_conf, session_stun_rate),
	    1, 1000000 },
	{ "media-streams", offsetof(struct srv_conf, media_streams), 0,
	    100000 },
	{ "session-media-streams",
	    offsetof(struct srv_conf, session_media_streams), 1, 100000 },
	{ "session-media-seconds",
	    offsetof(struct srv_conf, session_media_seconds), 1, 1000000 },
	{ "session-media-kbps", offsetof(struct srv_conf, session_media_kbps),
	    64, 10000000 },
	{ "store-retention-days",
	    offsetof(struct srv_conf, store_retention_days), 1, 36500 },
	{ "store-max-bytes", offsetof(struct srv_conf, store_max_bytes), 4096,
	    16777216 },
	{ "store-max-page-bytes",
	    offsetof(struct srv_conf, store_max_page_bytes), 16384, 16777216 },
	{ "store-uploads-per-source",
	    offsetof(struct srv_conf, store_uploads_per_source), 1, 100000 },
	{ "store-uploads-per-session",
	    offsetof(struct srv_conf, store_uploads_per_session), 1, 1000 },
	{ "store-max-rows", offsetof(struct srv_conf, store_max_rows), 1,
	    4000000000u },
	{ "http-rate", offsetof(struct srv_conf, http_rate), 1, 100000 },
	{ "webrtc-peers", offsetof(struct srv_conf, webrtc_peers), 0, 10000 },
	{ "source-prefix6", offsetof(struct srv_conf, source_prefix6), 32, 128 },
};

#define CONF_NLIMITS	(sizeof(conf_limits) / sizeof(conf_limits[0]))

struct conf_state {
	struct srv_conf *c;
	const char *path;
	FILE *f;
	int lineno;		/* counted by our reader: inih's own is off */
	int errors;
	int listen_set;
	/* The line each key was last set on (0: not in the file), so that
	 * an error that involves two keys names them where they are. */
	int server_line[CONF_NSERVER];
	int limit_line[CONF_NLIMITS];
	int relay_line[CONF_NRELAY];
};

static char *
conf_reader(char *buf, int size, void *arg)
{
	struct conf_state *st = arg;

	if (fgets(buf, size, st->f) == NULL)
		return NULL;
	st->lineno++;
	return buf;
}

/* The line of 'key' in the file, 0 when it is not there. */
static int
conf_line(const struct conf_state *st, const char *key)
{
	size_t i;

	for (i = 0; i < CONF_NSERVER; i++)
		if (strcmp(key, conf_server_keys[i].name) == 0)
			return st->server_line[i];
	for (i = 0; i < CONF_NLIMITS; i++)
		if (strcmp(key, conf_limits[i].name) == 0)
			return st->limit_line[i];
	for (i = 0; i < CONF_NRELAY; i++)
		if (strcmp(key, conf_relay_keys[i].name) == 0)
			return st->relay_line[i];
	return 0;
}

/* The line of the first of 'a', 'b' and 'c' that is in the file. */
static int
conf_line_of(const struct conf_state *st, const char *a, const char *b,
    const char *c)
{
	int l = conf_line(st, a);

	if (l == 0 && b != NULL)
		l = conf_line(st, b);
	if (l == 0 && c != NULL)
		l = conf_line(st, c);
	return l;
}

/* "unknown key": the keys the section has. */
static void
conf_unknown_key(const struct conf_state *st, int lineno, const char *name,
    const char *section)
{
	char keys[1024];
	size_t i, n, off = 0;
	int server = strcmp(section, "server") == 0;
	int relay = strcmp(section, "relay") == 0;

	keys[0] = '\0';
	n = server ? CONF_NSERVER : relay ? CONF_NRELAY : CONF_NLIMITS;
	for (i = 0; i < n && off < sizeof(keys); i++)
		off += (size_t)snprintf(keys + off, sizeof(keys) - off, "%s%s",
		    i ? ", " : "", server ? conf_server_keys[i].name : relay ?
		    conf_relay_keys[i].name : conf_limits[i].name);
	log_warnx("%s:%d: unknown key '%s' in [%s]: want one of %s", st->path,
	    lineno, name, section, keys);
}

/* metrics-listen: "PORT" (on 127.0.0.1), "ADDR:PORT" or "[V6]:PORT". */
static int
conf_metrics(struct srv_conf *c, const char *v)
{
	char buf[80];
	unsigned long port;
	char *end;

	if (*v >= '0' && *v <= '9' && strchr(v, ':') == NULL &&
	    strchr(v, '.') == NULL) {
		port = strtoul(v, &end, 10);
		if (*end != '\0' || port == 0 || port > 65535)
			return -EINVAL;
		snprintf(buf, sizeof(buf), "127.0.0.1:%lu", port);
		v = buf;
	}
	if (net_sa_parse(v, &c->metrics_addr, &c->metrics_len) < 0 ||
	    net_sa_port((struct sockaddr *)&c->metrics_addr) == 0)
		return -EINVAL;
	c->metrics_on = 1;
	return 0;
}

static int
conf_server_key(struct conf_state *st, const char *k, const char *v)
{
	struct srv_conf *c = st->c;
	int b;

	if (strcmp(k, "listen") == 0) {
		if (!st->listen_set) {
			c->nlisten = 0;
			st->listen_set = 1;
		}
		if (c->nlisten == SRV_MAX_LISTEN)
			return -E2BIG;
		return net_ip_parse(v, &c->listen[c->nlisten++]);
	}
	if (strcmp(k, "control-port") == 0)
		return parse_port(v, &c->control_port);
	if (strcmp(k, "stun-port") == 0)
		return parse_port(v, &c->stun_port);
	if (strcmp(k, "stun-alt-port") == 0) {
		if (strcmp(v, "0") == 0) {	/* no other port */
			c->stun_alt_port = 0;
			return 0;
		}
		return parse_port(v, &c->stun_alt_port);
	}
	if (strcmp(k, "sip-udp-ports") == 0)
		return conf_ranges(v, c->sip_udp, &c->nsip_udp);
	if (strcmp(k, "sip-tcp-ports") == 0)
		return conf_ranges(v, c->sip_tcp, &c->nsip_tcp);
	if (strcmp(k, "http-ports") == 0)
		return conf_ranges(v, c->http, &c->nhttp);
	if (strcmp(k, "xmpp-ports") == 0)
		return conf_ranges(v, c->xmpp, &c->nxmpp);
	if (strcmp(k, "tls-ports") == 0)
		return conf_ranges(v, c->tlsp, &c->ntlsp);
	if (strcmp(k, "media-udp-ports") == 0)
		return conf_ranges(v, c->media, &c->nmedia);
	if (strcmp(k, "user") == 0) {
		if (*v == '\0' || strlen(v) >= sizeof(c->user))
			return -EINVAL;
		snprintf(c->user, sizeof(c->user), "%s", v);
		return 0;
	}
	if (strcmp(k, "tls-cert") == 0 || strcmp(k, "tls-key") == 0) {
		char *dst = k[4] == 'c' ? c->tls_cert : c->tls_key;

		if (*v == '\0' || strlen(v) >= sizeof(c->tls_cert))
			return -EINVAL;
		snprintf(dst, sizeof(c->tls_cert), "%s", v);
		return 0;
	}
	if (strcmp(k, "store") == 0 || strcmp(k, "support-token") == 0) {
		int tok = k[1] == 'u';
		char *dst = tok ? c->support_token : c->store;
		size_t cap = tok ? sizeof(c->support_token) : sizeof(c->store);

		/* A token is compared as it is written: 16 bytes at least. */
		if (*v == '\0' || strlen(v) >= cap || (tok && strlen(v) < 16) ||
		    (!tok && !store_spec_valid(v)))
			return -EINVAL;
		snprintf(dst, cap, "%s", v);
		return 0;
	}
	if (strcmp(k, "page-dir") == 0 || strcmp(k, "page-profile") == 0) {
		int dir = k[5] == 'd';
		char *dst = dir ? c->page_dir : c->page_profile;
		size_t cap = dir ? sizeof(c->page_dir) : sizeof(c->page_profile);

		if (*v == '\0' || strlen(v) >= cap)
			return -EINVAL;
		snprintf(dst, cap, "%s", v);
		c->page_dir_set |= dir;
		return 0;
	}
	if (strcmp(k, "metrics-listen") == 0)
		return conf_metrics(c, v);
	if (strcmp(k, "allow-loopback") == 0)
		return parse_bool(v, &c->allow_loopback);
	if (strcmp(k, "log") == 0) {
		if (strcmp(v, "stderr") == 0)
			b = 0;
		else if (strcmp(v, "syslog") == 0)
			b = 1;
		else
			return -EINVAL;
		c->use_syslog = b;
		return 0;
	}
	return -ENOENT;
}

static int
conf_h(void *user, const char *section, const char *name, const char *value)
{
	struct conf_state *st = user;
	int lineno = st->lineno;
	size_t i;
	int r = -ENOENT;

	if (name == NULL)
		return 1;	/* a section header alone */
	if (strcmp(section, "server") == 0) {
		for (i = 0; i < CONF_NSERVER; i++)
			if (strcmp(name, conf_server_keys[i].name) == 0)
				break;
		if (i < CONF_NSERVER) {
			st->server_line[i] = lineno;
			if ((r = conf_server_key(st, name, value)) < 0)
				log_warnx("%s:%d: bad value '%s' for %s: want "
				    "%s", st->path, lineno, value, name,
				    conf_server_keys[i].allowed);
		}
	} else if (strcmp(section, "limits") == 0) {
		for (i = 0; i < CONF_NLIMITS; i++)
			if (strcmp(name, conf_limits[i].name) == 0)
				break;
		if (i < CONF_NLIMITS) {
			st->limit_line[i] = lineno;
			if ((r = parse_uint(value, conf_limits[i].min,
			    conf_limits[i].max, (unsigned *)(void *)
			    ((char *)st->c + conf_limits[i].off))) < 0)
				log_warnx("%s:%d: bad value '%s' for %s: want "
				    "a whole number from %u to %u", st->path,
				    lineno, value, name, conf_limits[i].min,
				    conf_limits[i].max);
		}
	} else if (strcmp(section, "relay") == 0) {
		for (i = 0; i < CONF_NRELAY; i++)
			if (strcmp(name, conf_relay_keys[i].name) == 0)
				break;
		if (i < CONF_NRELAY)
			st->relay_line[i] = lineno;
		r = conf_relay_key(st->c, st->path, lineno, name, value);
		if (r < 0 && r != -ENOENT && r != -ECANCELED)
			log_warnx("%s:%d: bad value '%s' for %s: want %s",
			    st->path, lineno, value, name,
			    conf_relay_keys[i].allowed);
	} else {
		log_warnx("%s:%d: unknown section [%s]: want [server], "
		    "[limits] or [relay]", st->path, lineno, section);
		st->errors++;
		return 1;
	}
	if (r == -ENOENT)
		conf_unknown_key(st, lineno, name, section);
	if (r < 0)
		st->errors++;
	return 1;
}

/* Two TCP services on one port cannot both listen: say which, where. */
static int
conf_tcp_overlap(const struct conf_state *st)
{
	const struct srv_conf *c = st->c;
	const struct {
		const char *key;
		const uint16_t (*r)[2];
		size_t n;
	} set[] = {
		{ "sip-tcp-ports", (const uint16_t (*)[2])c->sip_tcp, c->nsip_tcp },
		{ "http-ports", (const uint16_t (*)[2])c->http, c->nhttp },
		{ "xmpp-ports", (const uint16_t (*)[2])c->xmpp, c->nxmpp },
		{ "tls-ports", (const uint16_t (*)[2])c->tlsp, c->ntlsp },
	};
	size_t a, b, i, k;
	int la, lb;

	for (a = 0; a < sizeof(set) / sizeof(set[0]); a++) {
		for (i = 0; i < set[a].n; i++) {
			if (c->control_port >= set[a].r[i][0] &&
			    c->control_port <= set[a].r[i][1]) {
				log_warnx("%s:%d: %s includes the control port "
				    "%u: want the two apart", st->path,
				    conf_line_of(st, set[a].key, "control-port",
				    NULL), set[a].key, c->control_port);
				return -EINVAL;
			}
			for (b = a + 1; b < sizeof(set) / sizeof(set[0]); b++)
				for (k = 0; k < set[b].n; k++) {
					if (set[a].r[i][0] > set[b].r[k][1] ||
					    set[b].r[k][0] > set[a].r[i][1])
						continue;
					la = conf_line(st, set[a].key);
					lb = conf_line(st, set[b].key);
					log_warnx("%s:%d: %s and %s share a "
					    "port: want no port in both",
					    st->path, la > lb ? la : lb,
					    set[a].key, set[b].key);
					return -EINVAL;
				}
		}
	}
	return 0;
}

/* Whether metrics-listen's port is one of the public TCP ports. */
static int
conf_metrics_public(const struct srv_conf *c)
{
	const uint16_t (*set[])[2] = { c->sip_tcp, c->http, c->xmpp, c->tlsp };
	const size_t n[] = { c->nsip_tcp, c->nhttp, c->nxmpp, c->ntlsp };
	uint16_t p = net_sa_port((const struct sockaddr *)&c->metrics_addr);
	size_t a, i;

	if (p == c->control_port)
		return 1;
	for (a = 0; a < 4; a++)
		for (i = 0; i < n[a]; i++)
			if (p >= set[a][i][0] && p <= set[a][i][1])
				return 1;
	return 0;
}

/* What involves two keys, each error at the line of the key at fault. */
static void
conf_cross(struct conf_state *st)
{
	const struct srv_conf *c = st->c;
	const char *path = st->path;

	if ((c->tls_cert[0] != '\0') != (c->tls_key[0] != '\0')) {
		log_warnx("%s:%d: %s without %s: want both or neither", path,
		    conf_line_of(st, "tls-cert", "tls-key", NULL),
		    c->tls_cert[0] != '\0' ? "tls-cert" : "tls-key",
		    c->tls_cert[0] != '\0' ? "tls-key" : "tls-cert");
		st->errors++;
	}
	if (c->stun_alt_port != 0 && (c->stun_alt_port == c->stun_port ||
	    c->stun_alt_port == c->control_port)) {
		log_warnx("%s:%d: stun-alt-port %u is also the %s: want "
		    "another port, or 0 for none", path,
		    conf_line_of(st, "stun-alt-port", c->stun_alt_port ==
		    c->stun_port ? "stun-port" : "control-port", NULL),
		    c->stun_alt_port, c->stun_alt_port == c->stun_port ?
		    "stun-port" : "control-port");
		st->errors++;
	}
	if (c->store[0] != '\0' && c->tls_cert[0] == '\0') {
		log_warnx("%s:%d: store needs tls-cert and tls-key: reports "
		    "are served over HTTPS on the control port", path,
		    conf_line(st, "store"));
		st->errors++;
	}
	if (c->store[0] != '\0' &&
	    (size_t)c->store_max_page_bytes + 4096 > c->output_limit) {
		log_warnx("%s:%d: store-max-page-bytes %u with output-limit "
		    "%u: want store-max-page-bytes at most output-limit - 4096 "
		    "(%u)", path, conf_line_of(st, "store-max-page-bytes",
		    "output-limit", "store"), c->store_max_page_bytes,
		    c->output_limit, c->output_limit - 4096);
		st->errors++;
	}
	if (conf_tcp_overlap(st) < 0)
		st->errors++;
	if (c->relay_secret_len > 0 && c->relay_seconds > c->session_seconds) {
		log_warnx("%s:%d: credential-seconds %u outlives a session "
		    "(session-seconds %u): want at most session-seconds", path,
		    conf_line_of(st, "credential-seconds", "session-seconds",
		    "secret-file"), c->relay_seconds, c->session_seconds);
		st->errors++;
	}
	if (c->metrics_on && conf_metrics_public(c)) {
		log_warnx("%s:%d: metrics-listen port %u is a public port: "
		    "want a port of its own", path, conf_line(st,
		    "metrics-listen"), net_sa_port((const struct sockaddr *)
		    &c->metrics_addr));
		st->errors++;
	}
}

int
conf_load(struct srv_conf *c, const char *path)
{
	struct conf_state st = { .c = c, .path = path };
	int r;

	if ((st.f = fopen(path, "r")) == NULL) {
		log_warn("%s:0: cannot open", path);
		return -errno;
	}
	r = ini_parse_stream(conf_reader, &st, conf_h, &st);
	fclose(st.f);
	if (r > 0) {
		log_warnx("%s:%d: not a valid line (want key = value or "
		    "[section])", path, r);
		st.errors++;
	}
	conf_cross(&st);
	if (c->nlisten == 0) {
		c->nlisten = 1;		/* 0.0.0.0 */
		net_ip_parse("0.0.0.0", &c->listen[0]);
	}
	return st.errors ? -EINVAL : 0;
}
