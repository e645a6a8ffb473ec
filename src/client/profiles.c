/* profiles.c - loading the profiles a command names, with errors a person can act on. */
#include <string.h>

#include "log.h"
#include "pinhole.h"

int
pinhole_load_profiles(const char *const *names, size_t n,
    const char *const *dirs, struct profile **out)
{
	struct profile_error perr;
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		memset(&perr, 0, sizeof(perr));
		r = profile_find(names[i], dirs, &out[i], &perr);
		if (r < 0) {
			if (perr.msg[0] != '\0')
				log_warnx("%s:%d: %s", perr.file, perr.line,
				    perr.msg);
			else
				log_warnx("profile '%s': %s", names[i],
				    strerror(-r));
			while (i-- > 0)
				profile_free(out[i]);
			return r;
		}
	}
	return 0;
}
