/* test_codec.c - the codec table and the size of a packet. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "codec.h"

static void
test_parse(void **state)
{
	struct codec c;

	(void)state;
	assert_int_equal(codec_parse("G.711", &c), 0);
	assert_string_equal(c.name, "G.711");
	assert_int_equal(c.pt, 0);
	assert_int_equal(c.clock_hz, 8000);
	assert_int_equal(c.bitrate, 64000);
	assert_float_equal(c.ie, 0, 0);
	assert_float_equal(c.bpl, 25.1, 1e-9);	/* G.113 App. I, with PLC */
	assert_non_null(strstr(c.source, "G.113"));
	assert_int_equal(codec_parse("pcmu", &c), 0);
	assert_int_equal(c.pt, 0);
	assert_int_equal(codec_parse("PCMA", &c), 0);
	assert_string_equal(c.name, "G.711");
	assert_int_equal(c.pt, 8);
	assert_float_equal(c.bpl, 25.1, 1e-9);

	assert_int_equal(codec_parse("g.729", &c), 0);
	assert_string_equal(c.name, "G.729");
	assert_int_equal(c.pt, 18);
	assert_int_equal(c.clock_hz, 8000);
	assert_int_equal(c.bitrate, 8000);
	assert_float_equal(c.ie, 11, 0);
	assert_float_equal(c.bpl, 19, 0);

	assert_int_equal(codec_parse("Opus", &c), 0);
	assert_string_equal(c.name, "opus");
	assert_int_equal(c.pt, 111);
	assert_int_equal(c.clock_hz, 48000);
	assert_int_equal(c.bitrate, 32000);
	assert_float_equal(c.ie, 0, 0);
	assert_float_equal(c.bpl, 20, 0);
	assert_non_null(strstr(c.source, "estimate"));
	assert_int_equal(codec_parse("opus/6000", &c), 0);
	assert_int_equal(c.bitrate, 6000);
	assert_float_equal(c.ie, 11, 0);	/* narrowband below 9 kbit/s */
	assert_int_equal(codec_parse("OPUS/9000", &c), 0);
	assert_float_equal(c.ie, 0, 0);
	assert_int_equal(codec_parse("opus/510000", &c), 0);
	assert_int_equal(c.bitrate, 510000);
}

static void
test_rejects(void **state)
{
	static const char *bad[] = {
		"", "G711", "G.722", "opus/", "opus/5999", "opus/510001",
		"opus/32k", "opus/-1", "opus/32000 ", "opus32000", "PCMU ",
	};
	struct codec c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(codec_parse(bad[i], &c), -EINVAL);
	assert_int_equal(codec_parse(NULL, &c), -EINVAL);
}

static void
test_payload(void **state)
{
	struct codec c;

	(void)state;
	assert_int_equal(codec_parse("G.711", &c), 0);
	assert_int_equal(codec_payload_bytes(&c, 20), 160);
	assert_int_equal(codec_payload_bytes(&c, 30), 240);
	assert_int_equal(codec_parse("G.729", &c), 0);
	assert_int_equal(codec_payload_bytes(&c, 20), 20);
	assert_int_equal(codec_parse("opus", &c), 0);
	assert_int_equal(codec_payload_bytes(&c, 20), 80);
	assert_int_equal(codec_parse("opus/510000", &c), 0);
	assert_int_equal(codec_payload_bytes(&c, 60), 3825);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_payload),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
