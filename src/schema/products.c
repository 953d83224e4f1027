/* schema/products.c - resource table entries' fields and documentation:
 * namespaces, data products, external objects and code repo
 * releases: the named, versioned things an object can be. The table itself is
 * src/schema.c. */
#include "schema_parts.h"

/* ---- namespace -------------------------------------------------------- */

const struct field namespace_fields[] = {
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

const char namespace_doc[] =
    "A namespace groups data products, usually those of one "
    "organisation or project.\n";

/* ---- data_product ----------------------------------------------------- */

const struct field data_product_fields[] = {
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
        .web_label = "PROV report",
        .type = F_HREF,
        .href = "/api/prov-report/%lld/",
        .read_only = true,
        .nofilter = true,
        .help = "Where to fetch the product's provenance report.",
    },
    {
        .name = "ro_crate",
        .web_label = "RO-Crate",
        .type = F_HREF,
        .href = "/api/ro-crate/data-product/%lld/",
        .read_only = true,
        .nofilter = true,
        .help = "An RO-Crate packaging the product with the files it came "
                "from.",
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
        .help = "The product's semantic version, for instance `1.0.0` or "
                "`0.2.1-beta`.",
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

const char data_product_doc[] =
    "A versioned, named piece of data that code runs read or write, "
    "addressed as namespace:name@version.\n";

/* ---- external_object -------------------------------------------------- */

const struct field external_object_fields[] = {
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
        .help = "What kind of name the alternate identifier is; needed "
                "whenever it is given.",
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
        .help = "Where the data was first found, when it has since been "
                "copied somewhere safer.",
    },
    {0},
};

const char external_object_doc[] =
    "Data that came from outside the pipeline (a paper, a published "
    "data set, a web page), registered through the data product that "
    "holds it.\n";

/* ---- code_repo_release ------------------------------------------------ */

const struct field code_repo_release_fields[] = {
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

const char code_repo_release_doc[] =
    "Marks an object as an official release of some model code.\n";
