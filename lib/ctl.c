/* ctl.c - placeholder until implemented. */
#include "ctl.h"
