/* share.h - a pinholed's report store, over HTTPS on its control port. */
#ifndef PINHOLE_SHARE_H
#define PINHOLE_SHARE_H

#include <stddef.h>

#include <jansson.h>

/*
 * Uploads the report 'json' to the store of the pinholed at 'server'
 * (HOST[:PORT], port 443 unless given), trusting the CA certificates in
 * 'ca' (NULL: the system's).  'session', the hex of the session's token
 * (or NULL), names the session the upload counts against.  The link to
 * it goes to 'url'.  0, or -errno with 'err' saying why.
 */
int share_upload(const char *server, const char *ca, const char *json,
    const char *session, char *url, size_t urllen, char *err,
    size_t errlen);

/* 1 when 'id' has the shape of a stored report's id: 24 letters a-z and
 * digits 2-7; else 0. */
int share_id_valid(const char *id);

/*
 * Fetches report 'id' from the store of 'server' as JSON (*out, a new
 * reference).  0; -ENOENT when the server has no such report; -EINVAL when
 * 'id' is not the shape of an id; other -errno; 'err' says why.
 */
int share_fetch(const char *server, const char *ca, const char *id,
    json_t **out, char *err, size_t errlen);

/*
 * Reads a report link as pinhole check --share prints it and support
 * receives it, "https://HOST[:PORT]/r/ID" (also ".../r/ID.json", and a
 * trailing "/"), into 'server' (HOST[:PORT], IPv6 in brackets) and 'id'.
 * Returns 0, -ENOENT when 'arg' is not a link at all (it does not start
 * with "https://"), or -EINVAL with 'err' saying what is wrong with it.
 * The id's shape is share_fetch()'s to check.
 */
int share_link_parse(const char *arg, char *server, size_t slen, char *id,
    size_t idlen, char *err, size_t errlen);

#endif
