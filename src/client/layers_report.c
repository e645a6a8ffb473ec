/*
 * layers_report.c - the nat.layers entry: the hops, what each witness
 * said, the count of NATs against the profiles' maximum, and what could
 * not be seen.
 */
#include <stdio.h>

#include "layers_check.h"
#include "pcp.h"

static json_t *
ly_json_gw(const struct ly_gw *g)
{
	char a[NET_ADDRSTRLEN];
	const char *res;
	json_t *o;

	if (g->fw6 && g->fn == layers_pcp_h && g->answered) {
		res = pcp_result_name((uint8_t)g->pcp_result);
		o = json_pack("{s:s, s:s, s:b}", "gateway", net_ip_str(
		    &g->gateway, a, sizeof(a)), "result", res ? res : "unknown",
		    "offered", g->offered);
		if (g->offered)
			json_object_set_new(o, "epoch",
			    json_integer((json_int_t)g->pcp_epoch));
		return o;
	}
	if (g->fw6 && g->answered && g->error[0] == '\0')
		return json_pack("{s:b, s:b, s:b}", "firewall_enabled",
		    g->fw_enabled, "inbound_pinhole_allowed",
		    g->inbound_allowed, "offered", g->offered);
	if (g->fw6)
		return json_pack("{s:s, s:b}", "error", g->error[0] ? g->error :
		    "not asked", "offered", 0);
	if (g->ok)
		return json_pack("{s:s}", "external",
		    net_ip_str(&g->external, a, sizeof(a)));
	return json_pack("{s:s}", "error", g->error[0] ? g->error :
	    "not asked");
}

/* A JSON array of TTLs. */
static json_t *
ly_json_ttls(const unsigned *ttl, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_integer(ttl[i]));
	return a;
}

/* The evidence object: hops, methods, the counts. */
static json_t *
ly_evidence(const struct layers_in *in, const struct layers_out *out,
    int path_len, const struct ly_gw *gw, size_t ngw, unsigned max_nat,
    const char *profile)
{
	json_t *ev, *hops, *methods;
	char a[NET_ADDRSTRLEN];
	const char *realm;
	size_t i;

	hops = json_array();
	for (i = 0; i < in->nhops; i++) {
		const struct layers_hop *h = &in->hops[i];

		if (!h->answered) {
			json_array_append_new(hops, json_pack("{s:i, s:n, s:n, "
			    "s:n}", "ttl", (int)i + 1, "address", "class",
			    "realm"));
			continue;
		}
		realm = layers_realm(&h->ip);
		json_array_append_new(hops, json_pack("{s:i, s:s, s:s, s:s}",
		    "ttl", (int)i + 1, "address", net_ip_str(&h->ip, a,
		    sizeof(a)), "class", net_class_name(net_ip_class(&h->ip)),
		    "realm", realm ? realm : "public"));
	}
	methods = json_pack("{s:{s:i}}", "ttl", "count", (int)out->ttl_count);
	for (i = 0; i < ngw; i++)
		json_object_set_new(methods, gw[i].name, ly_json_gw(&gw[i]));
	ev = json_pack("{s:s, s:i, s:i, s:b, s:o, s:o, s:b, s:s, s:o, s:o}",
	    "profile", profile, "max_nat", (int)max_nat,
	    "count", (int)out->count, "cgnat", out->cgnat, "hops", hops,
	    "path_length", path_len ? json_integer(path_len) : json_null(),
	    "complete", out->complete,
	    "public", net_ip_str(&in->public_ip, a, sizeof(a)),
	    "unseen_hops", ly_json_ttls(out->unseen, out->nunseen),
	    "uncertain_hops", ly_json_ttls(out->uncertain, out->nuncertain));
	json_object_set_new(ev, "methods", methods);
	if (ngw > 0 && gw[0].fw6) {
		json_t *offered = json_array();

		for (i = 0; i < ngw; i++)
			if (gw[i].offered)
				json_array_append_new(offered,
				    json_string(gw[i].label));
		json_object_set_new(ev, "pinhole_control", offered);
	}
	return ev;
}

/* "hop 2", "hops 1 and 3", "hops 1, 2 and 3". */
static void
ly_hops_str(char *buf, size_t len, const unsigned *ttl, size_t n)
{
	size_t i, o;

	o = (size_t)snprintf(buf, len, "hop%s", n > 1 ? "s" : "");
	for (i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%u", i == 0 ? " " :
		    i + 1 == n ? " and " : ", ", ttl[i]);
}

/*
 * What could not be seen, for the summary: silent hops that no gateway
 * answer covers, and private hops that may be routers or NATs.
 */
