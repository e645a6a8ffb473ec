/* test_sip.c - probe building, stream framing and the semantic diff. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sip.h"

static void
build(struct dbuf *b, enum sip_method m, const char *from)
{
	struct sip_probe p = {
		.method = m, .tcp = 0, .from_ip = from, .from_port = 40000,
		.to_ip = "203.0.113.10", .to_port = 5060, .user = "pinhole",
		.nonce = "0123456789abcdef", .rtp_port = 49170, .cseq = 1,
	};

	dbuf_init(b, SIP_MAX_MSG);
	assert_int_equal(sip_probe_build(&p, b), 0);
}

/* Replaces every 'from' by 'to' in a copy, as an ALG does. */
static char *
rewrite(const struct dbuf *b, const char *from, const char *to)
{
	char *src = strndup((const char *)b->b, b->len), *out, *p, *q;
	size_t fl = strlen(from), tl = strlen(to);

	out = calloc(1, b->len * 2 + 1);
	for (p = src, q = out; *p; ) {
		if (strncmp(p, from, fl) == 0) {
			memcpy(q, to, tl);
			q += tl;
			p += fl;
		} else {
			*q++ = *p++;
		}
	}
	free(src);
	return out;
}

static const struct sip_change *
find(const struct sip_diff *d, const char *elem)
{
	size_t i;

	for (i = 0; i < d->nchanges; i++)
		if (strcmp(d->changes[i].element, elem) == 0)
			return &d->changes[i];
	return NULL;
}

static void
test_build(void **state)
{
	struct dbuf b;
	size_t len;
	char *s;

	build(&b, SIP_INVITE, "192.168.1.10");
	s = strndup((const char *)b.b, b.len);
	assert_non_null(strstr(s, "INVITE sip:pinhole@203.0.113.10:5060 SIP/2.0\r\n"));
	assert_non_null(strstr(s, "Via: SIP/2.0/UDP 192.168.1.10:40000;branch=z9hG4bK-0123456789abcdef;rport\r\n"));
	assert_non_null(strstr(s, "Call-ID: 0123456789abcdef@192.168.1.10\r\n"));
	assert_non_null(strstr(s, "c=IN IP4 192.168.1.10\r\n"));
	assert_non_null(strstr(s, "m=audio 49170 RTP/AVP 0 8 101\r\n"));
	assert_int_equal(sip_frame_len(b.b, b.len, &len), 0);
	assert_int_equal(len, b.len);		/* Content-Length is right */
	free(s);
	dbuf_free(&b);
}

/* A padded INVITE has exactly the size asked, and stays SIP with SDP. */
static void
test_build_padded(void **state)
{
	static const size_t sizes[] = { 1200, 1472, 4000, SIP_MAX_MSG };
	struct sip_probe p = {
		.method = SIP_INVITE, .from_ip = "192.168.1.10",
		.from_port = 40000, .to_ip = "203.0.113.10", .to_port = 5060,
		.user = "pinhole", .nonce = "0123456789abcdef",
		.rtp_port = 49170, .cseq = 1,
	};
	struct sip_diff d;
	struct dbuf b, plain;
	size_t i, len, base, n;
	const char *line, *end;

	dbuf_init(&plain, SIP_MAX_MSG);
	assert_int_equal(sip_probe_build(&p, &plain), 0);
	base = plain.len;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		dbuf_init(&b, SIP_MAX_MSG);
		p.size = sizes[i];
		assert_int_equal(sip_probe_build(&p, &b), 0);
		assert_int_equal(b.len, sizes[i]);
		assert_int_equal(sip_frame_len(b.b, b.len, &len), 0);
		assert_int_equal(len, b.len);
		/* What it says before the filler is the unpadded message's. */
		assert_memory_equal(b.b, plain.b, 200);
		assert_int_equal(sip_diff(plain.b, plain.len, b.b, b.len, &d), 0);
		assert_true(d.parsed);
		sip_diff_free(&d);
		/* Every filler line is an SDP attribute of at most 76 bytes. */
		line = memmem(b.b, b.len, "a=sendrecv\r\n", 12);
		assert_non_null(line);
		line += 12;
		for (end = (const char *)b.b + b.len; line < end; line += n) {
			n = (size_t)((const char *)memchr(line, '\n',
			    (size_t)(end - line)) - line) + 1;
			assert_true(n >= SIP_PAD_MIN && n <= 76);
			assert_memory_equal(line, "a=x-pinhole-pad:a", 17);
		}
		dbuf_free(&b);
	}
	/* Content-Length crossing from 3 to 4 digits. */
	for (n = base + 390; n < base + 420; n++) {
		dbuf_init(&b, SIP_MAX_MSG);
		p.size = n;
		assert_int_equal(sip_probe_build(&p, &b), 0);
		assert_int_equal(b.len, n);
		assert_int_equal(sip_frame_len(b.b, b.len, &len), 0);
		dbuf_free(&b);
	}
	/* Sizes that cannot be met. */
	for (n = 1; n < base + SIP_PAD_MIN; n++) {
		if (n == base)
			continue;
		dbuf_init(&b, SIP_MAX_MSG);
		p.size = n;
		assert_int_equal(sip_probe_build(&p, &b), -EMSGSIZE);
		dbuf_free(&b);
	}
	dbuf_init(&b, SIP_MAX_MSG);
	p.size = base;		/* as it comes: no filler needed */
	assert_int_equal(sip_probe_build(&p, &b), 0);
	assert_int_equal(b.len, base);
	assert_memory_equal(b.b, plain.b, base);
	dbuf_free(&b);
	p.size = SIP_MAX_MSG + 1;
	dbuf_init(&b, SIP_MAX_MSG);
	assert_int_equal(sip_probe_build(&p, &b), -EMSGSIZE);
	dbuf_free(&b);
	p.method = SIP_REGISTER;
	p.size = 1200;
	dbuf_init(&b, SIP_MAX_MSG);
	assert_int_equal(sip_probe_build(&p, &b), -EINVAL);
	dbuf_free(&b);
	dbuf_free(&plain);
}

