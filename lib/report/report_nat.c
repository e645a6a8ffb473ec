/*
 * report_nat.c - the text of nat.* (presence, mapping and filtering
 * behaviour, port preservation, hairpinning) and of nat.layers (the hops
 * to the server, and what the gateway says of its external address), in
 * words.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report_text.h"

/* "192.168.1.10:5060" or "[2001:db8::1]:5060" without the port. */
static const char *
nat_host(const char *hp, char *buf, size_t len)
{
	const char *c;

	if (hp == NULL)
		return NULL;
	if (hp[0] == '[' && (c = strchr(hp, ']')) != NULL)
		snprintf(buf, len, "%.*s", (int)(c - hp - 1), hp + 1);
	else if ((c = strrchr(hp, ':')) != NULL && strchr(hp, ':') == c)
		snprintf(buf, len, "%.*s", (int)(c - hp), hp);
	else
		snprintf(buf, len, "%s", hp);
	return buf;
}

static const char *
nat_sub(const json_t *ev, const char *obj, const char *key)
{
	return ev_str(json_object_get(ev, obj), key);
}

static int
nat_found(const struct report_check *c, char *buf, size_t len)
{
	const json_t *ev = c->evidence;
	const char *id = c->id, *b = ev_str(ev, "behavior");
	char l[64], p[64];

	buf[0] = '\0';
	if (strcmp(id, "nat.present") == 0) {
		const char *pub = nat_sub(ev, "udp", "public");
		const char *nat6 = ev_str(ev, "nat6");

		if (pub == NULL)
			pub = nat_sub(ev, "tcp", "public");
		if (nat_sub(ev, "tcp", "local") == NULL || pub == NULL)
			return -ENOENT;
		if (ev_bool(ev, "nat") == 1)
			snprintf(buf, len, "%s: %s is seen as %s",
			    nat6 == NULL ? "NAT" : strcmp(nat6, "nptv6") == 0 ?
			    "NPTv6" : "NAT66",
			    nat_host(nat_sub(ev, "tcp", "local"), l, sizeof(l)),
			    nat_host(pub, p, sizeof(p)));
		else if (ev_bool(ev, "nat") == 0)
			snprintf(buf, len, "no NAT: %s is seen as itself",
			    nat_host(nat_sub(ev, "tcp", "local"), l,
			    sizeof(l)));
		if (ev_bool(ev, "same_public_ip") == 0)
			text_cat(buf, len, "; UDP and TCP from other addresses");
		if (ev_str(ev, "udp_error") != NULL)
			text_cat(buf, len, "; no STUN answer over UDP");
	} else if ((strcmp(id, "nat.mapping") == 0 ||
	    strcmp(id, "nat.filtering") == 0) && b != NULL) {
		snprintf(buf, len, "%s", b);
	} else if (strcmp(id, "nat.port-preservation") == 0 &&
	    ev_int(ev, "samples", -1) >= 0) {
		snprintf(buf, len, "%lld of %lld mappings kept the local port",
		    ev_int(ev, "preserved_count", 0),
		    ev_int(ev, "samples", 0));
	} else if (strcmp(id, "nat.hairpin") == 0) {
		int h = ev_bool(ev, "hairpin");

		if (h >= 0)
			snprintf(buf, len, "%s", h ? "loops back (hairpinning)" :
			    "no hairpinning");
	}
	return buf[0] != '\0' ? 0 : -ENOENT;
}

static const char *
nat_or(const char *s, const char *dflt)
{
	return s != NULL ? s : dflt;
}

