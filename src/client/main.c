/*
 * main.c - pinhole: the command table, and the command line handed to the
 * command it names.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "cmd.h"
#include "cmdline.h"
#include "config.h"
#include "log.h"
#include "pinhole.h"

#define CMD_MAX_ARGS	2

/*
 * One entry per command word.  A command either parses its own command
 * line ('own', as config does), or takes pinhole's options and up to
 * 'nargs' operands ('run').
 */
struct cmd_entry {
	const char *name;
	int (*own)(int argc, char **argv);
	int (*run)(const struct opts *o, char **args);
	int nargs;
};

static int
cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cmd_usage(stdout);
	return 0;
}

static int
cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("pinhole %s\n", PINHOLE_VERSION);
	return 0;
}

static int
cmd_diff_run(const struct opts *o, char **args)
{
	return cmd_diff(args[0], args[1], o->server, o->tls_ca, o->format,
	    o->color);
}

static const struct cmd_entry cmds[] = {
	{ "check", NULL, cmd_check, 0 },
	{ "nat", NULL, cmd_nat, 0 },
	{ "config", cmd_config, NULL, 0 },
	{ "show", NULL, cmd_show, 1 },
	{ "diff", NULL, cmd_diff_run, 2 },
	{ "profiles", NULL, cmd_profiles, 0 },
	{ "version", cmd_version, NULL, 0 },
	{ "-V", cmd_version, NULL, 0 },
	{ "--version", cmd_version, NULL, 0 },
	{ "help", cmd_help, NULL, 0 },
	{ "-h", cmd_help, NULL, 0 },
	{ "--help", cmd_help, NULL, 0 },
};

static const struct cmd_entry *
cmd_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(cmds[i].name, name) == 0)
			return &cmds[i];
	return NULL;
}

int
main(int argc, char **argv)
{
	const struct cmd_entry *c;
	char *args[CMD_MAX_ARGS + 1] = { NULL };
	struct opts o;
	int i;

	log_init("pinhole", 1, 0);
	signal(SIGPIPE, SIG_IGN);
	/* Before any thread: the gateway queries of nat.layers use them. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		fatalx("cannot initialise libcurl");
	if (argc < 2) {
		cmd_usage(stderr);
		return 2;
	}
	if (cmdline_command_front(argc, argv, cmd_long_opts) < 0) {
		/* Only options: --help and --version need no command. */
		if (cmd_opts_parse(argc, argv, &o) == 0)
			log_warnx("no command (check, nat, config, show, diff, "
			    "profiles, version): see pinhole --help");
		return 2;
	}
	c = cmd_find(argv[1]);
	if (c != NULL && c->own != NULL)
		return c->own(argc - 1, argv + 1);
	if (cmd_opts_parse(argc - 1, argv + 1, &o) < 0) {
		fprintf(stderr, "(pinhole --help lists the options)\n");
		return 2;
	}
	for (i = 0; c != NULL && i < c->nargs && optind + 1 < argc; i++)
		args[i] = argv[optind++ + 1];
	if (optind + 1 < argc) {
		log_warnx("unexpected argument '%s'", argv[optind + 1]);
		return 2;
	}
	log_init("pinhole", 1 + o.verbose, 0);
	if (c == NULL) {
		log_warnx("unknown command '%s'", argv[1]);
		cmd_usage(stderr);
		return 2;
	}
	return c->run(&o, args);
}
