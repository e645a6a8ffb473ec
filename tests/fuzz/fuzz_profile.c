/* fuzz_profile.c - the profile parser on arbitrary text. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile_error err;
	struct profile *p;
	char *text;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (profile_load_string(text, "fuzz", &p, &err) == 0)
		profile_free(p);
	else if (err.msg[0] == '\0')
		abort();	/* every failure must say why */
	free(text);
	return 0;
}
