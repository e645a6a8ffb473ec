/* test_xmpp.c - XMPP stream opens as the responder reads them. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "xmpp.h"

/* What pinhole's reach check sends. */
static const char ours[] =
    "<?xml version='1.0'?><stream:stream to='198.51.100.1' "
    "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
    "version='1.0' xml:lang='en'>";

/* A Gajim (nbxmpp) client stream open: double quotes. */
static const char gajim[] =
    "<?xml version='1.0'?>"
    "<stream:stream xmlns=\"jabber:client\" version=\"1.0\" "
    "xmlns:stream=\"http://etherx.jabber.org/streams\" to=\"example.org\" "
    "xml:lang=\"en\">";

/* A prosody server-to-server stream open, with a newline after the declaration. */
static const char prosody_s2s[] =
    "<?xml version='1.0'?>\n"
    "<stream:stream xmlns='jabber:server' xmlns:db='jabber:server:dialback' "
    "xmlns:stream='http://etherx.jabber.org/streams' version='1.0' "
    "from='example.net' to='example.org' xml:lang='en'>";

static int
parse(const char *s, struct xmpp_open *o)
{
	return xmpp_open_parse((const uint8_t *)s, strlen(s), XMPP_MAX_OPEN, o);
}

static void
assert_val(const struct xmpp_val *v, const char *want)
{
	assert_non_null(v->p);
	assert_int_equal(v->n, strlen(want));
	assert_memory_equal(v->p, want, v->n);
}

static void
test_real_opens(void **state)
{
	struct xmpp_open o;

	assert_int_equal(parse(ours, &o), 0);
	assert_int_equal(o.len, strlen(ours));
	assert_val(&o.to, "198.51.100.1");
	assert_val(&o.xmlns, "jabber:client");
	assert_val(&o.version, "1.0");
	assert_val(&o.lang, "en");
	assert_null(o.from.p);

	assert_int_equal(parse(gajim, &o), 0);
	assert_int_equal(o.len, strlen(gajim));
	assert_val(&o.to, "example.org");

	assert_int_equal(parse(prosody_s2s, &o), 0);
	assert_val(&o.xmlns, "jabber:server");
	assert_val(&o.from, "example.net");
	assert_val(&o.to, "example.org");
}

/* Complete at the '>' and at no byte before, for each real open. */
static void
test_split_every_byte(void **state)
{
	const char *const opens[] = { ours, gajim, prosody_s2s };
	struct xmpp_open o;
	size_t i, k, n;

	for (i = 0; i < 3; i++) {
		const uint8_t *p = (const uint8_t *)opens[i];

		n = strlen(opens[i]);
		for (k = 0; k < n; k++)
			assert_int_equal(xmpp_open_parse(p, k, XMPP_MAX_OPEN,
			    &o), -EAGAIN);
		assert_int_equal(xmpp_open_parse(p, n, XMPP_MAX_OPEN, &o), 0);
		assert_int_equal(o.len, n);
	}
}

static void
test_forms(void **state)
{
	struct xmpp_open o;

	/* No declaration, whitespace first, spaces around '=' and '>'. */
	assert_int_equal(parse(" \r\n\t<stream:stream xmlns:stream = "
	    "'http://etherx.jabber.org/streams'\n >", &o), 0);
	assert_null(o.to.p);
	/* A byte order mark, and a declaration with encoding. */
	assert_int_equal(parse("\xef\xbb\xbf<?xml version=\"1.0\" "
	    "encoding=\"UTF-8\" standalone='yes' ?><stream:stream "
	    "xmlns:stream='http://etherx.jabber.org/streams'>", &o), 0);
	/* What follows the open tag (features, STARTTLS) is not ours. */
	assert_int_equal(parse("<stream:stream xmlns:stream='http://etherx."
	    "jabber.org/streams'><starttls xmlns='urn:ietf:params:xml:ns:"
	    "xmpp-tls'/>", &o), 0);
	assert_int_equal(o.len, strlen("<stream:stream xmlns:stream='http://"
	    "etherx.jabber.org/streams'>"));
	/* Entities are left as they are. */
	assert_int_equal(parse("<stream:stream to='a&amp;b' xmlns:stream="
	    "'http://etherx.jabber.org/streams'>", &o), 0);
	assert_val(&o.to, "a&amp;b");
}

