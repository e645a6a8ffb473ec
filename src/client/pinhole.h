/* pinhole.h - what the commands of pinhole share. */
#ifndef PINHOLE_PINHOLE_H
#define PINHOLE_PINHOLE_H

#include <getopt.h>
#include <stddef.h>

#include <jansson.h>

#include "profile.h"

/*
 * Loads profiles by name or path, searching 'dirs' (NULL-terminated).
 * On failure logs FILE:LINE: message (for a name no directory holds: the
 * directories searched and the nearest name), frees what was loaded and
 * returns -errno.
 */
int pinhole_load_profiles(const char *const *names, size_t n,
    const char *const *dirs, struct profile **out);

/*
 * Ends the profile search path 'dirs', which holds 'n' directories given
 * with --profile-dir and has room for PINHOLE_PROFILE_DIRS_EXTRA more:
 * appends the source tree's profiles/ when this binary runs from its
 * build tree, then the installed directory, then NULL.  Returns the new
 * count, without the NULL.
 */
size_t pinhole_profile_dirs_finish(const char **dirs, size_t n);
#define PINHOLE_PROFILE_DIRS_EXTRA	3	/* with the NULL */

/*
 * Checks that a --profile-dir argument is a directory; otherwise logs why
 * and returns -errno (-ENOTDIR for a file).
 */
int pinhole_profile_dir_check(const char *dir);

/*
 * A report to read, as named on the command line: a link
 * "https://HOST/r/ID" (fetched from HOST), a stored report's id (fetched
 * from 'server'; NULL: -EINVAL, the id needs --server), or, when 'files'
 * is set, a file.  'ca' is --tls-ca (NULL: the system's CAs).  *out is the
 * JSON as read (a new reference); 0, or -errno with 'err' saying why.
 */
int pinhole_report_load(const char *arg, const char *server, const char *ca,
    int files, json_t **out, char *err, size_t errlen);

/*
 * pinhole diff A B: 'format' text, json or html; 'color' 1, 0, or -1 for
 * when stdout is a terminal.  Returns the exit status: 0 nothing worse,
 * 1 a requirement got worse, 2 an error.
 */
int cmd_diff(const char *a, const char *b, const char *server,
    const char *ca, const char *format, int color);

/* pinhole config: argv[0] is "config". Returns the exit status. */
int cmd_config(int argc, char **argv);

/* pinhole config's long options, so that main can tell which take an argument. */
const struct option *cmd_config_options(void);

#endif
