/*
 * profiles.c - where the commands look for profiles, and loading the ones
 * they name, with errors a person can act on.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "pinhole.h"

/*
 * Whether this binary is the one in its build tree (not an installed
 * copy): the source tree's profiles are then the ones that match it.
 */
static int
running_from_build_tree(void)
{
	char exe[PATH_MAX], root[PATH_MAX];
	ssize_t n;
	size_t rlen;

	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0 ||
	    realpath(PINHOLE_BUILD_ROOT, root) == NULL)
		return 0;
	exe[n] = '\0';
	rlen = strlen(root);
	return strncmp(exe, root, rlen) == 0 && exe[rlen] == '/';
}

size_t
pinhole_profile_dirs_finish(const char **dirs, size_t n)
{
	if (running_from_build_tree())
		dirs[n++] = PINHOLE_SOURCE_PROFILE_DIR;
	dirs[n++] = PINHOLE_PROFILE_DIR;
	dirs[n] = NULL;
	return n;
}

int
pinhole_profile_dir_check(const char *dir)
{
	struct stat sb;
	int r;

	if (stat(dir, &sb) < 0) {
		r = -errno;
		log_warnx("--profile-dir %s: %s", dir, strerror(-r));
		return r;
	}
	if (!S_ISDIR(sb.st_mode)) {
		log_warnx("--profile-dir %s: not a directory (a profile file "
		    "is named with --profile)", dir);
		return -ENOTDIR;
	}
	return 0;
}

int
pinhole_load_profiles(const char *const *names, size_t n,
    const char *const *dirs, struct profile **out)
{
	struct profile_error perr;
	char msg[1400];
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		memset(&perr, 0, sizeof(perr));
		r = profile_find(names[i], dirs, &out[i], &perr);
		if (r < 0) {
			log_warnx("%s%s", profile_error_str(&perr, msg,
			    sizeof(msg)), r == -ENOENT ? " ('pinhole "
			    "profiles' lists them)" : "");
			while (i-- > 0)
				profile_free(out[i]);
			return r;
		}
	}
	return 0;
}
