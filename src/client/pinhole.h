/* pinhole.h - what the commands of pinhole share. */
#ifndef PINHOLE_PINHOLE_H
#define PINHOLE_PINHOLE_H

#include <stddef.h>

#include "profile.h"

/*
 * Loads profiles by name or path, searching 'dirs' (NULL-terminated).
 * On failure logs FILE:LINE: message, frees what was loaded and returns
 * -errno.
 */
int pinhole_load_profiles(const char *const *names, size_t n,
    const char *const *dirs, struct profile **out);

/* pinhole config: argv[0] is "config". Returns the exit status. */
int cmd_config(int argc, char **argv);

#endif
