/* cmdline.h - pinhole's command line: where the command is, and HOST[:PORT]. */
#ifndef PINHOLE_CMDLINE_H
#define PINHOLE_CMDLINE_H

#include <getopt.h>
#include <stddef.h>

/*
 * Moves the command word to argv[1], so that options may come before it
 * ("pinhole -P DIR profiles").  'opts' is pinhole's long option table;
 * pinhole config's is known too, so that the argument of an option is
 * never taken for the command.  Returns 0, or -ENOENT when there is no
 * command word.
 */
int cmdline_command_front(int argc, char **argv, const struct option *opts);

/*
 * Splits "HOST", "HOST:PORT" or "[V6]:PORT" into 'host' and 'port' (the
 * port 1-65535 as a decimal string, 'defport' when absent).  Returns 0, or
 * -EINVAL with *why saying what is wrong (a static string).
 */
int cmdline_hostport_split(const char *arg, const char *defport, char *host,
    size_t hlen, char *port, size_t plen, const char **why);

/*
 * Checks the argument of --'opt' as a HOST[:PORT], before anything runs;
 * logs what is wrong and returns -EINVAL, or returns 0.
 */
int cmdline_hostport_check(const char *opt, const char *arg);

#endif
