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

#include "cmd.h"
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

struct list_count {
	int good, bad;
};

static void
list_one_h(const struct profile *p, void *arg)
{
	struct list_count *n = arg;

	printf("%-24s %s\n    %s\n", p->name, p->title, p->path);
	n->good++;
}

static void
list_bad_h(const struct profile_error *e, void *arg)
{
	struct list_count *n = arg;
	char msg[1400];

	log_warnx("%s", profile_error_str(e, msg, sizeof(msg)));
	n->bad++;
}

int
cmd_profiles(const struct opts *o, char **args)
{
	struct list_count n = { 0, 0 };
	char where[2048] = "";
	size_t i, len = 0;
	int r;

	(void)args;
	r = profile_list(o->dirs, list_one_h, list_bad_h, &n);
	if (r < 0) {
		log_warnx("cannot list profiles: %s", strerror(-r));
		return 2;
	}
	if (n.good + n.bad == 0) {
		for (i = 0; i < o->ndirs && len < sizeof(where); i++)
			len += (size_t)snprintf(where + len, sizeof(where) - len,
			    "%s%s", i ? ", " : "", o->dirs[i]);
		log_warnx("no profiles in %s (name a directory of *.ini files "
		    "with --profile-dir)", where);
		return 2;
	}
	return n.bad ? 2 : 0;
}
