/*
 * browser_text.c - a string the page sent, made safe to keep in a report:
 * cut to a size on a character boundary, control characters blanked.
 * Shared by the page's checks (browser.c, browser_webrtc.c).
 */
#include "browser.h"

void
browser_text(const char *s, char *out, size_t len)
{
	size_t i, n = 0;

	if (s == NULL)
		s = "";
	for (i = 0; s[i] != '\0' && n + 1 < len; i++) {
		/* Cut before a character that would not fit whole. */
		if ((s[i] & 0xc0) != 0x80 && (unsigned char)s[i] >= 0xc0) {
			size_t cl = (unsigned char)s[i] >= 0xf0 ? 4 :
			    (unsigned char)s[i] >= 0xe0 ? 3 : 2;

			if (n + cl >= len)
				break;
		}
		out[n++] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
	}
	out[n] = '\0';
}
