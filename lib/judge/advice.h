/*
 * advice.h - remedies computed from the whole report.
 *
 * Each check family writes its own verdict and a first remedy.  What a
 * finding means for calls often depends on another family: where the SIP
 * ALG sits follows from the NAT layers; whether a short UDP timeout loses
 * calls depends on what a SIP helper keeps alive and on whether inbound
 * traffic is forwarded; a keepalive that a real phone survives follows from
 * the shortest lifetime a fresh flow gets.  advice_apply() is the one place
 * where the findings meet: a table of rules, each amending the summary and
 * remedy of the checks it knows, from the evidence of all.  Adding a rule is
 * a function and a line.  Verdicts are never changed: a requirement the
 * profile states stays failed; what changes is what the report says it
 * does to calls, and what to do.
 */
#ifndef PINHOLE_ADVICE_H
#define PINHOLE_ADVICE_H

#include "report.h"

/* Amends the summaries and remedies of 'r' from its whole evidence.
 * 0, or -ENOMEM (the report is then left as it was, check by check). */
int advice_apply(struct report *r);

#endif
