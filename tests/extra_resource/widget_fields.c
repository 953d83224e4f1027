/* widget_fields.c - a resource that is not shipped: the fields and the
 * paragraph of "widget", added to a copy of the sources by
 * tests/http/test_extra_resource.py to show that one table entry and one
 * migration make a resource that every layer serves. Copied to
 * src/schema/widget.c; its table entry is widget_entry.inc. */
#include "schema_parts.h"

const struct field widget_fields[] = {
    LAST_UPDATED,
    {
        .name = "name",
        .type = F_NAME,
        .max_len = 200,
        .required = true,
        .unique = true,
        .help = "What the widget is called.",
    },
    {
        .name = "size",
        .type = F_INT,
        .def = "0",
        .min_value = 0,
        .max_value = 1000,
        .help = "How big the widget is.",
    },
    UPDATED_BY,
    {
        .name = "file_type",
        .type = F_LINK,
        .target = "file_type",
        .help = "The format the widget is kept in.",
    },
    {0},
};

const char widget_doc[] = "A test gadget that exists only in a test.\n";
