/*
 * conf_relay.h - pinholed.conf's [relay] section (conf_relay.c), and the
 * shape every section's key table has.
 */
#ifndef PINHOLED_CONF_RELAY_H
#define PINHOLED_CONF_RELAY_H

#include <stddef.h>

#include "server.h"

/* A key of a section, and what it takes: said when a value is refused. */
struct conf_key {
	const char *name;
	const char *allowed;
};

#define CONF_NRELAY	4
extern const struct conf_key conf_relay_keys[CONF_NRELAY];

/*
 * Sets key 'k' of [relay] at line 'lineno' of the file 'conf'.  0,
 * -ENOENT for a key [relay] does not have, -EINVAL for a value it does
 * not take, or -ECANCELED when the error was logged already (the secret
 * file, with its own reason).
 */
int conf_relay_key(struct srv_conf *c, const char *conf, int lineno,
    const char *k, const char *v);

#endif
