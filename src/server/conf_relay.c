/*
 * conf_relay.c - pinholed.conf's [relay]: the secret pinholed shares with
 * the provider's TURN servers (coturn's static-auth-secret), from which it
 * makes each session short-lived credentials (relaysrv.c).  The secret is
 * read from a file of its own, readable by its owner alone, never from the
 * configuration file, which packages install world-readable.
 */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "conf_relay.h"
#include "log.h"
#include "net.h"
#include "parse.h"

#define RELAY_SECRET_MIN	16	/* bytes: a guessable secret is no secret */

const struct conf_key conf_relay_keys[CONF_NRELAY] = {
	{ "secret-file", "the absolute path of a file, readable by its owner "
	    "alone, holding the TURN servers' shared secret" },
	{ "credential-seconds", "a whole number from 60 to 86400" },
	{ "relay-from", "the addresses the relays send media from, as "
	    "CIDRs (198.51.100.0/28, 2001:db8::/64), separated by spaces or "
	    "commas, at most 16 in all" },
	{ "urls", "TURN URIs (turn:HOST:PORT?transport=udp, "
	    "turn:HOST:PORT?transport=tcp, turns:HOST:PORT?transport=tcp), "
	    "separated by spaces, at most 8 in all" },
};

/* Reads the secret: one line, its end of line dropped. */
static int
conf_relay_secret(struct srv_conf *c, const char *conf, int lineno,
    const char *path)
{
	uint8_t buf[SRV_RELAY_SECRET_MAX + 2];
	struct stat st;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		log_warn("%s:%d: secret-file %s", conf, lineno, path);
		return -ECANCELED;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		log_warnx("%s:%d: secret-file %s is not a regular file", conf,
		    lineno, path);
		close(fd);
		return -ECANCELED;
	}
	if ((st.st_mode & 077) != 0) {
		log_warnx("%s:%d: secret-file %s is readable or writable by "
		    "group or others (mode %03o): want 0600 or 0400", conf,
		    lineno, path, (unsigned)(st.st_mode & 0777));
		close(fd);
		return -ECANCELED;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	if (n < RELAY_SECRET_MIN || n >= SRV_RELAY_SECRET_MAX ||
	    memchr(buf, '\n', (size_t)n) != NULL) {
		log_warnx("%s:%d: secret-file %s holds %s: want one line of "
		    "%d to %d bytes", conf, lineno, path, n < 0 ? "nothing "
		    "readable" : "a secret of another length or several "
		    "lines", RELAY_SECRET_MIN, SRV_RELAY_SECRET_MAX - 1);
		OPENSSL_cleanse(buf, sizeof(buf));
		return -ECANCELED;
	}
	memcpy(c->relay_secret, buf, (size_t)n);
	c->relay_secret_len = (size_t)n;
	OPENSSL_cleanse(buf, sizeof(buf));
	return 0;
}

/* relay-from: CIDRs, added to those of earlier lines. */
static int
conf_relay_from(struct srv_conf *c, const char *v)
{
	char buf[512], *tok, *save = NULL;

	if (strlen(v) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, " ,", &save); tok != NULL;
	    tok = strtok_r(NULL, " ,", &save)) {
		if (c->nrelay_from == SRV_MAX_RANGES ||
		    net_cidr_parse(tok, &c->relay_from[c->nrelay_from]) < 0)
			return -EINVAL;
		c->nrelay_from++;
	}
	return 0;
}

/* A TURN URI (RFC 7065) as a browser takes it: turn: or turns:, a host
 * and port of printable characters, and for turn: the transport. */
static int
conf_relay_url_ok(const char *u)
{
	const char *q;
	size_t i;

	if (strncmp(u, "turn:", 5) != 0 && strncmp(u, "turns:", 6) != 0)
		return 0;
	for (i = 0; u[i] != '\0'; i++)
		if (u[i] <= ' ' || u[i] > '~' || u[i] == '"' || u[i] == '\\')
			return 0;
	q = strchr(u, '?');
	if (q == NULL)
		return u[4] == 's';	/* turns: is TLS over TCP */
	return strcmp(q, "?transport=udp") == 0 ||
	    strcmp(q, "?transport=tcp") == 0;
}

/* urls: TURN URIs, added to those of earlier lines. */
static int
conf_relay_urls(struct srv_conf *c, const char *v)
{
	char buf[SRV_RELAY_URLS * SRV_RELAY_URL_MAX], *tok, *save = NULL;

	if (strlen(v) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		if (c->nrelay_urls == SRV_RELAY_URLS ||
		    strlen(tok) >= SRV_RELAY_URL_MAX || !conf_relay_url_ok(tok))
			return -EINVAL;
		snprintf(c->relay_urls[c->nrelay_urls++], SRV_RELAY_URL_MAX,
		    "%s", tok);
	}
	return 0;
}

int
conf_relay_key(struct srv_conf *c, const char *conf, int lineno,
    const char *k, const char *v)
{
	if (strcmp(k, "secret-file") == 0) {
		if (*v != '/')
			return -EINVAL;
		return conf_relay_secret(c, conf, lineno, v);
	}
	if (strcmp(k, "credential-seconds") == 0)
		return parse_uint(v, 60, 86400, &c->relay_seconds);
	if (strcmp(k, "relay-from") == 0)
		return conf_relay_from(c, v);
	if (strcmp(k, "urls") == 0)
		return conf_relay_urls(c, v);
	return -ENOENT;
}
