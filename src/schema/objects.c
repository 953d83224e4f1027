/* schema/objects.c - resource table entries' fields and documentation:
 * objects, their components, file types and where their files are
 * stored (storage roots and locations). The table itself is src/schema.c. */
#include "schema_parts.h"

/* ---- file_type -------------------------------------------------------- */

const struct field file_type_fields[] = {
    LAST_UPDATED,
    {
        .name = "name",
        .type = F_TEXT,
        .max_len = 1024,
        .required = true,
        .help = "A readable name for the format, such as \"Hierarchical "
                "Data Format version 5\" or \"Comma-separated values "
                "file\".",
    },
    {
        .name = "extension",
        .type = F_TEXT,
        .max_len = 1024,
        .required = true,
        .help = "The file name extension used for it, such as `h5` or "
                "`csv`.",
    },
    UPDATED_BY,
    {0},
};

const char file_type_doc[] = "The format of the file behind an object.\n";

/* ---- object ----------------------------------------------------------- */

const struct field object_fields[] = {
    {
        .name = "uuid",
        .web_label = "UUID",
        .type = F_UUID,
        .unique = true,
        .help = "A universally unique id; generated when not given.",
    },
    LAST_UPDATED,
    {
        .name = "description",
        .blank = true,
        .type = F_TEXT,
        .max_len = LONG_TEXT,
        .help = "What the object is, in free text.",
    },
    UPDATED_BY,
    {
        .name = "storage_location",
        .type = F_LINK,
        .target = "storage_location",
        .help = "Where the object's file is stored, if it has one.",
    },
    {
        .name = "file_type",
        .type = F_LINK,
        .target = "file_type",
        .help = "The format of the object's file.",
    },
    {
        .name = "authors",
        .type = F_LINKS,
        .target = "author",
        .join = "object_authors",
        .join_self = "object_id",
        .join_other = "author_id",
        .help = "The authors credited with the object.",
    },
    {
        .name = "components",
        .type = F_REVERSE,
        .target = "object_component",
        .rev_column = "object_id",
        .read_only = true,
        .help = "The components of the object.",
    },
    {
        .name = "data_products",
        .type = F_REVERSE,
        .target = "data_product",
        .rev_column = "object_id",
        .read_only = true,
        .help = "The data products this object holds.",
    },
    {
        .name = "code_repo_release",
        .type = F_REVERSE,
        .target = "code_repo_release",
        .rev_column = "object_id",
        .read_only = true,
        .one = true,
        .help = "The code release this object is, if any.",
    },
    {
        .name = "quality_control",
        .type = F_REVERSE,
        .target = "quality_controlled",
        .rev_column = "object_id",
        .read_only = true,
        .one = true,
        .help = "The record of this object's quality control, if any.",
    },
    {
        .name = "licences",
        .type = F_REVERSE,
        .target = "licence",
        .rev_column = "object_id",
        .read_only = true,
        .help = "The licences the object is released under.",
    },
    {
        .name = "keywords",
        .type = F_REVERSE,
        .target = "keyword",
        .rev_column = "object_id",
        .read_only = true,
        .help = "The keywords describing the object.",
    },
    {0},
};

const char object_doc[] =
    "Anything the pipeline keeps track of: a data product's file, a "
    "code repository, a configuration, a script, a document. Other "
    "records (data products, code releases, licences, keywords, ...) "
    "describe an object further.\n\nCreating an object also creates its "
    "component named `whole_object`, which stands for the object as a "
    "whole.\n";

const char object_after_insert[] =
    "INSERT INTO object_component (object_id, name, whole_object, "
    "updated_by_id) VALUES ($1, 'whole_object', true, $2)";

/* ---- object_component ------------------------------------------------- */

const struct field object_component_fields[] = {
    LAST_UPDATED,
    {
        .name = "name",
        .type = F_NAME,
        .max_len = 1024,
        .required = true,
        .help = "The component's name within its object.",
    },
    {
        .name = "description",
        .blank = true,
        .type = F_TEXT,
        .max_len = LONG_TEXT,
        .help = "What the component is, in free text.",
    },
    {
        .name = "whole_object",
        .type = F_BOOL,
        .def = "false",
        .help = "True when the component is the entire object rather "
                "than a part of it.",
    },
    UPDATED_BY,
    {
        .name = "object",
        .type = F_LINK,
        .target = "object",
        .required = true,
        .help = "The object this is a part of.",
    },
    {
        .name = "issues",
        .type = F_LINKS,
        .target = "issue",
        .join = "issue_component_issues",
        .join_self = "object_component_id",
        .join_other = "issue_id",
        .help = "The issues known to affect this component.",
    },
    {
        .name = "inputs_of",
        .type = F_LINKS,
        .nofilter = true,
        .target = "code_run",
        .join = "code_run_inputs",
        .join_self = "object_component_id",
        .join_other = "code_run_id",
        .read_only = true,
        .help = "The code runs that read this component.",
    },
    {
        .name = "outputs_of",
        .type = F_LINKS,
        .nofilter = true,
        .target = "code_run",
        .join = "code_run_outputs",
        .join_self = "object_component_id",
        .join_other = "code_run_id",
        .read_only = true,
        .help = "The code runs that produced this component.",
    },
    {0},
};

const char object_component_doc[] =
    "A named part of an object (a table in a file, say) that code runs "
    "read as input or write as output. Every object has a component "
    "named `whole_object` for the object as a whole.\n";

/* ---- storage_root ----------------------------------------------------- */

const struct field storage_root_fields[] = {
    LAST_UPDATED,
    {
        .name = "root",
        .type = F_TEXT,
        .max_len = 1024,
        .required = true,
        .unique = true,
        .help = "The URI, scheme included, that storage location paths "
                "are appended to. Any scheme may be used, for instance "
                "`https://example.org/data/`, `ftp://host/`, "
                "`ssh://host/`, `file:///home/me/data/` or "
                "`github://org:repo@sha/`.",
    },
    {
        .name = "local",
        .type = F_BOOL,
        .def = "false",
        .help = "Whether the root is on the registry's own machine.",
    },
    UPDATED_BY,
    {
        .name = "locations",
        .type = F_REVERSE,
        .target = "storage_location",
        .rev_column = "storage_root_id",
        .read_only = true,
        .help = "The storage locations under this root.",
    },
    {0},
};

const char storage_root_doc[] =
    "A place where files are kept, given as the URI that storage "
    "location paths are appended to.\n";

/* ---- storage_location ------------------------------------------------- */

const struct field storage_location_fields[] = {
    LAST_UPDATED,
    {
        .name = "path",
        .type = F_TEXT,
        .max_len = 8192,
        .required = true,
        .help = "The file's path below its storage root.",
    },
    {
        .name = "hash",
        .type = F_TEXT,
        .max_len = 1024,
        .required = true,
        .help = "The SHA-1 digest of the file's contents.",
    },
    {
        .name = "public",
        .type = F_BOOL,
        .def = "true",
        .help = "Whether anyone may read the file.",
    },
    UPDATED_BY,
    {
        .name = "storage_root",
        .type = F_LINK,
        .target = "storage_root",
        .required = true,
        .help = "The storage root the path is relative to.",
    },
    {0},
};

const char storage_location_doc[] =
    "Where one file is stored: a path below a storage root, with a "
    "checksum of the contents.\n";