static void
nat_detail(const struct report_check *c, struct text_out *t)
{
	const json_t *ev = c->evidence;
	const char *id = c->id;

	if (strcmp(id, "nat.present") == 0) {
		text_para(t, 2, 4, "Our address %s (%s) is seen as %s over "
		    "UDP and %s over TCP (%s).",
		    nat_or(nat_sub(ev, "tcp", "local"), "?"),
		    nat_or(ev_str(ev, "local_class"), "?"),
		    nat_or(nat_sub(ev, "udp", "public"), "nothing"),
		    nat_or(nat_sub(ev, "tcp", "public"), "?"),
		    nat_or(ev_str(ev, "public_class"), "?"));
		if (ev_str(ev, "udp_error") != NULL)
			text_para(t, 2, 4, "No STUN answer over UDP: %s.",
			    ev_str(ev, "udp_error"));
	} else if (strcmp(id, "nat.mapping") == 0) {
		text_para(t, 2, 4, "From %s, the server saw us as %s at its "
		    "primary address and port, %s at its other address, and "
		    "%s at its other address and port (%s).",
		    nat_or(ev_str(ev, "local"), "?"),
		    nat_or(ev_str(ev, "mapped_primary"), "nothing"),
		    nat_or(ev_str(ev, "mapped_alt_address"), "nothing"),
		    nat_or(ev_str(ev, "mapped_alt_address_port"), "nothing"),
		    nat_or(ev_str(ev, "server_other"), "no other address"));
	} else if (strcmp(id, "nat.filtering") == 0) {
		int ap = ev_bool(ev, "answer_from_other_address_and_port");
		int p = ev_bool(ev, "answer_from_other_port");

		if (ap >= 0)
			text_para(t, 2, 4, "An answer from the server's other "
			    "address and port %s.", ap ? "came in" :
			    "was kept out");
		if (p >= 0)
			text_para(t, 2, 4, "An answer from another port of the "
			    "same address %s.", p ? "came in" : "was kept out");
		if (ev_bool(ev, "server_refused_change") == 1)
			text_para(t, 2, 4, "The server cannot answer from "
			    "another address or port.");
	} else if (strcmp(id, "nat.port-preservation") == 0) {
		text_para(t, 2, 4, "%lld of %lld mappings kept the local port.",
		    ev_int(ev, "preserved_count", 0),
		    ev_int(ev, "samples", 0));
	} else if (strcmp(id, "nat.hairpin") == 0 &&
	    ev_str(ev, "target") != NULL) {
		text_para(t, 2, 4, "A packet sent to our own public address %s "
		    "%s.", ev_str(ev, "target"), ev_bool(ev, "hairpin") ==
		    1 ? "came back" : "did not come back");
	}
}

const struct report_family report_family_nat = {
	.prefix = "nat",
	.found = nat_found,
	.detail = nat_detail,
};

static int
ly_found(const struct report_check *c, char *buf, size_t len)
{
	const json_t *ev = c->evidence;
	long long n = ev_int(ev, "count", -1), max = ev_int(ev, "max_nat",
	    -1);

	if (n < 0)
		return -ENOENT;
	snprintf(buf, len, "%lld NAT%s", n, n == 1 ? "" : "s");
	if (max >= 0)
		text_cat(buf, len, " (at most %lld)", max);
	if (ev_bool(ev, "cgnat") == 1)
		text_cat(buf, len, ", one a carrier NAT");
	if (ev_bool(ev, "complete") == 0)
		text_cat(buf, len, ", maybe more");
	return 0;
}

static void
ly_list(struct text_out *t, const json_t *arr, const char *what)
{
	char r[256];

	if (json_array_size(arr) > 0)
		text_para(t, 2, 4, "%s: %s.", what,
		    text_port_ranges(arr, r, sizeof(r)));
}

static void
ly_detail(const struct report_check *c, struct text_out *t)
{
	static const struct {
		const char *key, *name;
	} gw[] = { { "natpmp", "NAT-PMP" }, { "upnp", "UPnP-IGD" } };
	const json_t *ev = c->evidence, *h, *m;
	long long pl = ev_int(ev, "path_length", -1);
	size_t i;

	if (json_array_size(json_object_get(ev, "hops")) > 0)
		text_para(t, 2, 2, "The path to the server, hop by hop:");
	json_array_foreach(json_object_get(ev, "hops"), i, h) {
		const char *a = ev_str(h, "address");

		if (a == NULL)
			fprintf(t->f, "    %2lld  no answer\n",
			    ev_int(h, "ttl", 0));
		else
			fprintf(t->f, "    %2lld  %-15s  %s, %s\n",
			    ev_int(h, "ttl", 0), a,
			    nat_or(ev_str(h, "class"), "?"),
			    nat_or(ev_str(h, "realm"), "?"));
	}
	if (pl > 0)
		text_para(t, 2, 4, "The server answered at hop %lld and saw "
		    "us as %s.", pl, nat_or(ev_str(ev, "public"), "?"));
	else
		text_para(t, 2, 4, "The server never answered the hop-limited "
		    "probes.");
	ly_list(t, json_object_get(ev, "unseen_hops"),
	    "Silent hops on the private side");
	ly_list(t, json_object_get(ev, "uncertain_hops"),
	    "Private hops in the same realm as the hop before (a router or "
	    "a NAT)");
	for (i = 0; i < sizeof(gw) / sizeof(gw[0]); i++) {
		m = json_object_get(json_object_get(ev, "methods"), gw[i].key);
		if (ev_str(m, "external") != NULL)
			text_para(t, 2, 4, "%s: the gateway's external address "
			    "is %s.", gw[i].name, ev_str(m, "external"));
		else if (ev_str(m, "error") != NULL)
			text_para(t, 2, 4, "%s: %s.", gw[i].name,
			    ev_str(m, "error"));
	}
}

const struct report_family report_family_layers = {
	.prefix = "nat.layers",
	.found = ly_found,
	.detail = ly_detail,
};
