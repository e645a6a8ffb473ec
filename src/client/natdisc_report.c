/*
 * natdisc_report.c - what NAT discovery found (natdisc.c), as report
 * entries: nat.mapping, nat.filtering, nat.port-preservation, nat.hairpin.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "natdisc.h"
#include "net.h"

const char *
nat_behavior_name(enum nat_behavior b)
{
	switch (b) {
	case NAT_B_EI: return "endpoint-independent";
	case NAT_B_AD: return "address-dependent";
	case NAT_B_APD: return "address-and-port-dependent";
	default: return "unknown";
	}
}

static json_t *
nd_json_sa(const struct sockaddr_storage *ss, int have)
{
	return have ? check_json_sa((const struct sockaddr *)ss) : json_null();
}

static void
nd_report_mapping(const struct natdisc *nd, struct report *r, double dur)
{
	struct report_check *c;
	json_t *ev;
	char a[NET_ADDRSTRLEN];

	ev = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}",
	    "behavior", nat_behavior_name(nd->mapping),
	    "local", nd_json_sa(&nd->local, 1),
	    "mapped_primary", nd_json_sa(&nd->mapped, 1),
	    "mapped_alt_address", nd_json_sa(&nd->mapped_ap2, nd->have_ap2),
	    "mapped_alt_address_port", nd_json_sa(&nd->mapped_pp2,
	    nd->have_pp2),
	    "server_other", nd_json_sa(&nd->other, nd->has_other));
	net_sa_str((const struct sockaddr *)&nd->mapped, a, sizeof(a));
	if (!nd->has_other)
		c = report_add(r, "nat.mapping", "NAT", VERDICT_SKIP, ev, NULL,
		    "not measured: the server gave no OTHER-ADDRESS, so it has "
		    "no second address to compare with");
	else if (nd->mapping == NAT_B_UNKNOWN)
		c = report_add(r, "nat.mapping", "NAT", VERDICT_WARN, ev,
		    "Allow outbound UDP to the server's second address and "
		    "port; the test needs both to answer.",
		    "not measured: the server's other address %s did not answer",
		    net_sa_str((const struct sockaddr *)&nd->other, a,
		    sizeof(a)));
	else if (nd->mapping == NAT_B_EI)
		c = report_add(r, "nat.mapping", "NAT", VERDICT_PASS, ev, NULL,
		    "endpoint-independent: %s is kept for every destination", a);
	else
		c = report_add(r, "nat.mapping", "NAT", VERDICT_WARN, ev,
		    "Configure the NAT for endpoint-independent mapping "
		    "(RFC 4787 REQ-1): one public port per private address and "
		    "port, whatever the destination, without random port "
		    "allocation. Until then, media between peers needs a relay.",
		    "%s: the public port changes with the destination "
		    "(a \"symmetric\" NAT)", nat_behavior_name(nd->mapping));
	if (c != NULL)
		c->duration_s = dur;
}

static void
nd_report_filtering(const struct natdisc *nd, struct report *r,
    const char *device, int inbound, double dur)
{
	struct report_check *c;
	enum verdict v = VERDICT_PASS;
	char remedy[400] = "";
	json_t *ev;

	ev = json_pack("{s:s, s:b, s:b, s:b}",
	    "behavior", nat_behavior_name(nd->filtering),
	    "answer_from_other_address_and_port", nd->got_change_both,
	    "answer_from_other_port", nd->got_change_port,
	    "server_refused_change", nd->change_refused);
	if (nd->filtering == NAT_B_UNKNOWN) {
		c = report_add(r, "nat.filtering", "NAT", VERDICT_SKIP, ev, NULL,
		    "not measured: %s", nd->change_refused ?
		    "the server cannot answer from another address or port "
		    "(error to CHANGE-REQUEST)" :
		    "the server has no second address");
	} else {
		if (nd->filtering != NAT_B_EI && inbound) {
			v = VERDICT_WARN;
			snprintf(remedy, sizeof(remedy), "Inbound UDP reaches "
			    "%s only from where they sent to. Allow inbound "
			    "UDP from the provider's source ranges to them (see "
			    "the reach.udp.in checks), or make them keep their "
			    "bindings open toward every provider address.",
			    device);
		}
		c = report_add(r, "nat.filtering", "NAT", v, ev,
		    remedy[0] ? remedy : NULL,
		    "%s: %s", nat_behavior_name(nd->filtering),
		    nd->filtering == NAT_B_EI ?
		    "a mapping accepts packets from anyone" :
		    nd->filtering == NAT_B_AD ?
		    "a mapping accepts packets only from addresses it sent to" :
		    "a mapping accepts packets only from the address and port "
		    "it sent to");
	}
	if (c != NULL)
		c->duration_s = dur;
}

void
natdisc_report(const struct natdisc *nd, struct report *r,
    const char *device, int inbound, double dur)
{
	char remedy[400];

	struct report_check *c;
	struct net_ip lip, mip;
	json_t *ev;
	int nat;

	net_ip_from_sa((const struct sockaddr *)&nd->local, &lip, NULL);
	net_ip_from_sa((const struct sockaddr *)&nd->mapped, &mip, NULL);
	nat = !net_ip_equal(&lip, &mip);
	nd_report_mapping(nd, r, dur);
	nd_report_filtering(nd, r, device, inbound, dur);

	ev = json_pack("{s:b, s:i, s:i}", "preserved",
	    nd->pp_samples > 0 && nd->pp_preserved == nd->pp_samples,
	    "samples", (int)nd->pp_samples, "preserved_count",
	    (int)nd->pp_preserved);
	if (nd->pp_samples == 0)
		c = report_add(r, "nat.port-preservation", "NAT",
		    VERDICT_SKIP, ev, NULL, "not measured: no mapping learned");
	else if (!nat)
		c = report_add(r, "nat.port-preservation", "NAT",
		    VERDICT_PASS, ev, NULL, "no NAT: ports are our own");
	else
		c = report_add(r, "nat.port-preservation", "NAT",
		    VERDICT_PASS, ev, NULL, "%u of %u mappings kept the local "
		    "port%s", nd->pp_preserved, nd->pp_samples,
		    nd->pp_preserved == nd->pp_samples ? " (port preserving)" :
		    nd->pp_preserved == 0 ? " (ports are translated)" :
		    " (preserved only when free)");
	if (c != NULL)
		c->duration_s = dur;

	ev = json_pack("{s:o}", "hairpin", nd->hairpin < 0 ? json_null() :
	    json_boolean(nd->hairpin));
	json_object_set_new(ev, "target", nd_json_sa(&nd->mapped, 1));
	if (nd->hairpin < 0)
		c = report_add(r, "nat.hairpin", "NAT", VERDICT_SKIP, ev, NULL,
		    "not applicable: no NAT between us and the server");
	else if (nd->hairpin)
		c = report_add(r, "nat.hairpin", "NAT", VERDICT_PASS, ev, NULL,
		    "a packet sent to our own public address came back in");
	else {
		snprintf(remedy, sizeof(remedy), "Enable NAT loopback "
		    "(hairpinning, RFC 4787 REQ-9) if %s on this network call "
		    "each other over their public addresses; calls relayed by "
		    "the provider do not need it.", device);
		c = report_add(r, "nat.hairpin", "NAT", VERDICT_WARN, ev,
		    remedy, "a packet sent to our own public address did not "
		    "come back (no hairpinning)");
	}
	if (c != NULL)
		c->duration_s = dur;
}
