/*
 * udptimeout_verdict.c - the decision rule of the udp-timeout check
 * (udptimeout_verdict.h): pure functions of the bindings' states and the
 * times the caller read.
 */
#include "udptimeout_verdict.h"

/*
 * Binding k is probed when idle k + 1.5 s, half way between whole seconds,
 * so that a timeout of a whole number of seconds never sits on the edge of
 * a probe: the first age found dead, k + 1.5, reports k + 1, within half a
 * second of the truth.  The last binding is probed just past the limit:
 * alive there, it proves the limit, and the measurement ends.
 */
long long
udptimeout_age_ms(size_t k, int limit_s)
{
	long long last = (long long)limit_s * 1000 + UT_PROOF_MS;
	long long age = (long long)k * 1000 + 1500;

	return age < last ? age : last;
}

size_t
udptimeout_next_live(const enum ut_state *st, size_t n, size_t k)
{
	for (k++; k < n && st[k] == B_FAILED; k++)
		;
	return k;
}

void
udptimeout_decide(const enum ut_state *st, size_t n, size_t next,
    struct udptimeout_decision *d)
{
	unsigned lost = 0;
	size_t k, j;

	d->step = UDPTIMEOUT_WAIT;
	d->probe = 0;
	d->expiry_s = 0;
	d->lost = 0;
	for (k = 0; k < n; k = udptimeout_next_live(st, n, k)) {
		if (st[k] == B_FAILED || st[k] == B_ALIVE)
			continue;
		if (st[k] != B_DEAD)
			return;		/* not known yet */
		j = udptimeout_next_live(st, n, k);
		/*
		 * The next binding is as old already: probed now rather than
		 * a second later, it confirms the expiry (or shows a loss).
		 */
		if (j < n && j == next && st[j] == B_IDLE) {
			d->step = UDPTIMEOUT_PROBE;
			d->probe = j;
			return;
		}
		if (j == n || st[j] == B_DEAD) {
			d->expiry_s = (int)k + 1;
			break;
		}
		if (st[j] != B_ALIVE)
			return;
		lost++;
	}
	d->lost = lost;
	d->step = UDPTIMEOUT_DECIDED;	/* expiry_s 0: outlived the limit */
}

int
udptimeout_probe_wait_ms(int rtt_ms, int cap_ms)
{
	int w = rtt_ms >= 0 ? 4 * rtt_ms + 300 : 1000;

	return w < cap_ms ? w : cap_ms;
}

int
udptimeout_limit_s(int max_opt, unsigned minimum, unsigned session_s,
    long long elapsed_ms)
{
	int limit = max_opt > 0 ? max_opt : (int)minimum;
	long long left;

	if (limit > UT_MAX_LIMIT)
		limit = UT_MAX_LIMIT;
	if (limit < 10)
		limit = 10;
	if (session_s > 0) {
		left = (long long)session_s - elapsed_ms / 1000 - 15;
		if (left < limit)
			limit = (int)(left > 10 ? left : 10);
	}
	return limit;
}

enum verdict
udptimeout_verdict(int est_s, unsigned minimum, int limit_s,
    unsigned *keep_s)
{
	*keep_s = 0;
	if (est_s > 0 && (unsigned)est_s < minimum) {
		*keep_s = (unsigned)est_s * 4 / 5;
		if (*keep_s == 0)
			*keep_s = 1;
		return VERDICT_FAIL;
	}
	if (est_s == 0 && (unsigned)limit_s < minimum)
		return VERDICT_WARN;
	return VERDICT_PASS;
}
