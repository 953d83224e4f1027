/* schema/people.c - resource table entries' fields and documentation:
 * users and groups (read-only accounts), authors and the
 * links between users and authors. The table itself is src/schema.c. */
#include "schema_parts.h"

/* ---- users, groups ---------------------------------------------------- */

const struct field users_fields[] = {
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

const char users_doc[] =
    "A person (or service) that may write to the registry.\n";

const struct field groups_fields[] = {
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

const char groups_doc[] = "A named group of users, such as an organisation.\n";

/* ---- author ----------------------------------------------------------- */

const struct field author_fields[] = {
    {
        .name = "uuid",
        .web_label = "UUID",
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

const char author_doc[] =
    "A person or organisation credited with objects, for instance the "
    "authors of a paper behind an external object.\n";

/* ---- user_author ------------------------------------------------------ */

const struct field user_author_fields[] = {
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

const char user_author_doc[] =
    "Ties a registry user to the author record that represents them, "
    "so that their work is credited to that author.\n";
