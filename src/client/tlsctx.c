/* tlsctx.c - the client's TLS contexts (tlsctx.h). */
#include <stdio.h>

#include "tlsctx.h"

SSL_CTX *
tlsctx_client(const char *ca, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL) {
		snprintf(err, errlen, "no TLS context");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if ((ca != NULL && SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) ||
	    (ca == NULL && SSL_CTX_set_default_verify_paths(ctx) != 1)) {
		snprintf(err, errlen, "cannot load CA certificates%s%s",
		    ca ? " from " : "", ca ? ca : "");
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}
