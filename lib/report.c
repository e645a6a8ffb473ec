/* report.c - placeholder until implemented. */
#include "report.h"
