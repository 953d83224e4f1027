/* schema/annotations.c - resource table entries' fields and documentation:
 * what is said about objects: issues, quality control, keywords,
 * licences and key-value metadata. The table itself is src/schema.c. */
#include "schema_parts.h"

/* ---- issue ------------------------------------------------------------ */

const struct field issue_fields[] = {
    {
        .name = "uuid",
        .web_label = "UUID",
        .type = F_UUID,
        .unique = true,
        .help = "A universally unique id; generated when not given.",
    },
    LAST_UPDATED,
    {
        .name = "severity",
        .max_value = 32767,
        .type = F_INT,
        .def = "1",
        .min_value = 0,
        .help = "How serious the issue is; higher numbers are worse.",
    },
    {
        .name = "description",
        .type = F_TEXT,
        .max_len = LONG_TEXT,
        .required = true,
        .help = "What the issue is, in free text.",
    },
    UPDATED_BY,
    {
        .name = "component_issues",
        .type = F_LINKS,
        .target = "object_component",
        .join = "issue_component_issues",
        .join_self = "issue_id",
        .join_other = "object_component_id",
        /* the reference requires it on PUT but fills in [] on POST,
         * and, being its reverse side, does not filter by it */
        .required = true,
        .def = "{}",
        .nofilter = true,
        .help = "The object components this issue affects.",
    },
    {0},
};

const char issue_doc[] =
    "A known problem with the quality of some data, attached to object "
    "components.\n";

/* ---- quality_controlled ----------------------------------------------- */

const struct field quality_controlled_fields[] = {
    LAST_UPDATED,
    UPDATED_BY,
    {
        .name = "object",
        .type = F_LINK,
        .target = "object",
        .required = true,
        .unique = true,
        .help = "The object that passed quality control.",
    },
    {
        .name = "document",
        .type = F_LINK,
        .target = "object",
        .required = true,
        .help = "The object for the document recording the check.",
    },
    {0},
};

const char quality_controlled_doc[] =
    "Records that an object has been through quality control.\n";

/* ---- keyword ---------------------------------------------------------- */

const struct field keyword_fields[] = {
    LAST_UPDATED,
    {
        .name = "keyphrase",
        .type = F_NAME,
        .max_len = 1024,
        .required = true,
        .help = "The word or phrase.",
    },
    {
        .name = "identifier",
        .type = F_URL,
        .max_len = LONG_TEXT,
        .unique = true,
        .help = "A URL of an ontology term with the same meaning.",
    },
    UPDATED_BY,
    {
        .name = "object",
        .type = F_LINK,
        .target = "object",
        .required = true,
        .help = "The object the keyword describes.",
    },
    {0},
};

const char keyword_doc[] =
    "A word or phrase that describes an object, for instance one of "
    "the keywords of a paper.\n";

/* ---- licence ---------------------------------------------------------- */

const struct field licence_fields[] = {
    LAST_UPDATED,
    {
        .name = "licence_info",
        .type = F_TEXT,
        .max_len = LONG_TEXT,
        .required = true,
        .help = "The terms of the licence, or a summary of them.",
    },
    {
        .name = "identifier",
        .type = F_URL,
        .max_len = LONG_TEXT,
        .unique = true,
        .help = "A URL identifying the licence.",
    },
    UPDATED_BY,
    {
        .name = "object",
        .type = F_LINK,
        .target = "object",
        .required = true,
        .help = "The object the licence applies to.",
    },
    {0},
};

const char licence_doc[] =
    "The licence that an object's code or data is released under.\n";

/* ---- key_value -------------------------------------------------------- */

const struct field key_value_fields[] = {
    LAST_UPDATED,
    {
        .name = "key",
        .type = F_TEXT,
        .max_len = 1024,
        .required = true,
        .help = "The name of the property.",
    },
    {
        .name = "value",
        .type = F_TEXT,
        .max_len = 1024,
        .required = true,
        .help = "The value of the property.",
    },
    UPDATED_BY,
    {
        .name = "object",
        .type = F_LINK,
        .target = "object",
        .required = true,
        .help = "The object the property belongs to.",
    },
    {0},
};

const char key_value_doc[] =
    "A free-form property of an object, as a key and a value.\n";