static void
test_diff_identical(void **state)
{
	struct sip_diff d;
	struct dbuf b;

	build(&b, SIP_REGISTER, "192.168.1.10");
	assert_int_equal(sip_diff(b.b, b.len, b.b, b.len, &d), 0);
	assert_int_equal(d.nchanges, 0);
	assert_int_equal(d.parsed, 1);
	assert_int_equal(d.truncated, 0);
	sip_diff_free(&d);
	dbuf_free(&b);
}

static void
test_diff_alg_rewrite(void **state)
{
	const struct sip_change *c;
	struct sip_diff d;
	struct dbuf b;
	char *r;

	build(&b, SIP_INVITE, "192.168.1.10");
	/* Same length, so Content-Length stays right, as after a good ALG. */
	r = rewrite(&b, "192.168.1.10", "203.0.113.22");
	assert_int_equal(sip_diff(b.b, b.len, (uint8_t *)r, strlen(r), &d), 0);
	assert_int_equal(d.parsed, 1);
	assert_non_null(c = find(&d, "Via"));
	assert_string_equal(c->sent, "SIP/2.0/UDP 192.168.1.10:40000;branch=z9hG4bK-0123456789abcdef;rport");
	assert_string_equal(c->received, "SIP/2.0/UDP 203.0.113.22:40000;branch=z9hG4bK-0123456789abcdef;rport");
	assert_non_null(find(&d, "Contact"));
	assert_non_null(find(&d, "From"));
	assert_non_null(find(&d, "Call-ID"));
	assert_non_null(c = find(&d, "sdp.c"));
	assert_string_equal(c->received, "IN IP4 203.0.113.22");
	assert_non_null(find(&d, "sdp.o"));
	assert_null(find(&d, "Content-Length"));
	assert_int_equal(d.truncated, 0);
	assert_null(find(&d, "To"));
	assert_null(find(&d, "Request-URI"));
	assert_null(find(&d, "sdp.m"));
	assert_int_equal(d.nchanges, 6);
	sip_diff_free(&d);
	free(r);
	dbuf_free(&b);
}

static void
test_diff_truncated_and_headers(void **state)
{
	const struct sip_change *c;
	struct sip_diff d;
	struct dbuf b;
	char *r, *p;

	build(&b, SIP_INVITE, "192.168.1.10");
	assert_int_equal(sip_diff(b.b, b.len, b.b, b.len - 40, &d), 0);
	assert_int_equal(d.truncated, 1);
	sip_diff_free(&d);

	/* A header removed and one added. */
	r = strndup((const char *)b.b, b.len);
	p = strstr(r, "User-Agent: pinhole\r\n");
	memcpy(p, "X-Added: yes\r\n\r\n\r\n\r\n\r\n", 21);
	memmove(p + 14, p + 21, strlen(p + 21) + 1);
	assert_int_equal(sip_diff(b.b, b.len, (uint8_t *)r, strlen(r), &d), 0);
	assert_non_null(c = find(&d, "User-Agent"));
	assert_null(c->received);
	assert_non_null(c = find(&d, "X-Added"));
	assert_null(c->sent);
	assert_string_equal(c->received, "yes");
	sip_diff_free(&d);
	free(r);

	/* SDP that no longer parses: the diff says so. */
	r = strndup((const char *)b.b, b.len);
	p = strstr(r, "v=0");
	p[0] = 'X';
	assert_int_equal(sip_diff(b.b, b.len, (uint8_t *)r, strlen(r), &d), 0);
	assert_int_equal(d.parsed, 0);
	sip_diff_free(&d);
	free(r);

	/* A start line that no longer parses: line diff. */
	r = strndup((const char *)b.b, b.len);
	memcpy(r, "GARBAGE", 7);
	assert_int_equal(sip_diff(b.b, b.len, (uint8_t *)r, strlen(r), &d), 0);
	assert_int_equal(d.parsed, 0);
	assert_int_equal(d.nchanges, 1);
	assert_string_equal(d.changes[0].element, "line 1");
	sip_diff_free(&d);
	free(r);
	dbuf_free(&b);
}

