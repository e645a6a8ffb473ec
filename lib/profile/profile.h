/*
 * profile.h - service profiles: what a service needs from the network,
 * read from an INI file (see pinhole-profile(5)).
 */
#ifndef PINHOLE_PROFILE_H
#define PINHOLE_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "net.h"

enum profile_proto {
	PROFILE_UDP = 1,
	PROFILE_TCP = 2,
};

enum profile_dir {
	PROFILE_OUT = 1,		/* client initiates */
	PROFILE_IN = 2,			/* the internet initiates */
	PROFILE_BOTH = 3,
};

/* An [endpoint NAME] section. */
struct profile_endpoint {
	char *name;			/* the section's NAME */
	char *host;			/* hostname or literal; NULL: the pinholed */
	enum profile_proto proto;
	uint16_t port_lo, port_hi;
	enum profile_dir dir;
	char *service;			/* "sip", "tls", "http", "xmpp", "bosh",
					   "stun", "rtp", "turn" (a TURN relay
					   over UDP or TCP), "turns" (over
					   TLS), or NULL: bare */
	char *description;
	char *device;			/* device = the browsers; NULL: the
					   profile's */
	int line;			/* where the section starts */
};

struct profile {
	char *name;			/* [profile] name, must match [a-z0-9-]+ */
	char *title;
	char *description;
	char *path;			/* the file it was read from */
	char *device;			/* device = the phones: the devices
					   remedies speak of; NULL: not said */

	struct profile_endpoint *endpoints;
	size_t nendpoints;

	struct net_cidr *sources;	/* [sources] allow = CIDR (repeatable) */
	size_t nsources;

	/* [media] */
	int has_media;
	uint16_t media_lo, media_hi;	/* UDP media range */
	char *codec;			/* codec = G.711 (lib/media/codec.h); NULL */
	unsigned ptime;			/* ptime = 20 (ms); 0: not said */
	unsigned jitter_buffer;		/* jitter-buffer = 60 (ms); 0: not said */
	unsigned calls;			/* calls = 8: concurrent calls to carry;
					   0: not said */
	int symmetric_rtp;		/* symmetric-rtp = yes | no: the far
					   end sends media back to where it
					   comes from; -1: not said */

	/* [requirements]; each 0 / -1 when the profile does not ask. */
	int sip_alg_off;		/* sip-alg = off */
	uint16_t *sip_ports;		/* sip-alg-ports = 5060 5062: where the
					   SIP ALG checks run (UDP and TCP) */
	size_t nsip_ports;
	unsigned max_nat;		/* max-nat = 1; 0: no requirement */
	unsigned udp_timeout_min;	/* udp-timeout-min = 120 (seconds) */
	int dscp;			/* dscp = EF | AF41 | CS3 | 0-63; -1 none */
	char *dscp_name;		/* as written, upper-cased */
};

/*
 * Where a problem was found: "FILE:LINE: message", or "FILE: message" when
 * line is 0 (the file as a whole: unreadable, a directory, too large, or
 * not found along the search path).
 */
struct profile_error {
	char file[256];
	int line;
	char msg[1024];
};

/*
 * Writes 'err' as "FILE:LINE: message" (or "FILE: message" for line 0)
 * into 'buf' of 'len' bytes, truncating; returns 'buf'.
 */
const char *profile_error_str(const struct profile_error *err, char *buf,
    size_t len);

/*
 * Reads and validates one profile file of at most 1 MiB.  On success
 * stores a new profile in *pp (free with profile_free()).  On failure
 * returns -EINVAL (bad content, or a NUL byte: its line), -EISDIR (a
 * directory), -EFBIG (too large), or -errno when the file cannot be
 * opened or read; *err always says what and where.
 */
int profile_load(const char *path, struct profile **pp, struct profile_error *err);
/*
 * Parses 'text' as read from the file 'path': the profile keeps the path,
 * and its name must match the file's.  Returns 0, -EINVAL (details in
 * *err) or -ENOMEM.
 */
