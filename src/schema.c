/* schema.c - the resource table: every resource the API serves, with its
 * fields in the reference registry's JSON key order (url first, then the
 * serializer's declared fields, model fields, relations, read-only extras).
 * Column, join-table and constraint names match migrations/0001_schema.sql.
 */
#include "schema.h"

#include <string.h>

#define LONG_TEXT 1048576

/* Fields every resource carries; the server fills them on each write. */
#define LAST_UPDATED                                                           \
	{                                                                      \
		.name = "last_updated", .type = F_DATETIME, .aut = A_NOW,      \
		.read_only = true,                                             \
		.help = "When this record was last written (set by the "       \
		        "server).",                                            \
	}
#define UPDATED_BY                                                             \
	{                                                                      \
		.name = "updated_by", .type = F_LINK, .target = "users",       \
		.aut = A_USER, .read_only = true, .label = "Last updated by",  \
		.help = "The user whose token wrote this record last.",        \
	}

/* Read-only lines shared by every resource's documentation. */
#define DOC_COMMON_RO                                                          \
	"- `url`: the address of this record; its last number is the "         \
	"record's id.\n"                                                       \
	"- `last_updated`: the time of the latest write to this record, set "  \
	"by the registry.\n"                                                   \
	"- `updated_by`: the user who made the latest write, taken from the "  \
	"token used.\n"

/* ---- users, groups ---------------------------------------------------- */

static const struct field users_fields[] = {
    {
        .name = "username",
        .type = F_TEXT,
        .max_len = 150,
        .read_only = true,
        .unique = true,
        .help = "The login name of the user.",
    },
    {
        .name = "full_name",
        .type = F_TEXT,
        .max_len = 1024,
        .read_only = true,
        .nofilter = true,
        .help = "The user's full name, when known.",
    },
    {
        .name = "email",
        .type = F_TEXT,
        .max_len = 1024,
        .read_only = true,
        .nofilter = true,
        .help = "The user's e-mail address.",
    },
    {
        .name = "orgs",
        .type = F_STRINGS,
        .expr = "(SELECT coalesce(array_agg(g.name ORDER BY g.name), "
                "'{}') FROM users_groups ug JOIN groups g ON g.id = "
                "ug.groups_id WHERE ug.users_id = t.id)",
        .read_only = true,
        .nofilter = true,
        .help = "The organisations (groups) the user belongs to.",
    },
    {0},
};

static const char users_doc[] =
    "A person (or service) that may write to the registry.\n"
    "\n"
    "Reading users needs a token; users cannot be created through the "
    "API.\n"
    "\n"
    "Read-only fields:\n"
    "- `url`: the address of this user.\n"
    "- `username`: the login name; filter on it with `?username=`.\n"
    "- `full_name`: the user's full name, when known.\n"
    "- `email`: the user's e-mail address.\n"
    "- `orgs`: the organisations the user belongs to.\n";

static const struct field groups_fields[] = {
    {
        .name = "name",
        .type = F_TEXT,
        .max_len = 150,
        .read_only = true,
        .unique = true,
        .nofilter = true,
        .help = "The name of the group.",
    },
    {0},
};

static const char groups_doc[] =
    "A named group of users, such as an organisation.\n"
    "\n"
    "Reading groups needs a token; groups cannot be created through the "
    "API.\n"
    "\n"
    "Read-only fields:\n"
    "- `url`: the address of this group.\n"
    "- `name`: the group's name.\n";

/* ---- file_type -------------------------------------------------------- */

static const struct field file_type_fields[] = {
    LAST_UPDATED,
    {
        .name = "name",
        .type = F_TEXT,
        .max_len = 1024,
        .required = true,
        .help = "A readable name for the format, such as "
                "\"Comma-separated values file\".",
    },
    {
        .name = "extension",
        .type = F_TEXT,
        .max_len = 1024,
        .required = true,
        .help = "The file name extension of the format, such as "
                "\"csv\".",
    },
    UPDATED_BY,
    {0},
};

