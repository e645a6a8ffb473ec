/*
 * relaysrv.c - RELAY: short-lived credentials for the provider's TURN
 * relays, so that a check can prove media crosses them.  pinholed holds
 * the secret it shares with the relays (coturn's use-auth-secret, the TURN
 * REST convention) and hands a session only what the secret makes: the
 * username EXPIRY:pinhole and its HMAC, good for credential-seconds.  The
 * secret itself never leaves the process and is never logged.
 *
 * The same credentials, with the relays' URIs ([relay] urls), answer the
 * check page's relay message (wssrv.c), under the same limits.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "ctlmsg.h"
#include "ctlreq.h"
#include "session.h"
#include "srvproto.h"
#include "turn.h"

#define RELAY_USER	"pinhole"	/* the user part of the username */

int
relaysrv_creds(struct session *ss, char *user, size_t ulen, char *pass,
    size_t plen)
{
	const struct srv_conf *c = &ss->srv->conf;

	if (c->relay_secret_len == 0)
		return -ENOENT;
	if (session_charge(ss, SQ_PROBES, 1) < 0)
		return -EDQUOT;
	if (turn_rest_cred((const char *)c->relay_secret, c->relay_secret_len,
	    (long long)time(NULL) + c->relay_seconds, RELAY_USER, user, ulen,
	    pass, plen) < 0)
		return -EIO;
	return 0;
}

void
relaysrv_request(struct session *ss, const struct ctl_msg *m)
{
	const struct srv_conf *c = &ss->srv->conf;
	char user[CTLMSG_TURN_USER_LEN], pass[CTLMSG_TURN_PASS_LEN];
	uint32_t id = ctlreq_req_id(m);
	struct dbuf b;
	size_t start;
	int r;

	if (id == 0) {
		session_fail(ss, CTL_E_BAD_REQUEST, 0, "malformed RELAY");
		return;
	}
	if ((r = relaysrv_creds(ss, user, sizeof(user), pass,
	    sizeof(pass))) < 0) {
		session_fail(ss, r == -ENOENT ? CTL_E_NOT_FOUND : r == -EDQUOT ?
		    CTL_E_LIMIT : CTL_E_INTERNAL, id, r == -ENOENT ? "no TURN "
		    "relays configured on this server" : r == -EDQUOT ?
		    "session probe cap reached" : "no credentials made");
		return;
	}
	dbuf_init(&b, 1024);
	if ((r = ctl_enc_begin(&b, CTL_RELAY_CREDS, &start)) == 0 &&
	    (r = ctl_put_u32(&b, CTL_A_REQ_ID, id)) == 0 &&
	    (r = ctl_put_str(&b, CTL_A_TURN_USER, user)) == 0 &&
	    (r = ctl_put_str(&b, CTL_A_TURN_PASS, pass)) == 0 &&
	    (r = ctl_put_u32(&b, CTL_A_LIFETIME, c->relay_seconds)) == 0 &&
	    (r = ctl_enc_end(&b, start)) == 0)
		(void)session_write(ss, &b);
	OPENSSL_cleanse(pass, sizeof(pass));
	if (b.b != NULL)
		OPENSSL_cleanse(b.b, b.cap);
	dbuf_free(&b);
	if (r < 0)
		session_fail(ss, CTL_E_INTERNAL, id, "no credentials sent");
}

json_t *
relaysrv_page(struct session *ss, const char **why)
{
	const struct srv_conf *c = &ss->srv->conf;
	char user[CTLMSG_TURN_USER_LEN], pass[CTLMSG_TURN_PASS_LEN];
	json_t *o = NULL, *urls;
	size_t i;
	int r;

	if (c->relay_secret_len == 0 || c->nrelay_urls == 0) {
		*why = "relay: no TURN relays configured on this server";
		return NULL;
	}
	if ((r = relaysrv_creds(ss, user, sizeof(user), pass,
	    sizeof(pass))) < 0) {
		*why = r == -EDQUOT ? "relay: session probe cap reached" :
		    "relay: no credentials made";
		return NULL;
	}
	*why = "out of memory";
	if ((urls = json_array()) != NULL)
		for (i = 0; i < c->nrelay_urls; i++)
			json_array_append_new(urls, json_string(c->relay_urls[i]));
	if (urls != NULL)
		o = json_pack("{s:s, s:o, s:s, s:s, s:i}", "type", "relay",
		    "urls", urls, "username", user, "credential", pass,
		    "lifetime", (int)c->relay_seconds);
	OPENSSL_cleanse(pass, sizeof(pass));
	return o;
}
