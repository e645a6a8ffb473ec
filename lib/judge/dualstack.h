/*
 * dualstack.h - the two address families compared (dualstack.c).
 */
#ifndef PINHOLE_DUALSTACK_H
#define PINHOLE_DUALSTACK_H

#include "report.h"

/*
 * When 'r' holds both families (report_af_join()), adds the entry
 * "dual-stack": pass when IPv4 and IPv6 agree on signalling, media and
 * reachability, warn naming what works in one family only (signalling
 * over IPv6 while media works only over IPv4, say) with a remedy.  Adds
 * nothing for one family.  Returns 0 or -ENOMEM.
 */
int dualstack_judge(struct report *r);

#endif
