/*
 * relay_fault.h - what a failed relay step means for the customer's
 * network, in the words a relay check's verdict uses (relay_fault.c).
 */
#ifndef PINHOLE_RELAY_FAULT_H
#define PINHOLE_RELAY_FAULT_H

#include <stdint.h>

#include "report.h"

struct relay_conn;

struct relay_fault {
	const char *what;		/* "no answer", "TLS intercepted", ... */
	enum verdict verdict;
	char remedy[512];		/* for the network's admin */
};

/*
 * Names the failure relay.c left in 'rc' (rc->failed set) for the relay
 * at 'host' port 'port': no answer, connection refused, TLS refused, TLS
 * intercepted (the issuer named), 401 after credentials, forbidden peer,
 * allocation quota, relay error.  Never reads the credentials.
 */
void relay_fault_classify(const struct relay_conn *rc, const char *host,
    uint16_t port, struct relay_fault *f);

#endif
