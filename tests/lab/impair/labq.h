/*
 * labq.h - an NFQUEUE queue for the lab's userspace routers
 * (pinhole-impair, pinhole-alg): bound fail-open with a large receive
 * buffer, read until empty, and the signals a tool ends on.
 */
#ifndef PINHOLE_LABQ_H
#define PINHOLE_LABQ_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include <libnetfilter_queue/libnetfilter_queue.h>

struct labq {
	struct nfq_handle *h;
	struct nfq_q_handle *qh;
	int fd;
	uint64_t overruns;		/* ENOBUFS: the kernel lost messages */
};

/*
 * Binds queue 'queue' with 'maxlen' packets in the kernel, copying the
 * first 'copy' bytes of each packet to 'cb'.  Exits (fatal) when the
 * queue cannot be bound.
 */
void labq_open(struct labq *q, unsigned queue, unsigned maxlen,
    unsigned copy, nfq_callback *cb, void *arg);
/* Hands every message waiting on the queue's socket to the callback. */
void labq_read(struct labq *q);
void labq_close(struct labq *q);

/*
 * SIGINT, SIGTERM and SIGUSR1 go to 'h' (which only sets a flag), and
 * are blocked outside ppoll(): their mask before is left in *old, for
 * ppoll to unblock them.
 */
void labq_signals(void (*h)(int), sigset_t *old);

/*
 * A stats file written whole: labq_stats_begin() opens PATH.tmp ('tmp',
 * of 'len' bytes, holds its name), NULL with a warning when it cannot;
 * labq_stats_end() closes it and renames it over 'path'.
 */
FILE *labq_stats_begin(const char *path, char *tmp, size_t len);
void labq_stats_end(FILE *f, const char *tmp, const char *path);

#endif
