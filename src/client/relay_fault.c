/* relay_fault.c - a failed relay step in the customer's terms (relay_fault.h). */
#include <stdio.h>
#include <string.h>

#include "relay.h"
#include "relay_fault.h"
#include "turn.h"

void
relay_fault_classify(const struct relay_conn *rc, const char *host,
    uint16_t port, struct relay_fault *f)
{
	const char *proto = rc->tr == RELAY_UDP ? "UDP" : "TCP";
	const struct turncli *t = &rc->tc;

	f->verdict = VERDICT_FAIL;
	f->remedy[0] = '\0';
	if (strncmp(rc->why, "no answer", 9) == 0 ||
	    strncmp(rc->why, "no TCP connection", 17) == 0 ||
	    strncmp(rc->why, "no TLS handshake", 16) == 0) {
		f->what = "no answer";
		snprintf(f->remedy, sizeof(f->remedy), "Allow outbound %s to "
		    "the provider's relay %s port %u, and its replies: a "
		    "WebRTC phone falls back to it when direct media is "
		    "blocked.", proto, host, port);
	} else if (rc->failed == RELAY_S_CONNECT) {
		f->what = "connection refused";
		snprintf(f->remedy, sizeof(f->remedy), "Something refuses TCP "
		    "to %s port %u: allow outbound TCP there (a reject rule, "
		    "or a proxy that answers for it).", host, port);
	} else if (rc->failed == RELAY_S_TLS && rc->tls_issuer[0] != '\0' &&
	    rc->tls_verify != 0) {
		f->what = "TLS intercepted";
		snprintf(f->remedy, sizeof(f->remedy), "A certificate issued "
		    "by %s, not the relay's, answered for %s port %u: a "
		    "firewall or proxy inspects TLS there. Exempt the "
		    "provider's relays from TLS inspection; a phone's TURN "
		    "over TLS cannot accept the inspector's certificate.",
		    rc->tls_issuer, host, port);
	} else if (rc->failed == RELAY_S_TLS) {
		f->what = "TLS refused";
		snprintf(f->remedy, sizeof(f->remedy), "TLS to %s port %u "
		    "does not complete: allow it through unchanged (no proxy "
		    "that speaks something else on 443, no protocol filter "
		    "that blocks it).", host, port);
	} else if (t->fail == TURNCLI_F_CRED) {
		f->what = "401 after credentials";
		snprintf(f->remedy, sizeof(f->remedy), "Not this network: "
		    "the relay refused the credentials. The server's [relay] "
		    "secret must be the relay's shared secret, and the clocks "
		    "of the server and the relay must agree.");
	} else if (t->fail == TURNCLI_F_ERROR && t->error == TURN_E_FORBIDDEN &&
	    rc->failed != RELAY_S_ALLOCATE) {
		f->what = "forbidden peer";
		snprintf(f->remedy, sizeof(f->remedy), "Not this network: "
		    "the relay %s refuses to relay media to the test server "
		    "(403 to the permission). Ask the provider to let its "
		    "relays reach its media servers.", host);
	} else if (t->fail == TURNCLI_F_ERROR && t->error == TURN_E_QUOTA) {
		f->what = "allocation quota";
		snprintf(f->remedy, sizeof(f->remedy), "The relay refused "
		    "another allocation for these credentials (486): close "
		    "other sessions using it, or ask the provider to raise "
		    "the quota.");
	} else if (t->fail == TURNCLI_F_ERROR && (t->error == TURN_E_FAMILY ||
	    t->error == TURN_E_PEER_FAMILY)) {
		f->what = "address family not supported";
		snprintf(f->remedy, sizeof(f->remedy), "Not this network: "
		    "the relay %s does not relay toward the test server's "
		    "address family (%u): ask the provider to give its relays "
		    "addresses in both families.", host, t->error);
	} else {
		f->what = "relay error";
		snprintf(f->remedy, sizeof(f->remedy), "The relay %s port %u "
		    "answered but refused at %s: ask the provider, with this "
		    "report.", host, port, relay_step_name(rc->failed));
	}
}