static const char file_type_doc[] =
    "The format of the file behind an object.\n"
    "\n"
    "Writable fields:\n"
    "- `name`: a readable name for the format, for instance "
    "\"Hierarchical Data Format version 5\" or \"Comma-separated values "
    "file\".\n"
    "- `extension`: the file name extension used for it, for instance "
    "`h5` or `csv`.\n"
    "\n"
    "No two file types share both `name` and `extension`.\n"
    "\n"
    "Read-only fields:\n" DOC_COMMON_RO;

/* ---- issue ------------------------------------------------------------ */

static const struct field issue_fields[] = {
    {
        .name = "uuid",
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

static const char issue_doc[] =
    "A known problem with the quality of some data, attached to object "
    "components.\n"
    "\n"
    "Writable fields:\n"
    "- `severity` (optional, default 1): a whole number, zero or more; "
    "the larger it is, the more serious the issue.\n"
    "- `description`: the issue explained in free text.\n"
    "- `component_issues` (optional): the addresses of the object "
    "components the issue applies to.\n"
    "- `uuid` (optional): a universally unique id for the issue; one is "
    "generated when none is given.\n"
    "\n"
    "Issues may be changed with PUT or PATCH.\n"
    "\n"
    "Read-only fields:\n" DOC_COMMON_RO;

/* ---- author ----------------------------------------------------------- */

static const struct field author_fields[] = {
    {
        .name = "uuid",
        .type = F_UUID,
        .unique = true,
        .uuid_from = "identifier",
        .help = "A universally unique id; derived from the identifier "
                "when there is one, else generated when not given.",
    },
    LAST_UPDATED,
    {
        .name = "name",
        .type = F_NAME,
        .max_len = 1024,
        .help = "The person's or organisation's name.",
    },
    {
        .name = "identifier",
        .type = F_URL,
        .max_len = LONG_TEXT,
        .unique = true,
        .help = "A URL that identifies the author, such as an ORCID "
                "iD or a ROR id.",
    },
    UPDATED_BY,
    {0},
};

static const char author_doc[] =
    "A person or organisation credited with objects, for instance the "
    "authors of a paper behind an external object.\n"
    "\n"
    "Writable fields:\n"
    "- `name` (optional): the full name of the person or organisation.\n"
    "- `identifier` (optional): a URL identifying the author, such as an "
    "ORCID iD or a ROR id; no two authors share one.\n"
    "- `uuid` (optional): a universally unique id. When an `identifier` "
    "is given the id is computed from it, so the same identifier always "
    "yields the same id; otherwise one is generated unless given.\n"
    "\n"
    "At least one of `name` and `identifier` must be given.\n"
    "\n"
    "Read-only fields:\n" DOC_COMMON_RO;

/* ---- object ----------------------------------------------------------- */

static const struct field object_fields[] = {
    {
        .name = "uuid",
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

static const char object_doc[] =
    "Anything the pipeline keeps track of: a data product's file, a code "
    "repository, a configuration, a script, a document. Other records "
    "(data products, code releases, licences, keywords, ...) describe an "
    "object further.\n"
    "\n"
    "Creating an object also creates its component named `whole_object`, "
    "which stands for the object as a whole.\n"
    "\n"
    "Writable fields:\n"
    "- `description` (optional): what the object is, in free text.\n"
    "- `storage_location` (optional): the address of the storage location "
    "holding the object's file, when there is a file.\n"
    "- `file_type` (optional): the address of the file type of that "
    "file.\n"
    "- `authors` (optional): the addresses of the authors credited with "
    "the object.\n"
    "- `uuid` (optional): a universally unique id for the object; one is "
    "generated when none is given.\n"
    "\n"
    "Read-only fields:\n" DOC_COMMON_RO
    "- `components`: the addresses of the object's components.\n"
    "- `data_products`: the addresses of the data products stored in this "
    "object.\n"
    "- `code_repo_release`: the address of the code release this object "
    "is, or null.\n"
    "- `quality_control`: the address of the quality control record of "
    "this object, or null.\n"
    "- `licences`: the addresses of the object's licences.\n"
    "- `keywords`: the addresses of the object's keywords.\n";

static const char object_after_insert[] =
    "INSERT INTO object_component (object_id, name, whole_object, "
    "updated_by_id) VALUES ($1, 'whole_object', true, $2)";

/* ---- user_author ------------------------------------------------------ */

static const struct field user_author_fields[] = {
    LAST_UPDATED,
    UPDATED_BY,
    {
        .name = "user",
        .type = F_LINK,
        .target = "users",
        .required = true,
        .unique = true,
        .help = "The registry user.",
    },
    {
        .name = "author",
        .type = F_LINK,
        .target = "author",
        .required = true,
        .help = "The author that user is.",
    },
    {0},
};

static const char user_author_doc[] =
    "Ties a registry user to the author record that represents them, so "
    "that their work is credited to that author.\n"
    "\n"
    "Writable fields:\n"
    "- `user`: the address of the user; each user has at most one such "
    "record.\n"
    "- `author`: the address of the author.\n"
    "\n"
    "Read-only fields:\n" DOC_COMMON_RO;

/* ---- object_component ------------------------------------------------- */

static const struct field object_component_fields[] = {
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
        .help = "Whether the component stands for its entire object.",
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

static const char object_component_doc[] =
    "A named part of an object (a table in a file, say) that code runs "
    "read as input or write as output. Every object has a component "
    "named `whole_object` for the object as a whole.\n"
    "\n"
    "Writable fields:\n"
    "- `object`: the address of the object the component belongs to.\n"
    "- `name`: the component's name; it must not repeat within the same "
    "object.\n"
    "- `description` (optional): what the component is, in free text.\n"
    "- `issues` (optional): the addresses of issues that affect the "
    "component.\n"
    "- `whole_object` (optional, default false): true when the component "
    "is the entire object rather than a part of it.\n"
    "\n"
    "Read-only fields:\n" DOC_COMMON_RO
    "- `inputs_of`: the addresses of the code runs that used this "
    "component as an input.\n"
    "- `outputs_of`: the addresses of the code runs that produced this "
    "component.\n";

/* ---- code_run --------------------------------------------------------- */

static const struct field code_run_fields[] = {
    {
        .name = "ro_crate",
        .type = F_HREF,
        .href = "/api/ro-crate/code-run/%lld/",
        .read_only = true,
        .nofilter = true,
        .help = "Where to fetch the run as an RO-Crate.",
    },
    {
        .name = "uuid",
        .type = F_UUID,
        .unique = true,
        .help = "A universally unique id; generated when not given.",
    },
    LAST_UPDATED,
    {
        .name = "run_date",
        .type = F_DATETIME,
        .required = true,
        .help = "When the code ran.",
    },
    {
        .name = "description",
        .type = F_TEXT,
        .max_len = 1024,
        .required = true,
        .help = "What the run did, in free text.",
    },
    UPDATED_BY,
    {
        .name = "code_repo",
        .type = F_LINK,
        .target = "object",
        .help = "The object for the code repository that was run.",
    },
    {
        .name = "model_config",
        .type = F_LINK,
        .target = "object",
        .help = "The object for the configuration file of the run.",
    },
    {
        .name = "submission_script",
        .type = F_LINK,
        .target = "object",
        .required = true,
        .help = "The object for the script that started the run.",
    },
    {
        .name = "inputs",
        .type = F_LINKS,
        .target = "object_component",
        .join = "code_run_inputs",
        .join_self = "code_run_id",
        .join_other = "object_component_id",
        .help = "The object components the run read.",
    },
    {
        .name = "outputs",
        .type = F_LINKS,
        .target = "object_component",
        .join = "code_run_outputs",
        .join_self = "code_run_id",
        .join_other = "object_component_id",
        .help = "The object components the run wrote.",
    },
    {0},
};

static const char code_run_doc[] =
    "One execution of some code: what was run, with which configuration "
    "and script, what it read and what it wrote.\n"
    "\n"
    "Writable fields:\n"
    "- `run_date`: the date and time of the run.\n"
    "- `description`: what the run did, in free text.\n"
    "- `code_repo` (optional): the address of the object for the code "
    "repository that was run.\n"
    "- `model_config` (optional): the address of the object for the "
    "configuration file the run used.\n"
    "- `submission_script`: the address of the object for the script "
    "that started the run.\n"
    "- `inputs` (optional): the addresses of the object components the "
    "run read.\n"
    "- `outputs` (optional): the addresses of the object components the "
    "run wrote.\n"
    "- `uuid` (optional): a universally unique id for the run; one is "
    "generated when none is given.\n"
    "\n"
    "Code runs may be changed with PUT or PATCH and removed with "
    "DELETE.\n"
    "\n"
    "Read-only fields:\n" DOC_COMMON_RO
    "- `ro_crate`: the address of an RO-Crate packaging this run with its "
    "inputs and outputs.\n";

/* ---- storage_root ----------------------------------------------------- */

static const struct field storage_root_fields[] = {
    LAST_UPDATED,
    {
        .name = "root",
        .type = F_TEXT,
        .max_len = 1024,
        .required = true,
        .unique = true,
        .help = "The URI that storage location paths are relative to.",
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

static const char storage_root_doc[] =
    "A place where files are kept, given as the URI that storage location "
    "paths are appended to.\n"
    "\n"
    "Writable fields:\n"
    "- `root`: the URI of the place, scheme included; no two roots are "
    "equal. Any scheme may be used, for instance "
    "`https://example.org/data/`, `ftp://host/`, `ssh://host/`, "
    "`file:///home/me/data/` or `github://org:repo@sha/`.\n"
    "- `local` (optional, default false): true when the root is on the "
    "machine that runs this registry.\n"
    "\n"
    "Read-only fields:\n" DOC_COMMON_RO
    "- `locations`: the addresses of the storage locations under this "
    "root.\n";

/* ---- storage_location ------------------------------------------------- */

static const struct field storage_location_fields[] = {
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

static const char storage_location_doc[] =
    "Where one file is stored: a path below a storage root, with a "
    "checksum of the contents.\n"
    "\n"
    "Writable fields:\n"
    "- `path`: the path of the file below its storage root; joining the "
    "two gives the file's full URI.\n"
    "- `hash`: the SHA-1 digest of the file's contents.\n"
    "- `public` (optional, default true): whether the file may be read "
    "by anyone.\n"
    "- `storage_root`: the address of the storage root.\n"
    "\n"
    "No two locations share `storage_root`, `hash` and `public`.\n"
    "\n"
    "Read-only fields:\n" DOC_COMMON_RO;

/* ---- namespace -------------------------------------------------------- */

static const struct field namespace_fields[] = {
    LAST_UPDATED,
    {
        .name = "name",
        .type = F_NAME,
        .max_len = 1024,
        .required = true,
        .unique = true,
        .help = "The short name of the namespace.",
    },
    {
        .name = "full_name",
        .blank = true,
        .type = F_TEXT,
        .max_len = 1024,
        .unique = true,
        .help = "The namespace's name written out in full.",
    },
    {
        .name = "website",
        .blank = true,
        .type = F_URL,
        .max_len = 200,
        .help = "A web page about the namespace.",
    },
    UPDATED_BY,
    {0},
};

static const char namespace_doc[] =
    "A namespace groups data products, usually those of one "
    "organisation or project.\n"
    "\n"
    "Writable fields:\n"
    "- `name`: the short name of the namespace; no two namespaces share "
    "one.\n"
    "- `full_name` (optional): the name written out in full; also "
    "unique.\n"
    "- `website` (optional): the URL of a web page about the namespace.\n"
    "\n"
    "Read-only fields:\n" DOC_COMMON_RO;

/* ---- data_product ----------------------------------------------------- */

static const struct field data_product_fields[] = {
    {
        .name = "internal_format",
        .type = F_BOOL,
        /* a scalar subquery, not EXISTS: the planner may answer an
         * EXISTS for a page by hashing the whole component table */
        .expr = "((SELECT 1 FROM object_component c WHERE "
                "c.object_id = t.object_id AND NOT c.whole_object "
                "LIMIT 1) IS NOT NULL)",
        .read_only = true,
        .nofilter = true,
        .help = "Whether the object has components besides the whole "
                "object.",
    },
    {
        .name = "prov_report",
        .type = F_HREF,
        .href = "/api/prov-report/%lld/",
        .read_only = true,
        .nofilter = true,
        .help = "Where to fetch the product's provenance report.",
    },
    {
        .name = "ro_crate",
        .type = F_HREF,
        .href = "/api/ro-crate/data-product/%lld/",
        .read_only = true,
        .nofilter = true,
        .help = "Where to fetch the product as an RO-Crate.",
    },
    LAST_UPDATED,
    {
        .name = "name",
        .type = F_NAME,
        .max_len = 1024,
        .required = true,
        .help = "The product's name within its namespace.",
    },
    {
        .name = "version",
        .type = F_VERSION,
        .max_len = 1024,
        .required = true,
        .help = "The product's semantic version.",
    },
    UPDATED_BY,
    {
        .name = "object",
        .type = F_LINK,
        .target = "object",
        .required = true,
        .help = "The object holding the product's data.",
    },
    {
        .name = "namespace",
        .type = F_LINK,
        .target = "namespace",
        .required = true,
        .help = "The namespace the product belongs to.",
    },
    {
        .name = "external_object",
        .type = F_REVERSE,
        .target = "external_object",
        .rev_column = "data_product_id",
        .read_only = true,
        .one = true,
        .help = "The external object this product came from, if any.",
    },
    {0},
};

static const char data_product_doc[] =
    "A versioned, named piece of data that code runs read or write, "
    "addressed as namespace:name@version.\n"
    "\n"
    "Writable fields:\n"
    "- `name`: the product's name; together with `namespace` and "
    "`version` it is unique.\n"
    "- `version`: a semantic version, MAJOR.MINOR.PATCH with an optional "
    "-prerelease and +build (for instance `1.0.0` or `0.2.1-beta`).\n"
    "- `object`: the address of the object that holds the data.\n"
    "- `namespace`: the address of the namespace of the product.\n"
    "\n"
    "Data products may be changed with PUT or PATCH.\n"
    "\n"
    "Read-only fields:\n" DOC_COMMON_RO
    "- `internal_format`: true when the object has components other than "
    "the one for the whole object.\n"
    "- `prov_report`: the address of the product's provenance report.\n"
    "- `ro_crate`: the address of an RO-Crate packaging the product with "
    "the files it came from.\n"
    "- `external_object`: the address of the external object this "
    "product represents, or null.\n";

/* ---- external_object -------------------------------------------------- */

static const struct field external_object_fields[] = {
    LAST_UPDATED,
    {
        .name = "identifier",
        .blank = true,
        .type = F_URL,
        .max_len = LONG_TEXT,
        .help = "A URL identifying the source, such as a DOI.",
    },
    {
        .name = "alternate_identifier",
        .blank = true,
        .type = F_TEXT,
        .max_len = 1024,
        .help = "A name for the source, when it has no URL identifier.",
    },
    {
        .name = "alternate_identifier_type",
        .blank = true,
        .type = F_TEXT,
        .max_len = 1024,
        .help = "What kind of name the alternate identifier is.",
    },
    {
        .name = "primary_not_supplement",
        .type = F_BOOL,
        .def = "true",
        .help = "True for a primary source, false for supplementary "
                "material.",
    },
    {
        .name = "release_date",
        .type = F_DATETIME,
        .required = true,
        .help = "When the source was released.",
    },
    {
        .name = "title",
        .type = F_TEXT,
        .max_len = 1024,
        .required = true,
        .help = "The title of the source.",
    },
    {
        .name = "description",
        .blank = true,
        .type = F_TEXT,
        .max_len = LONG_TEXT,
        .help = "What the source is, in free text.",
    },
    {
        .name = "version",
        .type = F_VERSION,
        .max_len = 1024,
        .read_only = true,
        .copy_link = "data_product",
        .copy_column = "version",
        .help = "The version of the data product (copied from it).",
    },
    UPDATED_BY,
    {
        .name = "data_product",
        .type = F_LINK,
        .target = "data_product",
        .required = true,
        .unique = true,
        .help = "The data product that holds this source's data.",
    },
    {
        .name = "original_store",
        .type = F_LINK,
        .target = "storage_location",
        .help = "Where the data was first found, if it has been copied.",
    },
    {0},
};

static const char external_object_doc[] =
    "Data that came from outside the pipeline (a paper, a published data "
    "set, a web page), registered through the data product that holds "
    "it.\n"
    "\n"
    "Writable fields:\n"
    "- `data_product`: the address of the data product holding the data; "
    "a data product has at most one external object.\n"
    "- `identifier` (optional): a URL identifying the source, such as a "
    "DOI.\n"
    "- `alternate_identifier` (optional): a free-text name for the "
    "source, for when there is no URL identifier.\n"
    "- `alternate_identifier_type` (optional): what kind of name "
    "`alternate_identifier` is; needed whenever it is given.\n"
    "- `primary_not_supplement` (optional, default true): true when this "
    "is a primary source, false for supplementary material.\n"
    "- `release_date`: the date and time the source was released.\n"
    "- `title`: the title of the source.\n"
    "- `description` (optional): what the source is, in free text.\n"
    "- `original_store` (optional): the address of the storage location "
    "the data was first found at, when it has since been copied "
    "somewhere safer.\n"
    "\n"
    "Either `identifier`, or `alternate_identifier` with "
    "`alternate_identifier_type`, must be given. No two external objects "
    "share `identifier`, `alternate_identifier`, "
    "`alternate_identifier_type`, `title` and `version`.\n"
    "\n"
    "Read-only fields:\n" DOC_COMMON_RO
    "- `version`: the version of the data product, copied from it when "
    "the record is written.\n";

/* ---- quality_controlled ----------------------------------------------- */

static const struct field quality_controlled_fields[] = {
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

static const char quality_controlled_doc[] =
    "Records that an object has been through quality control.\n"
    "\n"
    "Writable fields:\n"
    "- `object`: the address of the object that was checked; an object "
    "has at most one such record.\n"
    "- `document`: the address of the object for the document describing "
    "the check.\n"
    "\n"
    "Read-only fields:\n" DOC_COMMON_RO;

/* ---- keyword ---------------------------------------------------------- */

static const struct field keyword_fields[] = {
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

static const char keyword_doc[] =
    "A word or phrase that describes an object, for instance one of the "
    "keywords of a paper.\n"
    "\n"
    "Writable fields:\n"
    "- `object`: the address of the object described.\n"
    "- `keyphrase`: the word or phrase; an object carries each phrase "
    "once.\n"
    "- `identifier` (optional): the URL of an ontology term with the same "
    "meaning; no two keywords share one.\n"
    "\n"
    "Read-only fields:\n" DOC_COMMON_RO;

/* ---- licence ---------------------------------------------------------- */

static const struct field licence_fields[] = {
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

static const char licence_doc[] =
    "The licence that an object's code or data is released under.\n"
    "\n"
    "Writable fields:\n"
    "- `object`: the address of the object the licence applies to.\n"
    "- `licence_info`: the licence terms, or a summary of them, in free "
    "text.\n"
    "- `identifier` (optional): a URL identifying the licence; no two "
    "licence records share one.\n"
    "\n"
    "Read-only fields:\n" DOC_COMMON_RO;

/* ---- code_repo_release ------------------------------------------------ */

static const struct field code_repo_release_fields[] = {
    LAST_UPDATED,
    {
        .name = "name",
        .type = F_NAME,
        .max_len = 1024,
        .required = true,
        .help = "The name of the released code.",
    },
    {
        .name = "version",
        .type = F_VERSION,
        .max_len = 1024,
        .required = true,
        .help = "The semantic version of the release.",
    },
    {
        .name = "website",
        .blank = true,
        .type = F_URL,
        .max_len = 200,
        .help = "A web page about the release.",
    },
    UPDATED_BY,
    {
        .name = "object",
        .type = F_LINK,
        .target = "object",
        .required = true,
        .unique = true,
        .help = "The object for the released code.",
    },
    {0},
};

static const char code_repo_release_doc[] =
    "Marks an object as an official release of some model code.\n"
    "\n"
    "Writable fields:\n"
    "- `object`: the address of the object for the released code; an "
    "object is at most one release.\n"
    "- `name`: the name of the code; together with `version` it is "
    "unique.\n"
    "- `version`: a semantic version, MAJOR.MINOR.PATCH with an optional "
    "-prerelease and +build.\n"
    "- `website` (optional): the URL of a web page about the release.\n"
    "\n"
    "Read-only fields:\n" DOC_COMMON_RO;

/* ---- key_value -------------------------------------------------------- */

static const struct field key_value_fields[] = {
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

static const char key_value_doc[] =
    "A free-form property of an object, as a key and a value.\n"
    "\n"
    "Writable fields:\n"
    "- `object`: the address of the object the property belongs to.\n"
    "- `key`: the name of the property; an object has each key once.\n"
    "- `value`: the value of the property.\n"
    "\n"
    "Read-only fields:\n" DOC_COMMON_RO;

/* ---- the table -------------------------------------------------------- */

/* Listed in the order the API root shows them. */
const struct resource resources[] = {
    {
        .name = "users",
        .query_args = "username",
        .control_args = "cursor,format",
        .model = "User",
        .title = "User",
        .fields = users_fields,
        .verbs = V_GET,
        .auth_read = true,
        .doc = users_doc,
    },
    {
        .name = "groups",
        .control_args = "cursor,format",
        .model = "Group",
        .title = "Group",
        .fields = groups_fields,
        .verbs = V_GET,
        .auth_read = true,
        .doc = groups_doc,
    },
    {
        .name = "file_type",
        .query_args = "object,updated_by,last_updated,name,extension",
        .model = "FileType",
        .title = "File Type",
        .fields = file_type_fields,
        .verbs = V_GET | V_POST,
        .unique_together = {"name,extension"},
        .doc = file_type_doc,
    },
    {
        .name = "issue",
        .link_order = "-last_updated",
        .query_args = "component_issues,updated_by,last_updated,severity,"
                      "description,uuid",
        .model = "Issue",
        .title = "Issue",
        .fields = issue_fields,
        .verbs = V_GET | V_POST | V_PUT,
        .doc = issue_doc,
    },
    {
        .name = "author",
        .query_args =
            "object,userauthor,updated_by,last_updated,name,identifier,uuid",
        .model = "Author",
        .title = "Author",
        .fields = author_fields,
        .verbs = V_GET | V_POST,
        .checks = {{"author_name_or_identifier_check", "non_field_errors",
                    "At least one of name and identifier must be "
                    "given."}},
        .doc = author_doc,
    },
    {
        .name = "object",
        .link_order = "-last_updated",
        .query_args =
            "components,code_repo_of,config_of,submission_script_of,data_"
            "products,quality_control,quality_control_document,keywords,"
            "licences,code_repo_release,metadata,updated_by,last_updated,"
            "storage_location,description,file_type,uuid,authors",
        .model = "Object",
        .title = "Object",
        .fields = object_fields,
        .verbs = V_GET | V_POST,
        .after_insert = object_after_insert,
        .doc = object_doc,
    },
    {
        .name = "user_author",
        .link_order = "-last_updated",
        .query_args = "updated_by,last_updated,user,author",
        .model = "UserAuthor",
        .title = "User Author",
        .fields = user_author_fields,
        .verbs = V_GET | V_POST,
        .doc = user_author_doc,
    },
    {
        .name = "object_component",
        .query_args = "inputs_of,outputs_of,updated_by,last_updated,object,"
                      "name,description,whole_object,issues",
        .model = "ObjectComponent",
        .title = "Object Component",
        .fields = object_component_fields,
        .verbs = V_GET | V_POST,
        .unique_together = {"object,name"},
        .doc = object_component_doc,
    },
    {
        .name = "code_run",
        .link_order = "-last_updated",
        .query_args =
            "updated_by,last_updated,code_repo,model_config,submission_script,"
            "run_date,description,uuid,inputs,outputs",
        .model = "CodeRun",
        .title = "Code Run",
        .fields = code_run_fields,
        .verbs = V_GET | V_POST | V_PUT | V_DELETE,
        .doc = code_run_doc,
    },
    {
        .name = "storage_root",
        .link_order = "-last_updated",
        .query_args = "locations,updated_by,last_updated,root,local",
        .model = "StorageRoot",
        .title = "Storage Root",
        .fields = storage_root_fields,
        .verbs = V_GET | V_POST,
        .doc = storage_root_doc,
    },
    {
        .name = "storage_location",
        .query_args = "location_for_object,original_store_of,updated_by,last_"
                      "updated,path,hash,public,storage_root",
        .model = "StorageLocation",
        .title = "Storage Location",
        .fields = storage_location_fields,
        .verbs = V_GET | V_POST,
        .unique_together = {"storage_root,hash,public"},
        .doc = storage_location_doc,
    },
    {
        .name = "namespace",
        .query_args =
            "data_products,updated_by,last_updated,name,full_name,website",
        .model = "Namespace",
        .title = "Namespace",
        .fields = namespace_fields,
        .verbs = V_GET | V_POST,
        .doc = namespace_doc,
    },
    {
        .name = "data_product",
        .query_args = "external_object,updated_by,last_updated,object,"
                      "namespace,name,version",
        .model = "DataProduct",
        .title = "Data Product",
        .fields = data_product_fields,
        .verbs = V_GET | V_POST | V_PUT,
        .unique_together = {"namespace,name,version"},
        .doc = data_product_doc,
    },
    {
        .name = "external_object",
        .query_args =
            "updated_by,last_updated,data_product,identifier,alternate_"
            "identifier,alternate_identifier_type,primary_not_supplement,"
            "release_date,title,description,version,original_store",
        .model = "ExternalObject",
        .title = "External Object",
        .fields = external_object_fields,
        .verbs = V_GET | V_POST,
        /* Its constraint name is cut to Postgres' 63 bytes:
         * external_object_identifier_alternate_identifier_alternate_ident
         */
        .unique_together = {"identifier,alternate_identifier,"
                            "alternate_identifier_type,title,version"},
        .checks = {{"external_object_identifier_check", "non_field_errors",
                    "Either identifier, or alternate_identifier "
                    "together with alternate_identifier_type, must be "
                    "given."}},
        .doc = external_object_doc,
    },
    {
        .name = "quality_controlled",
        .link_order = "-last_updated",
        .query_args = "updated_by,last_updated,object,document",
        .model = "QualityControlled",
        .title = "Quality Controlled",
        .fields = quality_controlled_fields,
        .verbs = V_GET | V_POST,
        .doc = quality_controlled_doc,
    },
    {
        .name = "keyword",
        .query_args = "updated_by,last_updated,object,keyphrase,identifier",
        .model = "Keyword",
        .title = "Keyword",
        .fields = keyword_fields,
        .verbs = V_GET | V_POST,
        .unique_together = {"object,keyphrase"},
        .doc = keyword_doc,
    },
    {
        .name = "licence",
        .link_order = "-last_updated",
        .query_args = "updated_by,last_updated,object,licence_info,identifier",
        .model = "Licence",
        .title = "Licence",
        .fields = licence_fields,
        .verbs = V_GET | V_POST,
        .doc = licence_doc,
    },
    {
        .name = "code_repo_release",
        .query_args = "updated_by,last_updated,object,name,version,website",
        .model = "CodeRepoRelease",
        .title = "Code Repo Release",
        .fields = code_repo_release_fields,
        .verbs = V_GET | V_POST,
        .unique_together = {"name,version"},
        .doc = code_repo_release_doc,
    },
    {
        .name = "key_value",
        .query_args = "updated_by,last_updated,object,key,value",
        .model = "KeyValue",
        .title = "Key Value",
        .fields = key_value_fields,
        .verbs = V_GET | V_POST,
        .unique_together = {"object,key"},
        .doc = key_value_doc,
    },
};

const int n_resources = (int)(sizeof resources / sizeof resources[0]);

/* len < 0: name is NUL-terminated. Routing passes a slice of the path. */
const struct resource *resource_find(const char *name, int len)
{
	if (name == NULL)
		return NULL;
	if (len < 0)
		len = (int)strlen(name);
	for (int i = 0; i < n_resources; i++) {
		const char *n = resources[i].name;
		if (strlen(n) == (size_t)len &&
		    memcmp(n, name, (size_t)len) == 0)
			return &resources[i];
	}
	return NULL;
}

const struct field *field_find(const struct resource *r, const char *name)
{
	if (r == NULL || name == NULL)
		return NULL;
	for (const struct field *f = r->fields; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}