static void
test_frame(void **state)
{
	static const char two[] = "OPTIONS sip:a SIP/2.0\r\nl: 3\r\n\r\nabc"
	    "OPTIONS sip:b SIP/2.0\r\nContent-Length: 0\r\n\r\n";
	size_t len = 0;
	char big[SIP_MAX_MSG + 10];

	assert_int_equal(sip_frame_len((const uint8_t *)two, 10, &len), -EAGAIN);
	assert_int_equal(sip_frame_len((const uint8_t *)two, 33, &len), -EAGAIN);
	assert_int_equal(sip_frame_len((const uint8_t *)two, strlen(two), &len), 0);
	assert_int_equal(len, 34);
	assert_int_equal(sip_frame_len((const uint8_t *)two + 34,
	    strlen(two) - 34, &len), 0);
	assert_int_equal(len, strlen(two) - 34);
	assert_int_equal(sip_frame_len((const uint8_t *)"A\r\nContent-Length: x\r\n\r\n",
	    24, &len), -EBADMSG);
	assert_int_equal(sip_frame_len((const uint8_t *)"A\0B\r\n\r\n", 7, &len),
	    -EBADMSG);
	memset(big, 'a', sizeof(big));
	assert_int_equal(sip_frame_len((const uint8_t *)big, sizeof(big), &len),
	    -EMSGSIZE);
	assert_int_equal(sip_frame_len((const uint8_t *)
	    "A\r\nContent-Length: 99999\r\n\r\n", 29, &len), -EMSGSIZE);
	/* Too large stays too large whatever follows the limit (a NUL). */
	big[SIP_MAX_MSG + 5] = '\0';
	assert_int_equal(sip_frame_len((const uint8_t *)big, SIP_MAX_MSG, &len),
	    -EMSGSIZE);
	assert_int_equal(sip_frame_len((const uint8_t *)big, sizeof(big), &len),
	    -EMSGSIZE);
	big[SIP_MAX_MSG - 1] = '\0';
	assert_int_equal(sip_frame_len((const uint8_t *)big, sizeof(big), &len),
	    -EBADMSG);
}

/* The 200 OK to OPTIONS: a clean status line, the headers copied. */
static void
test_options_answer(void **state)
{
	static const char req[] = "OPTIONS sip:pinholed SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx\r\n"
	    "From: <sip:a@192.0.2.1>;tag=1\r\nTo: <sip:pinholed>\r\n"
	    "Call-ID: c1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
	struct dbuf b;
	char *str;

	(void)state;
	dbuf_init(&b, SIP_MAX_MSG);
	assert_int_equal(sip_options_answer((const uint8_t *)req,
	    sizeof(req) - 1, &b), 0);
	assert_null(memchr(b.b, '\0', b.len));
	assert_memory_equal(b.b, "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP", 32);
	str = dbuf_steal_str(&b);
	assert_non_null(str);
	assert_non_null(strstr(str, "\r\nCall-ID: c1\r\n"));
	free(str);
	dbuf_free(&b);
}

/*
 * Every method's probe is one whole message: its name on the request line
 * and in CSeq, a Content-Length that is its body's, and the header each
 * needs (Event, Refer-To); it diffs clean against itself.
 */
static void
test_methods(void **state)
{
	static const char *const need[SIP_NMETHODS] = { "Expires: 300",
	    "Content-Type: application/sdp", NULL, "Event: message-summary",
	    "Subscription-State: active", "application/dtmf-relay", NULL,
	    "Refer-To: <sip:pinhole@192.168.1.10:40000>", "text/plain" };
	struct sip_diff d;
	struct dbuf b;
	size_t len;
	char line[64];
	int m;

	(void)state;
	for (m = 0; m < SIP_NMETHODS; m++) {
		build(&b, (enum sip_method)m, "192.168.1.10");
		assert_int_equal(sip_frame_len(b.b, b.len, &len), 0);
		assert_int_equal(len, b.len);
		snprintf(line, sizeof(line), "%s sip:", sip_method_name(m));
		assert_memory_equal(b.b, line, strlen(line));
		snprintf(line, sizeof(line), "CSeq: 1 %s\r\n",
		    sip_method_name(m));
		assert_non_null(memmem(b.b, b.len, line, strlen(line)));
		if (need[m] != NULL)
			assert_non_null(memmem(b.b, b.len, need[m],
			    strlen(need[m])));
		assert_int_equal(sip_diff(b.b, b.len, b.b, b.len, &d), 0);
		assert_int_equal(d.nchanges, 0);
		sip_diff_free(&d);
		dbuf_free(&b);
	}
	assert_string_equal(sip_method_name(SIP_NMETHODS), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_build_padded),
		cmocka_unit_test(test_diff_identical),
		cmocka_unit_test(test_diff_alg_rewrite),
		cmocka_unit_test(test_diff_truncated_and_headers),
		cmocka_unit_test(test_frame),
		cmocka_unit_test(test_options_answer),
		cmocka_unit_test(test_methods),
	};

	sip_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
