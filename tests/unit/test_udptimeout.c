/*
 * test_udptimeout.c - the udp-timeout check's decision rule: when each
 * binding is probed, the expiry and lost probes read from the bindings'
 * states, the probe's wait, the measurement's limit and the verdict.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "udptimeout_verdict.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static void
test_age(void **state)
{
	(void)state;
	assert_int_equal(udptimeout_age_ms(0, 30), 1500);
	assert_int_equal(udptimeout_age_ms(5, 30), 6500);
	/* The last binding: just past the limit, not k + 1.5 s. */
	assert_int_equal(udptimeout_age_ms(9, 10), 10000 + UT_PROOF_MS);
	assert_int_equal(udptimeout_age_ms(8, 10), 9500);
}

static void
test_next_live(void **state)
{
	const enum ut_state st[] = { B_ALIVE, B_FAILED, B_FAILED, B_IDLE };

	(void)state;
	assert_int_equal(udptimeout_next_live(st, N(st), 0), 3);
	assert_int_equal(udptimeout_next_live(st, N(st), 3), 4);
}

static void
test_expiry(void **state)
{
	const enum ut_state two[] = { B_ALIVE, B_DEAD, B_DEAD, B_IDLE };
	const enum ut_state last[] = { B_ALIVE, B_ALIVE, B_DEAD };
	const enum ut_state all[] = { B_ALIVE, B_ALIVE, B_ALIVE };
	const enum ut_state skip[] = { B_DEAD, B_FAILED, B_DEAD };
	struct udptimeout_decision d;

	(void)state;
	/* Two consecutive ages dead: expiry at the first, in seconds. */
	udptimeout_decide(two, N(two), 3, &d);
	assert_int_equal(d.step, UDPTIMEOUT_DECIDED);
	assert_int_equal(d.expiry_s, 2);
	assert_int_equal(d.lost, 0);
	/* The last binding dead: nothing after it to confirm. */
	udptimeout_decide(last, N(last), 3, &d);
	assert_int_equal(d.step, UDPTIMEOUT_DECIDED);
	assert_int_equal(d.expiry_s, 3);
	/* Every probe arrived: outlived the limit. */
	udptimeout_decide(all, N(all), 3, &d);
	assert_int_equal(d.step, UDPTIMEOUT_DECIDED);
	assert_int_equal(d.expiry_s, 0);
	/* A binding that was never set up is skipped, not counted. */
	udptimeout_decide(skip, N(skip), 3, &d);
	assert_int_equal(d.step, UDPTIMEOUT_DECIDED);
	assert_int_equal(d.expiry_s, 1);
}

static void
test_loss(void **state)
{
	const enum ut_state one[] = { B_ALIVE, B_DEAD, B_ALIVE, B_DEAD,
	    B_DEAD };
	const enum ut_state none[] = { B_DEAD, B_ALIVE, B_FAILED, B_DEAD,
	    B_FAILED, B_ALIVE };
	struct udptimeout_decision d;

	(void)state;
	/* A lone miss between arrivals is a lost probe, not the expiry. */
	udptimeout_decide(one, N(one), 5, &d);
	assert_int_equal(d.step, UDPTIMEOUT_DECIDED);
	assert_int_equal(d.expiry_s, 4);
	assert_int_equal(d.lost, 1);
	udptimeout_decide(none, N(none), 6, &d);
	assert_int_equal(d.step, UDPTIMEOUT_DECIDED);
	assert_int_equal(d.expiry_s, 0);
	assert_int_equal(d.lost, 2);
}

static void
test_pending(void **state)
{
	const enum ut_state probed[] = { B_ALIVE, B_PROBED, B_IDLE };
	const enum ut_state early[] = { B_ALIVE, B_DEAD, B_FAILED, B_IDLE,
	    B_IDLE };
	struct udptimeout_decision d;

	(void)state;
	/* A probe still out: not known yet. */
	udptimeout_decide(probed, N(probed), 2, &d);
	assert_int_equal(d.step, UDPTIMEOUT_WAIT);
	/* After a dead one, the next live binding due is probed at once. */
	udptimeout_decide(early, N(early), 3, &d);
	assert_int_equal(d.step, UDPTIMEOUT_PROBE);
	assert_int_equal(d.probe, 3);
	/* Not due yet (the schedule is elsewhere): wait for it. */
	udptimeout_decide(early, N(early), 2, &d);
	assert_int_equal(d.step, UDPTIMEOUT_WAIT);
	/* Nothing probed yet. */
	udptimeout_decide(early + 3, 2, 0, &d);
	assert_int_equal(d.step, UDPTIMEOUT_WAIT);
}

static void
test_probe_wait(void **state)
{
	(void)state;
	assert_int_equal(udptimeout_probe_wait_ms(-1, 5000), 1000);
	assert_int_equal(udptimeout_probe_wait_ms(-1, 800), 800);
	assert_int_equal(udptimeout_probe_wait_ms(50, 5000), 500);
	assert_int_equal(udptimeout_probe_wait_ms(2000, 5000), 5000);
}

static void
test_limit(void **state)
{
	(void)state;
	assert_int_equal(udptimeout_limit_s(0, 30, 0, 0), 30);
	assert_int_equal(udptimeout_limit_s(0, 5, 0, 0), 10);
	assert_int_equal(udptimeout_limit_s(90, 30, 0, 0), 90);
	assert_int_equal(udptimeout_limit_s(900, 30, 0, 0), UT_MAX_LIMIT);
	/* The session: 120 s granted, 30 s gone, 15 s to spare. */
	assert_int_equal(udptimeout_limit_s(0, 180, 120, 30000), 75);
	assert_int_equal(udptimeout_limit_s(0, 180, 20, 0), 10);
	assert_int_equal(udptimeout_limit_s(0, 30, 3600, 5000), 30);
}

static void
test_verdict(void **state)
{
	unsigned keep;

	(void)state;
	assert_int_equal(udptimeout_verdict(20, 30, 30, &keep), VERDICT_FAIL);
	assert_int_equal(keep, 16);
	assert_int_equal(udptimeout_verdict(1, 30, 30, &keep), VERDICT_FAIL);
	assert_int_equal(keep, 1);
	assert_int_equal(udptimeout_verdict(30, 30, 30, &keep), VERDICT_PASS);
	assert_int_equal(udptimeout_verdict(0, 30, 30, &keep), VERDICT_PASS);
	assert_int_equal(keep, 0);
	/* Outlived a limit below the minimum: not proved. */
	assert_int_equal(udptimeout_verdict(0, 180, 120, &keep), VERDICT_WARN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_next_live),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_loss),
		cmocka_unit_test(test_pending),
		cmocka_unit_test(test_probe_wait),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_verdict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
