/* profile.c - placeholder until implemented. */
#include "profile.h"
