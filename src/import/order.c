/* order.c - the order resources are imported in: every resource after those
 * its links point to (its link fields, the many-to-many fields it writes,
 * and the users' groups), so a batch never refers to a record still to come.
 * A many-to-many relation both sides write (issue and object_component)
 * orders neither: each side writes the links whose other end is in.
 * Taken from the resource table, in table order where the links allow. */
#include "parts.h"

#include <string.h>

bool join_two_sided(const struct field *f)
{
	const struct resource *t = resource_find(f->target, -1);
	for (const struct field *g = t ? t->fields : NULL; g && g->name; g++)
		if (g->type == F_LINKS && !g->read_only && g->join &&
		    !strcmp(g->join, f->join))
			return true;
	return false;
}

static bool needs(const struct resource *r, const struct resource *t)
{
	if (r == t)
		return false;
	if (!strcmp(r->name, "users") && !strcmp(t->name, "groups"))
		return true;
	for (const struct field *f = r->fields; f->name; f++)
		if ((f->type == F_LINK ||
		     (f->type == F_LINKS && !f->read_only &&
		      !join_two_sided(f))) &&
		    f->target && !strcmp(f->target, t->name))
			return true;
	return false;
}

int resource_order(const struct resource **out)
{
	bool done[64] = {0};
	int n = 0;
	while (n < n_resources) {
		int before = n;
		for (int i = 0; i < n_resources; i++) {
			if (done[i])
				continue;
			bool ready = true;
			for (int j = 0; j < n_resources && ready; j++)
				if (!done[j] &&
				    needs(&resources[i], &resources[j]))
					ready = false;
			if (ready) {
				done[i] = true;
				out[n++] = &resources[i];
				break; /* restart: keep table order */
			}
		}
		if (n == before) /* a cycle: cannot happen with this table */
			for (int i = 0; i < n_resources; i++)
				if (!done[i]) {
					done[i] = true;
					out[n++] = &resources[i];
				}
	}
	return n;
}
