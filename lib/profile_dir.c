/*
 * profile_dir.c - finding profiles in directories: by name along a search
 * path, and listing them (pinhole-profile(5)).  Reading one file is
 * profile.c's.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"

int
profile_find(const char *arg, const char *const *dirs, struct profile **pp,
    struct profile_error *err)
{
	char path[4096];
	size_t n = strlen(arg);
	int r = -ENOENT;

	memset(err, 0, sizeof(*err));
	if (strchr(arg, '/') != NULL || (n > 4 && strcmp(arg + n - 4, ".ini") == 0))
		return profile_load(arg, pp, err);
	if (!profile_name_valid(arg)) {
		snprintf(err->file, sizeof(err->file), "%s", arg);
		snprintf(err->msg, sizeof(err->msg), "not a profile name");
		return -EINVAL;
	}
	for (; dirs != NULL && *dirs != NULL; dirs++) {
		snprintf(path, sizeof(path), "%s/%s.ini", *dirs, arg);
		r = profile_load(path, pp, err);
		if (r != -ENOENT)
			return r;
	}
	memset(err, 0, sizeof(*err));
	return -ENOENT;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
profile_list(const char *const *dirs,
    void (*fn)(const struct profile *p, void *arg),
    void (*bad)(const struct profile_error *err, void *arg), void *arg)
{
	char *seen[256], *names[256], path[4096];
	size_t nseen = 0, nnames, i, j;
	struct profile_error err;
	struct profile *p;
	struct dirent *de;
	DIR *d;

	for (; dirs != NULL && *dirs != NULL; dirs++) {
		if ((d = opendir(*dirs)) == NULL)
			continue;
		nnames = 0;
		while ((de = readdir(d)) != NULL && nnames < 256) {
			size_t n = strlen(de->d_name);

			if (n > 4 && strcmp(de->d_name + n - 4, ".ini") == 0 &&
			    de->d_name[0] != '.')
				names[nnames++] = strndup(de->d_name, n - 4);
		}
		closedir(d);
		qsort(names, nnames, sizeof(names[0]), cmp_str);
		for (i = 0; i < nnames; i++) {
			for (j = 0; j < nseen && names[i] &&
			    strcmp(seen[j], names[i]) != 0; j++)
				;
			if (names[i] == NULL || j < nseen || nseen == 256) {
				free(names[i]);
				continue;
			}
			seen[nseen++] = names[i];
			snprintf(path, sizeof(path), "%s/%s.ini", *dirs, names[i]);
			if (profile_load(path, &p, &err) == 0) {
				fn(p, arg);
				profile_free(p);
			} else if (bad != NULL) {
				bad(&err, arg);
			}
		}
	}
	for (i = 0; i < nseen; i++)
		free(seen[i]);
	return 0;
}
