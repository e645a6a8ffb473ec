/*
 * test_relay_fault.c - each failure relay.c can leave, named as the relay
 * checks name it, with the verdict and a remedy that says where to act.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "relay.h"
#include "relay_fault.h"
#include "turn.h"

static void
expect(enum relay_transport tr, enum relay_step step, const char *why,
    enum turncli_fail fail, uint16_t error, const char *issuer, int verify,
    const char *what, const char *remedy)
{
	struct relay_conn rc;
	struct relay_fault f;

	memset(&rc, 0, sizeof(rc));
	rc.tr = tr;
	rc.failed = step;
	snprintf(rc.why, sizeof(rc.why), "%s", why);
	rc.tc.fail = fail;
	rc.tc.error = error;
	snprintf(rc.tls_issuer, sizeof(rc.tls_issuer), "%s", issuer);
	rc.tls_verify = verify;
	relay_fault_classify(&rc, "relay.example", 3478, &f);
	assert_string_equal(f.what, what);
	assert_int_equal(f.verdict, VERDICT_FAIL);
	if (strstr(f.remedy, remedy) == NULL)
		fail_msg("remedy '%s' lacks '%s'", f.remedy, remedy);
}

static void
test_faults(void **state)
{
	(void)state;
	expect(RELAY_UDP, RELAY_S_ALLOCATE, "no answer in 5000 ms (4 requests "
	    "sent)", TURNCLI_F_NONE, 0, "", 0, "no answer",
	    "Allow outbound UDP to the provider's relay relay.example port "
	    "3478");
	expect(RELAY_TCP, RELAY_S_CONNECT, "no TCP connection in 5001 ms",
	    TURNCLI_F_NONE, 0, "", 0, "no answer", "outbound TCP");
	expect(RELAY_TCP, RELAY_S_CONNECT, "Connection refused",
	    TURNCLI_F_NONE, 0, "", 0, "connection refused", "refuses TCP");
	expect(RELAY_TLS, RELAY_S_TLS, "the certificate presented ... is not "
	    "trusted", TURNCLI_F_NONE, 0, "/CN=inspecting-firewall", 18,
	    "TLS intercepted", "issued by /CN=inspecting-firewall");
	expect(RELAY_TLS, RELAY_S_TLS, "the TLS handshake failed",
	    TURNCLI_F_NONE, 0, "", 0, "TLS refused", "does not complete");
	expect(RELAY_UDP, RELAY_S_ALLOCATE, "credentials refused (401)",
	    TURNCLI_F_CRED, 401, "", 0, "401 after credentials",
	    "Not this network");
	expect(RELAY_UDP, RELAY_S_PERMISSION, "403 forbidden",
	    TURNCLI_F_ERROR, TURN_E_FORBIDDEN, "", 0, "forbidden peer",
	    "refuses to relay media to the test server");
	expect(RELAY_UDP, RELAY_S_ALLOCATE, "486 allocation quota reached",
	    TURNCLI_F_ERROR, TURN_E_QUOTA, "", 0, "allocation quota",
	    "(486)");
	/* A 403 to the Allocate is the relay refusing us, not the peer. */
	expect(RELAY_UDP, RELAY_S_ALLOCATE, "403 forbidden",
	    TURNCLI_F_ERROR, TURN_E_FORBIDDEN, "", 0, "relay error",
	    "refused at allocate");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_faults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
