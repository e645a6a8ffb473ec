/*
 * profile_dir.c - profiles on disk (pinhole-profile(5)): reading one file,
 * with errors about the file itself (a directory, too large, not text),
 * finding one by name along a search path, and listing them.  Parsing the
 * text is profile.c's.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "profile.h"

#define PROFILE_MAX_BYTES	(1024 * 1024)

#define PROFILE_NAME_MAX	128

/* Sets a file-level error (line 0: no line to point at) and returns 'r'. */
static int
profile_err_file(struct profile_error *err, int line, int r, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static int
profile_err_file(struct profile_error *err, int line, int r, const char *fmt,
    ...)
{
	va_list ap;

	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return r;
}

/* Reads all of 'f', at most PROFILE_MAX_BYTES, into a new string. */
static int
profile_read_all(FILE *f, char **textp, size_t *lenp)
{
	char *text;
	size_t len = 0, n;

	if ((text = malloc(PROFILE_MAX_BYTES + 2)) == NULL)
		return -ENOMEM;
	do {
		n = fread(text + len, 1, PROFILE_MAX_BYTES + 1 - len, f);
		len += n;
	} while (n > 0 && len <= PROFILE_MAX_BYTES);
	if (ferror(f)) {
		free(text);
		return errno ? -errno : -EIO;
	}
	text[len] = '\0';
	*textp = text;
	*lenp = len;
	return 0;
}

int
profile_load(const char *path, struct profile **pp, struct profile_error *err)
{
	char *text = NULL;
	const char *nul, *c;
	struct stat sb;
	size_t len = 0;
	FILE *f = NULL;
	int r, line;

	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", path);
	if ((f = fopen(path, "r")) == NULL) {
		r = -errno;
		return profile_err_file(err, 0, r, "cannot open: %s",
		    strerror(-r));
	}
	if (fstat(fileno(f), &sb) < 0)
		memset(&sb, 0, sizeof(sb));	/* then reading tells */
	if (S_ISDIR(sb.st_mode)) {
		r = profile_err_file(err, 0, -EISDIR, "is a directory, not a "
		    "profile file (name a .ini file in it, or search it with "
		    "--profile-dir)");
		goto out;
	}
	if (S_ISREG(sb.st_mode) && sb.st_size > PROFILE_MAX_BYTES) {
		r = profile_err_file(err, 0, -EFBIG, "%lld bytes: a profile "
		    "is at most %d bytes", (long long)sb.st_size,
		    PROFILE_MAX_BYTES);
		goto out;
	}
	if ((r = profile_read_all(f, &text, &len)) < 0) {
		profile_err_file(err, 0, r, "cannot read: %s", strerror(-r));
		goto out;
	}
	if (len > PROFILE_MAX_BYTES) {
		r = profile_err_file(err, 0, -EFBIG, "more than %d bytes: "
		    "a profile is at most that", PROFILE_MAX_BYTES);
		goto out;
	}
	if ((nul = memchr(text, '\0', len)) != NULL) {
		for (line = 1, c = text; c < nul; c++)
			line += *c == '\n';
		r = profile_err_file(err, line, -EINVAL, "a NUL byte at "
		    "offset %zu: not a text file", (size_t)(nul - text));
		goto out;
	}
	r = profile_load_text(text, path, pp, err);
out:
	free(text);
	fclose(f);
	return r;
}

/* Levenshtein distance of two names of fewer than PROFILE_NAME_MAX bytes. */
static size_t
name_distance(const char *a, const char *b)
{
	size_t row[PROFILE_NAME_MAX + 1], la = strlen(a), lb = strlen(b);
	size_t i, j, diag, up;

	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			row[j] = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
		}
	}
	return row[lb];
}

/*
 * The profile name in 'dirs' nearest to 'name' into 'best' (empty when
 * none is within a third of the name's length, at least 2 edits), and
 * whether each directory could be opened, as bits of *opened.
 */
static void
nearest_name(const char *name, const char *const *dirs, char *best,
    size_t blen, unsigned *opened)
{
	size_t bestd = strlen(name) / 3 < 2 ? 2 : strlen(name) / 3;
	size_t i, n, dist;
	struct dirent *de;
	char cand[PROFILE_NAME_MAX];
	DIR *dir;

	best[0] = '\0';
	*opened = 0;
	if (strlen(name) >= PROFILE_NAME_MAX)
		return;
	for (i = 0; dirs != NULL && dirs[i] != NULL; i++) {
		if ((dir = opendir(dirs[i])) == NULL)
			continue;
		if (i < sizeof(*opened) * 8)
			*opened |= 1u << i;
		while ((de = readdir(dir)) != NULL) {
			n = strlen(de->d_name);
			if (n <= 4 || n - 4 >= sizeof(cand) ||
			    strcmp(de->d_name + n - 4, ".ini") != 0)
				continue;
			memcpy(cand, de->d_name, n - 4);
			cand[n - 4] = '\0';
			if (!profile_name_valid(cand))
				continue;
			dist = name_distance(name, cand);
			if (dist < bestd || (dist == bestd && best[0] != '\0' &&
			    strcmp(cand, best) < 0)) {
				bestd = dist;
				snprintf(best, blen, "%s", cand);
			}
		}
		closedir(dir);
	}
}

/* Says which directories were searched for 'name', and what is nearest. */
static void
profile_not_found(const char *name, const char *const *dirs,
    struct profile_error *err)
{
	char best[PROFILE_NAME_MAX];
	size_t i, n;
	unsigned opened;

	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", name);
	nearest_name(name, dirs, best, sizeof(best), &opened);
	n = (size_t)snprintf(err->msg, sizeof(err->msg), "no such profile "
	    "in");
	for (i = 0; dirs != NULL && dirs[i] != NULL && n < sizeof(err->msg);
	    i++)
		n += (size_t)snprintf(err->msg + n, sizeof(err->msg) - n,
		    "%s %s%s", i ? "," : "", dirs[i],
		    i < sizeof(opened) * 8 && !(opened & (1u << i)) ?
		    " (absent)" : "");
	if (i == 0 && n < sizeof(err->msg))
		n += (size_t)snprintf(err->msg + n, sizeof(err->msg) - n,
		    " no directory");
	if (best[0] != '\0' && n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - n, "; did you mean "
		    "%s?", best);
}

int
profile_find(const char *arg, const char *const *dirs, struct profile **pp,
    struct profile_error *err)
{
	const char *const *d;
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
	for (d = dirs; d != NULL && *d != NULL; d++) {
		snprintf(path, sizeof(path), "%s/%s.ini", *d, arg);
		r = profile_load(path, pp, err);
		if (r != -ENOENT)
			return r;
	}
	profile_not_found(arg, dirs, err);
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
