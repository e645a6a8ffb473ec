/* sip.c - placeholder until implemented. */
#include "sip.h"