int profile_load_text(const char *text, const char *path,
    struct profile **pp, struct profile_error *err);
/* The same, from a string; 'name' stands for the file in errors. */
int profile_load_string(const char *text, const char *name,
    struct profile **pp, struct profile_error *err);
void profile_free(struct profile *p);

/* Whether 's' is a profile or endpoint name: [a-z0-9-]+. */
int profile_name_valid(const char *s);

/*
 * Finds a profile by name or path: an argument containing '/' or ending in
 * ".ini" is a path; otherwise DIR/NAME.ini for each directory of 'dirs'
 * (NULL-terminated) in order.  Returns what profile_load() returns, or
 * -ENOENT when no directory holds the name: *err then lists the
 * directories searched (those absent marked so) and the nearest existing
 * name by edit distance, if one is close.
 */
int profile_find(const char *name_or_path, const char *const *dirs,
    struct profile **pp, struct profile_error *err);

/*
 * Lists the profiles found in 'dirs', calling 'fn' with each one loaded
 * (the callee must not keep it); files that fail to load are reported to
 * 'bad' with their error.  Names seen in an earlier directory shadow later.
 */
int profile_list(const char *const *dirs,
    void (*fn)(const struct profile *p, void *arg),
    void (*bad)(const struct profile_error *err, void *arg), void *arg);

/*
 * Whether the endpoint is one of the provider's TURN relays (service =
 * turn or turns); *tls (when not NULL) says whether it is TURN over TLS.
 */
int profile_endpoint_relay(const struct profile_endpoint *e, int *tls);

/* "udp"/"tcp", "out"/"in"/"both". */
const char *profile_proto_name(enum profile_proto p);
const char *profile_dir_name(enum profile_dir d);
/* Parses a DSCP class name or number into a codepoint 0-63, or -EINVAL. */
int profile_dscp_parse(const char *s);

/*
 * The words for the devices a profile serves, as remedies say them ("forward
 * ... to the phones"): a plural noun phrase with its article, at most
 * PROFILE_DEVICE_MAX bytes; PROFILE_DEVICE_DEFAULT when a profile says none.
 */
#define PROFILE_DEVICE_MAX	80
#define PROFILE_DEVICE_DEFAULT	"the devices"

/* The devices endpoint 'e' of 'p' serves: the endpoint's device, else the
 * profile's, else the default.  'e' and 'p' may be NULL.  Never NULL. */
const char *profile_device(const struct profile *p,
    const struct profile_endpoint *e);
/*
 * The devices of 'n' profiles as one phrase, each said once, in order:
 * "the phones", "the phones and the browsers", "A, B and C".  Returns 0,
 * or -ENAMETOOLONG when it did not fit 'len' (truncated).
 */
int profile_devices(struct profile *const *pp, size_t n, char *buf,
    size_t len);

/* Room for any id profile_endpoint_id() writes. */
#define PROFILE_ID_LEN		192
/*
 * The report id of endpoint 'e' of 'p' in direction 'dir' (PROFILE_OUT or
 * PROFILE_IN; see docs/report.md): "reach.PROTO.DIR.PORTS" when 'e' is the
 * only endpoint of 'p' with that proto, those ports and that direction;
 * with ".NAME" (the endpoint's section name) after it when it is one of
 * several.  'qualify' puts ".PROFILE.NAME" after it in any case: for an
 * endpoint whose id another profile of the same check already took for
 * another target.  Returns 0, or -ENAMETOOLONG (truncated).
 */
int profile_endpoint_id(const struct profile *p,
    const struct profile_endpoint *e, enum profile_dir dir, int qualify,
    char *buf, size_t len);
/* Whether two endpoints are probed at the same place: the same host
 * (case-insensitive), or both the pinholed (no host). */
int profile_endpoint_same_target(const struct profile_endpoint *a,
    const struct profile_endpoint *b);

#endif
