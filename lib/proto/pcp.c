/* pcp.c - PCP (RFC 6887): the ANNOUNCE request and a response's header. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "buf.h"
#include "pcp.h"

#define PCP_MAX_LEN	1100	/* RFC 6887 section 7 */
#define PCP_R_BIT	0x80

int
pcp_announce_encode(uint8_t *buf, size_t cap, const struct net_ip *client)
{
	if (cap < PCP_HDR_LEN)
		return -ENOSPC;
	memset(buf, 0, PCP_HDR_LEN);
	buf[0] = PCP_VERSION;
	buf[1] = PCP_OP_ANNOUNCE;	/* a request: R clear; lifetime 0 */
	if (client->family == AF_INET6) {
		memcpy(buf + 8, client->a, 16);
	} else {
		buf[18] = buf[19] = 0xff;	/* ::ffff:a.b.c.d */
		memcpy(buf + 20, client->a, 4);
	}
	return PCP_HDR_LEN;
}

int
pcp_response_decode(const uint8_t *buf, size_t len, struct pcp_response *r)
{
	struct cursor c;
	uint8_t op, reserved;

	if (len < PCP_HDR_LEN || len > PCP_MAX_LEN || len % 4 != 0)
		return -EBADMSG;
	cur_init(&c, buf, len);
	if (cur_u8(&c, &r->version) < 0 || cur_u8(&c, &op) < 0 ||
	    cur_u8(&c, &reserved) < 0 || cur_u8(&c, &r->result) < 0 ||
	    cur_u32(&c, &r->lifetime) < 0 || cur_u32(&c, &r->epoch) < 0)
		return -EBADMSG;
	if (!(op & PCP_R_BIT))
		return -EBADMSG;
	r->opcode = op & (uint8_t)~PCP_R_BIT;
	return 0;
}

const char *
pcp_result_name(uint8_t result)
{
	static const char *const names[] = {
		"SUCCESS", "UNSUPP_VERSION", "NOT_AUTHORIZED",
		"MALFORMED_REQUEST", "UNSUPP_OPCODE", "UNSUPP_OPTION",
		"MALFORMED_OPTION", "NETWORK_FAILURE", "NO_RESOURCES",
		"UNSUPP_PROTOCOL", "USER_EX_QUOTA", "CANNOT_PROVIDE_EXTERNAL",
		"ADDRESS_MISMATCH", "EXCESSIVE_REMOTE_PEERS",
	};

	return result < sizeof(names) / sizeof(names[0]) ? names[result] :
	    NULL;
}
