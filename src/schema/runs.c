/* schema/runs.c - resource table entries' fields and documentation:
 * code runs: which code made which outputs from which inputs. The table itself
 * is src/schema.c. */
#include "schema_parts.h"

/* ---- code_run --------------------------------------------------------- */

const struct field code_run_fields[] = {
    {
        .name = "ro_crate",
        .web_label = "RO-Crate",
        .type = F_HREF,
        .href = "/api/ro-crate/code-run/%lld/",
        .read_only = true,
        .nofilter = true,
        .help = "An RO-Crate packaging this run with its inputs and "
                "outputs.",
    },
    {
        .name = "uuid",
        .web_label = "UUID",
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

const char code_run_doc[] =
    "One execution of some code: what was run, with which "
    "configuration and script, what it read and what it wrote.\n";
