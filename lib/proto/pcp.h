/*
 * pcp.h - the Port Control Protocol (RFC 6887) as far as a check needs it:
 * an ANNOUNCE request, which asks a gateway nothing and changes nothing
 * on it, and the common header of the gateway's answer.  An answer proves
 * that the gateway speaks PCP on that address; over IPv6 a PCP server is
 * how a host asks the gateway's firewall for an inbound pinhole (MAP).
 */
#ifndef PINHOLE_PCP_H
#define PINHOLE_PCP_H

#include <stddef.h>
#include <stdint.h>

#include "net.h"

#define PCP_PORT		5351
#define PCP_VERSION		2
#define PCP_HDR_LEN		24
#define PCP_OP_ANNOUNCE		0
#define PCP_OP_MAP		1

/* The common header of a response (RFC 6887 section 7.2). */
struct pcp_response {
	uint8_t version;
	uint8_t opcode;			/* without the R bit */
	uint8_t result;			/* 0 SUCCESS; section 7.4 */
	uint32_t lifetime;
	uint32_t epoch;			/* the server's epoch time, in s */
};

/*
 * Writes an ANNOUNCE request from the client address 'client' (the
 * source address of the datagram, IPv4 as ::ffff:a.b.c.d) into 'buf' of
 * 'cap' bytes.  Returns its length (PCP_HDR_LEN), or -ENOSPC.
 */
int pcp_announce_encode(uint8_t *buf, size_t cap, const struct net_ip *client);

/*
 * Decodes the common response header of 'len' untrusted bytes into *r.
 * Returns 0, or -EBADMSG when the datagram is shorter than a header, is
 * not a response (R bit clear), or its length is not a multiple of 4 (or
 * more than 1100 bytes, section 7).  A version other than 2 is decoded
 * (a version-1 server answers UNSUPP_VERSION in its own header).
 */
int pcp_response_decode(const uint8_t *buf, size_t len,
    struct pcp_response *r);

/* The name of a result code ("SUCCESS", "NOT_AUTHORIZED"), or NULL. */
const char *pcp_result_name(uint8_t result);

#endif
