/*
 * emodel.h - the ITU-T G.107 E-model (06/2015), with its default values
 * for every parameter a network test cannot see, and G.113's impairment
 * factors for the codecs pinhole sends (lib/media/codec.c).  Pure.
 */
#ifndef PINHOLE_EMODEL_H
#define PINHOLE_EMODEL_H

struct emodel_in {
	double t_ms;		/* mean one-way delay of the echo path, T */
	double ta_ms;		/* absolute one-way delay, Ta */
	double tr_ms;		/* round-trip delay of the 4-wire loop, Tr */
	double ppl;		/* packet-loss probability, percent */
	double burstr;		/* burst ratio, 1 for random loss */
	double ie;		/* the codec's equipment impairment factor */
	double bpl;		/* its packet-loss robustness factor */
};

struct emodel_out {
	double r;		/* rating factor, 0..100 (G.107 7.1) */
	double mos;		/* MOS-CQE from R (G.107 Annex B) */
	double ro, is, id, ie_eff, a;	/* the terms of R = Ro - Is - Id - Ie,eff + A */
	/* The term that costs the most: "delay" (Id), "loss" (Ie,eff above
	 * the codec's own Ie), "codec" (the codec's Ie), or "none" when R is
	 * within 1 of the best this codec can do. */
	const char *limit;
};

/* Fills 'in' with G.107's defaults (T = Ta = Tr/2 = 0, no loss, Ie 0,
 * Bpl 1, BurstR 1). */
void emodel_defaults(struct emodel_in *in);
/* R and MOS for 'in'; every other parameter at its G.107 default. */
void emodel_compute(const struct emodel_in *in, struct emodel_out *out);
/* MOS-CQE for a rating R (G.107 B-1). */
double emodel_mos(double r);

#endif
