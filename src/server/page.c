/*
 * page.c - the check page's files and profile, read at start (page.h).
 *
 * Serving from memory keeps every path question out of the request: a
 * path is looked up in a table of at most PAGE_MAX_FILES names, so there
 * is nothing to traverse, and the sandbox never has to allow open().
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "page.h"
#include "server.h"

static const struct {
	const char *ext;
	const char *ctype;
} page_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".txt", "text/plain; charset=utf-8" },
};

static const char *
page_ctype(const char *name)
{
	size_t i, n = strlen(name), e;

	for (i = 0; i < sizeof(page_types) / sizeof(page_types[0]); i++) {
		e = strlen(page_types[i].ext);
		if (n > e && strcmp(name + n - e, page_types[i].ext) == 0)
			return page_types[i].ctype;
	}
	return NULL;
}

static int
page_name_ok(const char *s)
{
	size_t i;

	if (s[0] == '.' || s[0] == '\0' || strlen(s) > 64)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    strchr("._-", s[i]) != NULL))
			return 0;
	return 1;
}

/* Reads 'name' under 'dfd' as the file served at 'path'. */
static int
page_read(struct page *pg, int dfd, const char *name, const char *path,
    const char *shown)
{
	struct page_file *f;
	struct stat st;
	const char *ctype = page_ctype(name);
	ssize_t got;
	size_t off = 0;
	int fd, r = 0;

	if (ctype == NULL) {
		log_warnx("page-dir: %s: not a type the page serves: skipped",
		    shown);
		return 0;
	}
	if (pg->nfiles == PAGE_MAX_FILES) {
		log_warnx("page-dir: more than %d files", PAGE_MAX_FILES);
		return -EFBIG;
	}
	if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		r = -errno;
		log_warn("page-dir: %s", shown);
		return r;
	}
	f = &pg->files[pg->nfiles];
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		log_warnx("page-dir: %s: not a regular file", shown);
		r = -EINVAL;
		goto out;
	}
	if ((size_t)st.st_size > PAGE_MAX_BYTES - pg->bytes) {
		log_warnx("page-dir: the files pass %u bytes", PAGE_MAX_BYTES);
		r = -EFBIG;
		goto out;
	}
	if ((f->data = malloc((size_t)st.st_size + 1)) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	while (off < (size_t)st.st_size &&
	    (got = read(fd, f->data + off, (size_t)st.st_size - off)) > 0)
		off += (size_t)got;
	if (off != (size_t)st.st_size) {
		log_warnx("page-dir: %s: short read", shown);
		free(f->data);
		f->data = NULL;
		r = -EIO;
		goto out;
	}
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->ctype = ctype;
	f->len = off;
	pg->bytes += off;
	pg->nfiles++;
out:
	close(fd);
	return r;
}

static int
page_read_static(struct page *pg, int dfd, const char *dir)
{
	char path[80], shown[1024];
	struct dirent *de;
	DIR *d;
	int sfd, r = 0;

	if ((sfd = openat(dfd, "static", O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : -errno;
	if ((d = fdopendir(sfd)) == NULL) {
		close(sfd);
		return -errno;
	}
	while (r == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(shown, sizeof(shown), "%s/static/%s", dir, de->d_name);
		if (!page_name_ok(de->d_name)) {
			log_warnx("page-dir: %s: not a name the page serves: "
			    "skipped", shown);
			continue;
		}
		snprintf(path, sizeof(path), "/static/%s", de->d_name);
		r = page_read(pg, dirfd(d), de->d_name, path, shown);
	}
	closedir(d);
	return r;
}

static int
page_profile(struct server *s, struct page *pg)
{
	const char *dirs[] = { PINHOLE_PROFILE_DIR, NULL };
	struct profile_error err;
	char msg[1400];
	size_t i, off;
	int r, n;

	if ((r = profile_find(s->conf.page_profile, dirs, &pg->profile,
	    &err)) < 0) {
		log_warnx("page-profile: %s", profile_error_str(&err, msg,
		    sizeof(msg)));
		return r;
	}
	browser_targets(pg->profile, &pg->targets);
	/* Sized for every target (page.h); snprintf keeps it so. */
	off = 0;
	for (i = 0; i < pg->targets.ntargets; i++) {
		n = snprintf(pg->connect_src + off, sizeof(pg->connect_src) -
		    off, pg->targets.targets[i].port == 443 ? " https://%s" :
		    " https://%s:%u", pg->targets.targets[i].host,
		    pg->targets.targets[i].port);
		if (n < 0 || (size_t)n >= sizeof(pg->connect_src) - off)
			return -ENAMETOOLONG;
		off += (size_t)n;
	}
	return 0;
}

int
page_start(struct server *s)
{
	const struct srv_conf *c = &s->conf;
	struct page *pg;
	char shown[600];
	int dfd, r;

	if ((dfd = open(c->page_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT && !c->page_dir_set) {
			log_info("no check page: %s is not there", c->page_dir);
			return 0;
		}
		r = -errno;
		log_warn("page-dir %s", c->page_dir);
		return r;
	}
	if ((pg = calloc(1, sizeof(*pg))) == NULL) {
		close(dfd);
		return -ENOMEM;
	}
	snprintf(shown, sizeof(shown), "%s/index.html", c->page_dir);
	r = page_read(pg, dfd, "index.html", "/", shown);
	if (r == 0)
		r = page_read_static(pg, dfd, c->page_dir);
	close(dfd);
	s->page = pg;
	if (r == 0)
		r = page_profile(s, pg);
	if (r < 0) {
		page_free(s);
		return r;
	}
	log_info("check page: %zu files (%zu bytes) from %s, profile %s",
	    pg->nfiles, pg->bytes, c->page_dir, pg->profile->name);
	return 0;
}

void
page_free(struct server *s)
{
	struct page *pg = s->page;
	size_t i;

	if (pg == NULL)
		return;
	for (i = 0; i < pg->nfiles; i++)
		free(pg->files[i].data);
	profile_free(pg->profile);
	free(pg);
	s->page = NULL;
}

const struct page_file *
page_find(const struct server *s, const uint8_t *path, size_t n)
{
	const struct page *pg = s->page;
	size_t i;

	if (pg == NULL)
		return NULL;
	for (i = 0; i < pg->nfiles; i++)
		if (strlen(pg->files[i].path) == n &&
		    memcmp(pg->files[i].path, path, n) == 0)
			return &pg->files[i];
	return NULL;
}