static void
test_refused(void **state)
{
	struct xmpp_open o;

	assert_int_equal(parse("", &o), -EAGAIN);
	assert_int_equal(parse("GET / HTTP/1.1\r\n", &o), -EBADMSG);
	assert_int_equal(parse("G", &o), -EBADMSG);
	assert_int_equal(parse("\x16\x03\x01", &o), -EBADMSG);
	/* The stream namespace: missing, wrong, or under another prefix. */
	assert_int_equal(parse("<stream:stream xmlns='jabber:client'>", &o),
	    -EBADMSG);
	assert_int_equal(parse("<stream:stream>", &o), -EBADMSG);
	assert_int_equal(parse("<stream:stream xmlns:stream='http://etherx."
	    "jabber.org/stream'>", &o), -EBADMSG);
	assert_int_equal(parse("<s:stream xmlns:s='http://etherx.jabber.org/"
	    "streams'>", &o), -EBADMSG);
	/* Not an open tag. */
	assert_int_equal(parse("<stream:stream xmlns:stream='http://etherx."
	    "jabber.org/streams'/>", &o), -EBADMSG);
	assert_int_equal(parse("<stream:streams xmlns:stream='x'>", &o),
	    -EBADMSG);
	assert_int_equal(parse("<!-- hi --><stream:stream>", &o), -EBADMSG);
	assert_int_equal(parse("<!DOCTYPE x><stream:stream>", &o), -EBADMSG);
	assert_int_equal(parse("<?xml-stylesheet href='a'?>", &o), -EBADMSG);
	/* The declaration: first, with a version 1.x, nothing unknown. */
	assert_int_equal(parse(" <?xml version='1.0'?>", &o), -EBADMSG);
	assert_int_equal(parse("<?xml encoding='UTF-8'?><stream:stream", &o),
	    -EBADMSG);
	assert_int_equal(parse("<?xml version='2.0'?>", &o), -EBADMSG);
	assert_int_equal(parse("<?xml version='1.0' foo='bar'?>", &o),
	    -EBADMSG);
	/* Attribute syntax. */
	assert_int_equal(parse("<stream:stream to='a' to='b'", &o), -EBADMSG);
	assert_int_equal(parse("<stream:stream to='a<b'", &o), -EBADMSG);
	assert_int_equal(parse("<stream:stream to=a", &o), -EBADMSG);
	assert_int_equal(parse("<stream:stream to='a\"", &o), -EAGAIN);
	assert_int_equal(parse("<stream:stream to='a\x01'", &o), -EBADMSG);
	assert_int_equal(parse("<stream:stream to='a'version='1.0'", &o),
	    -EBADMSG);
	assert_int_equal(parse("<stream:stream 1a='x'", &o), -EBADMSG);
}

static void
test_limits(void **state)
{
	char name[XMPP_MAX_NAME + 32], buf[4096];
	size_t n = XMPP_MAX_OPEN + 10, k;
	struct xmpp_open o;
	uint8_t *b;
	int i;

	/* Names up to the maximum. */
	memset(name, 'a', XMPP_MAX_NAME);
	name[XMPP_MAX_NAME] = '\0';
	snprintf(buf, sizeof(buf), "<stream:stream %s='1' xmlns:stream="
	    "'http://etherx.jabber.org/streams'>", name);
	assert_int_equal(parse(buf, &o), 0);
	snprintf(buf, sizeof(buf), "<stream:stream %sa='1'", name);
	assert_int_equal(parse(buf, &o), -EBADMSG);
	/* Attributes up to the maximum. */
	k = (size_t)snprintf(buf, sizeof(buf), "<stream:stream xmlns:stream="
	    "'http://etherx.jabber.org/streams'");
	for (i = 1; i < XMPP_MAX_ATTRS; i++)
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, " a%d='x'", i);
	assert_int_equal(xmpp_open_parse((const uint8_t *)buf, k, XMPP_MAX_OPEN,
	    &o), -EAGAIN);
	snprintf(buf + k, sizeof(buf) - k, ">");
	assert_int_equal(parse(buf, &o), 0);
	snprintf(buf + k, sizeof(buf) - k, " b='x'>");
	assert_int_equal(parse(buf, &o), -EBADMSG);
	/* Need more up to the maximum size, too large from it on. */
	assert_non_null(b = malloc(n));
	memcpy(b, "<stream:stream to='", 19);
	memset(b + 19, 'a', n - 19);
	for (k = XMPP_MAX_OPEN - 2; k < XMPP_MAX_OPEN + 2; k++)
		assert_int_equal(xmpp_open_parse(b, k, XMPP_MAX_OPEN, &o),
		    k < XMPP_MAX_OPEN ? -EAGAIN : -EMSGSIZE);
	free(b);
	/* A complete open of exactly the maximum is accepted. */
	k = strlen(ours);
	assert_int_equal(xmpp_open_parse((const uint8_t *)ours, k, k, &o), 0);
	assert_int_equal(xmpp_open_parse((const uint8_t *)ours, k, k - 1, &o),
	    -EMSGSIZE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_opens),
		cmocka_unit_test(test_split_every_byte),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
