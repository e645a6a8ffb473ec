/* stun.c - placeholder until implemented. */
#include "stun.h"
