/* tlsctx.h - the client's TLS contexts: every server it talks to over TLS
 * (pinholed, a TURN relay) is verified against one trust store. */
#ifndef PINHOLE_TLSCTX_H
#define PINHOLE_TLSCTX_H

#include <stddef.h>

#include <openssl/ssl.h>

/*
 * A client context, TLS 1.2 at least, that verifies the peer against the
 * certificates in 'ca' (a PEM file), or the system's trust store when
 * 'ca' is NULL.  NULL with a message in 'err' when they cannot be loaded.
 */
SSL_CTX *tlsctx_client(const char *ca, char *err, size_t errlen);

#endif