static void
ly_unseen_str(char *buf, size_t len, const struct layers_in *in,
    const struct layers_out *out, const struct ly_gw *gw, size_t ngw)
{
	char hops[80], a[NET_ADDRSTRLEN], addr[NET_ADDRSTRLEN + 3] = "";
	const char *gwsaid = "";
	size_t i, o = 0;

	if (out->gw_count == 0) {
		gwsaid = " and no gateway said its external address";
		for (i = 0; i < ngw; i++)
			if (gw[i].refused)
				gwsaid = " and the gateway names no external "
				    "address (as gateways do when theirs is "
				    "private)";
	}
	buf[0] = '\0';
	if (out->nhidden > 0) {
		ly_hops_str(hops, sizeof(hops), out->hidden, out->nhidden);
		o = (size_t)snprintf(buf, len, "; %s did not answer%s, so a%s "
		    "NAT there cannot be seen", hops, gwsaid,
		    out->gw_count ? " further" : "");
	}
	if (out->nuncertain > 0 && o < len) {
		ly_hops_str(hops, sizeof(hops), out->uncertain, out->nuncertain);
		if (out->nuncertain == 1)
			snprintf(addr, sizeof(addr), " (%s)", net_ip_str(
			    &in->hops[out->uncertain[0] - 1].ip, a, sizeof(a)));
		snprintf(buf + o, len - o, "; %s%s answer%s from the private "
		    "range of the hop before: another router or another NAT, "
		    "which the path cannot tell apart", hops, addr,
		    out->nuncertain == 1 ? "s" : "");
	}
}

/*
 * Over IPv6: "; the gateway's firewall opens inbound pinholes on request
 * over UPnP IGDv2 (WANIPv6FirewallControl) and PCP", or "".
 */
static void
ly_fw6_str(char *buf, size_t len, const struct ly_gw *gw, size_t ngw)
{
	size_t i, o = 0, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ngw; i++) {
		if (!gw[i].fw6 || !gw[i].offered || o >= len)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s", n++ == 0 ?
		    "; the gateway's firewall opens inbound pinholes on "
		    "request over " : " and ", gw[i].label);
	}
}

/* "; the gateway names 10.0.0.2 over NAT-PMP and UPnP-IGD", or "". */
static void
ly_gw_str(char *buf, size_t len, const struct ly_gw *gw, size_t ngw)
{
	char a[NET_ADDRSTRLEN];
	size_t i, o = 0, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ngw; i++) {
		if (!gw[i].ok || o >= len)
			continue;
		if (n++ == 0)
			o += (size_t)snprintf(buf, len, "; the gateway names %s "
			    "over %s", net_ip_str(&gw[i].external, a, sizeof(a)),
			    gw[i].label);
		else
			o += (size_t)snprintf(buf + o, len - o, " and %s",
			    gw[i].label);
	}
}

void
layers_report(struct check_ctx *ctx, const struct layers_in *in,
    const struct layers_out *out, int path_len, const struct ly_gw *gw,
    size_t ngw, unsigned max_nat, const char *profile, double dur)
{
	struct report_check *c;
	enum verdict v = VERDICT_PASS;
	const char *remedy = NULL;
	char said[160], unseen[400], cgnat[480], fw6[200];
	char device[PROFILE_DEVICE_MAX * 4];
	json_t *ev;

	ev = ly_evidence(in, out, path_len, gw, ngw, max_nat, profile);
	ly_gw_str(said, sizeof(said), gw, ngw);
	ly_fw6_str(fw6, sizeof(fw6), gw, ngw);
	ly_unseen_str(unseen, sizeof(unseen), in, out, gw, ngw);
	if (out->count > max_nat) {
		v = VERDICT_FAIL;
		snprintf(cgnat, sizeof(cgnat), "The provider puts this line "
		    "behind a carrier-grade NAT (100.64.0.0/10). Ask for a "
		    "public IPv4 address; until then keep the NAT keepalives "
		    "of %s short.", check_devices(ctx, device, sizeof(device)));
		remedy = out->cgnat ? cgnat :
		    "Remove one NAT: put the first router (often the "
		    "provider's modem) in bridge mode, or make this router its "
		    "exposed host (DMZ), so that one device translates.";
	} else if (!out->complete) {
		v = VERDICT_WARN;
		remedy = "Confirm on the router's status page that its WAN "
		    "address is the public address shown here; if it is a "
		    "private or 100.64 address, another NAT sits beyond it.";
	}
	if (!out->nat)
		c = report_add(ctx->report, "nat.layers", "NAT", v, ev, remedy,
		    "no NAT between us and the server%s", fw6);
	else
		c = report_add(ctx->report, "nat.layers", "NAT", v, ev, remedy,
		    "%u NAT%s on the path%s (at most %u allowed)%s%s%s",
		    out->count, out->count == 1 ? "" : "s",
		    out->cgnat ? ", one of them carrier-grade" : "",
		    max_nat, out->gw_count ? said : "", unseen, fw6);

	if (c != NULL)
		c->duration_s = dur;
}
