/* stunans.c - the answer to a STUN Binding request. */
#include <errno.h>
#include <string.h>

#include "stunans.h"

static int
stunans_error(struct dbuf *b, const struct stun_msg *req, uint16_t code,
    const char *reason, const uint16_t *attrs, size_t nattrs)
{
	int r;

	dbuf_reset(b);
	if ((r = stun_enc_begin(b, STUN_BINDING_ERROR, req->tid)) < 0 ||
	    (r = stun_enc_error(b, code, reason)) < 0)
		return r;
	for (size_t i = 0; i < nattrs; i++) {
		uint8_t v[2] = { (uint8_t)(attrs[i] >> 8), (uint8_t)attrs[i] };

		if ((r = stun_enc_bytes(b, STUN_A_UNKNOWN_ATTRIBUTES, v, 2)) < 0)
			return r;
	}
	if ((r = stun_enc_finish(b, NULL, 0, 0)) < 0)
		return r;
	return STUN_ANSWER_ERROR;
}

/*
 * The success answer with as many optional attributes as 'level' allows:
 * 3 all, 2 without SOFTWARE, 1 without FINGERPRINT either, 0 only
 * XOR-MAPPED-ADDRESS.  'pad' bytes of PADDING when non-zero.
 */
static int
stunans_success(struct dbuf *b, const struct stun_msg *req,
    const struct stun_answer *a, int level, size_t pad)
{
	int r;

	dbuf_reset(b);
	if ((r = stun_enc_begin(b, STUN_BINDING_SUCCESS, req->tid)) < 0 ||
	    (r = stun_enc_addr(b, STUN_A_XOR_MAPPED_ADDRESS, a->peer,
	    req->tid)) < 0)
		return r;
	if (level >= 1 && a->other != NULL &&
	    (r = stun_enc_addr(b, STUN_A_OTHER_ADDRESS, a->other, req->tid)) < 0)
		return r;
	if (level >= 1 && a->origin != NULL &&
	    (r = stun_enc_addr(b, STUN_A_RESPONSE_ORIGIN, a->origin,
	    req->tid)) < 0)
		return r;
	if (level >= 3 && a->software != NULL &&
	    (r = stun_enc_bytes(b, STUN_A_SOFTWARE, a->software,
	    strlen(a->software))) < 0)
		return r;
	if (pad > 0 && (r = stun_enc_padding(b, pad)) < 0)
		return r;
	return stun_enc_finish(b, NULL, 0, level >= 2 &&
	    (req->present & STUN_HAS_FINGERPRINT));
}

/* An error answer, kept to the request's size unless growth is allowed. */
static int
stunans_fit_error(struct dbuf *b, size_t in_len, const struct stun_answer *a,
    int r)
{
	if (r < 0)
		return r;
	if (b->len > in_len && (a->may_grow == NULL || !a->may_grow(a->arg)))
		return -EMSGSIZE;
	return r;
}

/* Length on the wire of an address attribute. */
static size_t
stunans_addr_len(const struct sockaddr *sa)
{
	return 4 + (sa->sa_family == AF_INET6 ? 20 : 8);
}

/* The length stunans_success() builds at 'level', without PADDING. */
static size_t
stunans_size(const struct stun_msg *req, const struct stun_answer *a,
    int level)
{
	size_t n = 20 + stunans_addr_len(a->peer);

	if (level >= 1 && a->other != NULL)
		n += stunans_addr_len(a->other);
	if (level >= 1 && a->origin != NULL)
		n += stunans_addr_len(a->origin);
	if (level >= 3 && a->software != NULL)
		n += 4 + ((strlen(a->software) + 3) & ~(size_t)3);
	if (level >= 2 && (req->present & STUN_HAS_FINGERPRINT))
		n += 8;
	return n;
}

int
stun_answer_build(const struct stun_msg *req, size_t in_len,
    const struct stun_answer *a, struct dbuf *out)
{
	uint16_t unknown = STUN_A_CHANGE_REQUEST;
	size_t base, target, pad = 0;
	int level, asked = 0;

	if (req->nunknown > 0)
		return stunans_fit_error(out, in_len, a, stunans_error(out, req,
		    420, "Unknown Attribute", req->unknown, req->nunknown));
	if ((req->present & STUN_HAS_PADDING) &&
	    (req->present & STUN_HAS_RESPONSE_PORT))
		return stunans_fit_error(out, in_len, a, stunans_error(out, req,
		    400, "PADDING with RESPONSE-PORT", NULL, 0));
	if ((req->present & STUN_HAS_RESPONSE_PORT) && req->response_port == 0)
		return stunans_fit_error(out, in_len, a, stunans_error(out, req,
		    400, "RESPONSE-PORT 0", NULL, 0));
	if ((req->present & STUN_HAS_CHANGE_REQ) &&
	    (req->change_request & (STUN_CHANGE_IP | STUN_CHANGE_PORT)) &&
	    a->change_refused)
		return stunans_fit_error(out, in_len, a, stunans_error(out, req,
		    420, "No alternate address or port", &unknown, 1));

	/* The fullest answer that fits, chosen by size before it is built. */
	for (level = 3; level >= 0; level--) {
		if (stunans_size(req, a, level) <= in_len)
			break;
		/* Larger than the request: only when the caller allows it. */
		if (!asked++ && a->may_grow != NULL && a->may_grow(a->arg))
			break;
	}
	if (level < 0) {
		dbuf_reset(out);
		return -EMSGSIZE;	/* even the bare answer is too big */
	}
	/*
	 * PADDING asked for: the answer as long as the request (up to the
	 * largest message we build), never longer, unlike servers that pad
	 * every answer to a full MTU.
	 */
	base = stunans_size(req, a, level);
	target = in_len < STUN_MAX_MSG ? in_len : STUN_MAX_MSG;
	if ((req->present & STUN_HAS_PADDING) && base + 4 < target)
		pad = (target - base - 4) & ~(size_t)3;
	if (stunans_success(out, req, a, level, pad) < 0 &&
	    stunans_success(out, req, a, level, 0) < 0)
		return -ENOMEM;
	return STUN_ANSWER_SUCCESS;
}

int
stun_ice_answer_build(const uint8_t *buf, size_t in_len,
    const struct stun_msg *req, const char *ufrag, const char *pwd,
    const struct sockaddr *peer, struct dbuf *out)
{
	size_t ulen = strlen(ufrag);
	int r;

	if (req->type != STUN_BINDING_REQUEST ||
	    !(req->present & STUN_HAS_USERNAME) || req->username_len <= ulen ||
	    memcmp(req->username, ufrag, ulen) != 0 ||
	    req->username[ulen] != ':')
		return -EPERM;
	if (!(req->present & STUN_HAS_FINGERPRINT) || !req->fingerprint_ok ||
	    stun_msg_check_integrity(buf, in_len, req, pwd, strlen(pwd)) != 0)
		return -EACCES;
	dbuf_reset(out);
	if ((r = stun_enc_begin(out, STUN_BINDING_SUCCESS, req->tid)) < 0 ||
	    (r = stun_enc_addr(out, STUN_A_XOR_MAPPED_ADDRESS, peer,
	    req->tid)) < 0 ||
	    (r = stun_enc_finish(out, pwd, strlen(pwd), 1)) < 0)
		return r;
	return out->len <= in_len ? 0 : -EMSGSIZE;
}
