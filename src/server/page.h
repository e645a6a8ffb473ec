/*
 * page.h - the browser check page: the files of page-dir, read into
 * memory at start (the sandbox refuses open() after the privilege drop),
 * and the profile the page checks.
 */
#ifndef PINHOLED_PAGE_H
#define PINHOLED_PAGE_H

#include <stddef.h>
#include <stdint.h>

#include "browser.h"
#include "profile.h"

#define PAGE_MAX_FILES	32		/* index.html and static/ */
#define PAGE_MAX_BYTES	(1u << 20)	/* all files together */

struct server;

struct page_file {
	char path[80];			/* "/" or "/static/NAME" */
	const char *ctype;
	uint8_t *data;
	size_t len;
};

struct page {
	struct page_file files[PAGE_MAX_FILES];
	size_t nfiles;
	size_t bytes;
	struct profile *profile;
	/* The hosts the page fetches (browser_targets()), and the CSP's
	 * connect-src for them. */
	struct browser_results targets;
	char connect_src[BROWSER_MAX_TARGETS * (BROWSER_HOST_MAX + 16)];
};

/*
 * Reads page-dir (index.html, and the regular files of static/ whose
 * names are [A-Za-z0-9._-] with a known type) and page-profile, before the
 * privilege drop, when HTTPS is served (a store is configured).  With the
 * default page-dir missing there is no page (said once); a page-dir set
 * in the file must load.  0, or -errno (logged).
 */
int page_start(struct server *s);
void page_free(struct server *s);

/* The file served at 'path' ('n' bytes, as http_req_origin_path() gives
 * it), or NULL. */
const struct page_file *page_find(const struct server *s, const uint8_t *path,
    size_t n);

#endif
