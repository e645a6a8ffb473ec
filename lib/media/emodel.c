/*
 * emodel.c - the ITU-T G.107 (06/2015) E-model.  Equation numbers are
 * G.107's.  Only T, Ta, Tr, Ppl, BurstR, Ie and Bpl vary; every other
 * parameter is held at its Table 1 default.
 */
#include <math.h>

#include "emodel.h"

/* G.107 Table 1 defaults. */
#define SLR	8.0	/* send loudness rating, dB */
#define RLR	2.0	/* receive loudness rating, dB */
#define STMR	15.0	/* sidetone masking rating, dB */
#define LSTR	18.0	/* listener sidetone rating, dB */
#define DS	3.0	/* D-value of the telephone, send side */
#define TELR	65.0	/* talker echo loudness rating, dB */
#define WEPL	110.0	/* weighted echo path loss, dB */
#define QDU	1.0	/* quantizing distortion units */
#define NC	-70.0	/* circuit noise at the 0 dBr point, dBm0p */
#define NFOR	-64.0	/* noise floor at the receive side, dBmp */
#define PS	35.0	/* room noise at the send side, dB(A) */
#define PR	35.0	/* room noise at the receive side, dB(A) */
#define MT	100.0	/* delay sensitivity: minimum perceivable delay, ms */
#define ST	1.0	/* delay sensitivity */

static double
emodel_lg(double x)
{
	return log10(x);
}

static double
emodel_pos(double x)
{
	return x > 0 ? x : 0;		/* also turns NaN into 0 */
}

/* Basic signal-to-noise ratio Ro (7-2 to 7-7); 'no' gets No. */
static double
emodel_ro(double *no)
{
	double olr = SLR + RLR;
	double nos, pre, nor, nfo;

	nos = PS - SLR - DS - 100 + 0.004 * pow(PS - olr - DS - 14, 2);
	pre = PR + 10 * emodel_lg(1 + pow(10, (10 - LSTR) / 10));
	nor = RLR - 121 + pre + 0.008 * pow(pre - 35, 2);
	nfo = NFOR + RLR;
	*no = 10 * emodel_lg(pow(10, NC / 10) + pow(10, nos / 10) +
	    pow(10, nor / 10) + pow(10, nfo / 10));
	return 15 - 1.5 * (SLR + *no);
}

/* Sidetone impairment Ist (7-11, 7-12); depends on T through STMRo. */
static double
emodel_ist(double t)
{
	double stmro = -10 * emodel_lg(pow(10, -STMR / 10) +
	    exp(-t / 4) * pow(10, -TELR / 10));

	return 12 * pow(1 + pow((stmro - 13) / 6, 8), 1.0 / 8) -
	    28 * pow(1 + pow((stmro + 1) / 19.4, 35), 1.0 / 35) -
	    13 * pow(1 + pow((stmro - 3) / 33, 13), 1.0 / 13) + 29;
}

/* Simultaneous impairment Is = Iolr + Ist + Iq (7-8 to 7-18). */
static double
emodel_is(double ro, double no, double t)
{
	double olr = SLR + RLR;
	double xolr = olr + 0.2 * (64 + no - RLR);
	double iolr = 20 * (pow(1 + pow(xolr / 8, 8), 1.0 / 8) - xolr / 8);
	double q = 37 - 15 * emodel_lg(QDU);
	double g = 1.07 + 0.258 * q + 0.0602 * q * q;
	double y = (ro - 100) / 15 + 46 / 8.4 - g / 9;
	double z = 46.0 / 30 - g / 40;
	double iq = 15 * emodel_lg(1 + pow(10, y) + pow(10, z));

	return iolr + emodel_ist(t) + iq;
}

/*
 * Delay impairment Id = Idte + Idle + Idd (7-19 to 7-28).  STMR is 15 dB,
 * so neither the STMR < 9 dB correction of TERV nor the STMR > 20 dB one
 * of Idte applies.
 */
static double
emodel_id(double ro, double no, double t, double tr, double ta)
{
	double terv, re, roe, idte, rle, idle, idd = 0;

	terv = TELR - 40 * emodel_lg((1 + t / 10) / (1 + t / 150)) +
	    6 * exp(-0.3 * t * t);
	re = 80 + 2.5 * (terv - 14);
	roe = -1.5 * (no - RLR);
	idte = ((roe - re) / 2 + sqrt(pow(roe - re, 2) / 4 + 100) - 1) *
	    (1 - exp(-t));
	rle = 10.5 * (WEPL + 7) * pow(tr + 1, -0.25);
	idle = (ro - rle) / 2 + sqrt(pow(ro - rle, 2) / 4 + 169);
	if (ta > MT) {
		double x = emodel_lg(ta / MT) / emodel_lg(2);
		double e = 6 * ST;

		idd = 25 * (pow(1 + pow(x, e), 1 / e) -
		    3 * pow(1 + pow(x / 3, e), 1 / e) + 2);
	}
	return idte + idle + idd;
}

/* Effective equipment impairment Ie,eff (7-29). */
static double
emodel_ie_eff(double ie, double bpl, double ppl, double burstr)
{
	return ie + (95 - ie) * ppl / (ppl / burstr + bpl);
}

void
emodel_defaults(struct emodel_in *in)
{
	in->t_ms = 0;
	in->ta_ms = 0;
	in->tr_ms = 0;
	in->ppl = 0;
	in->burstr = 1;
	in->ie = 0;
	in->bpl = 1;
}

double
emodel_mos(double r)
{
	if (!(r > 0))
		return 1;
	if (r > 100)
		return 4.5;
	return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

void
emodel_compute(const struct emodel_in *in, struct emodel_out *out)
{
	double t = emodel_pos(in->t_ms), ta = emodel_pos(in->ta_ms);
	double tr = emodel_pos(in->tr_ms), ppl = emodel_pos(in->ppl);
	double ie = emodel_pos(in->ie);
	double bpl = in->bpl > 0 ? in->bpl : 1;
	double burstr = in->burstr > 0 ? in->burstr : 1;
	double no, r, best, loss;

	if (ppl > 100)
		ppl = 100;
	out->ro = emodel_ro(&no);
	out->is = emodel_is(out->ro, no, t);
	out->id = emodel_id(out->ro, no, t, tr, ta);
	out->ie_eff = emodel_ie_eff(ie, bpl, ppl, burstr);
	out->a = 0;
	r = out->ro - out->is - out->id - out->ie_eff + out->a;
	out->r = r < 0 ? 0 : r > 100 ? 100 : r;
	out->mos = emodel_mos(out->r);

	/* The best this codec can do: no delay, no loss. */
	best = out->ro - emodel_is(out->ro, no, 0) -
	    emodel_id(out->ro, no, 0, 0, 0) - ie + out->a;
	loss = out->ie_eff - ie;
	if (out->r >= best - 1)
		out->limit = "none";
	else if (out->id >= loss && out->id >= ie)
		out->limit = "delay";
	else if (loss >= ie)
		out->limit = "loss";
	else
		out->limit = "codec";
}
