/* schema.h - the declarative resource table: every resource the API serves,
 * its fields in the reference's key order, types, relations and rules.
 * Generic code (sql.c, record.c, validate.c, write.c, options.c) reads it.
 *
 * Database naming that this table relies on (migrations/ follow it):
 *   table            = resource name (users, groups included)
 *   column           = field name; a link field `x` is column `x_id`
 *   many-to-many     = join table named in the field, columns in the field
 *   unique rule      = constraint named <table>_<field>[_<field>...]_key
 *                      using field names (not column names), in the order
 *                      given by .unique / .unique_together
 */
#ifndef SCHEMA_H
#define SCHEMA_H

#include <stdbool.h>

enum ftype {
	F_TEXT,     /* bounded text (max_len 0 = unbounded "long text") */
	F_NAME,     /* text without any of []?*; filtered by Unix glob */
	F_VERSION,  /* semantic version MAJOR.MINOR.PATCH[-pre][+build] */
	F_URL,      /* absolute URL */
	F_UUID,     /* generated when absent, accepted when given */
	F_DATETIME, /* ISO 8601 */
	F_BOOL,
	F_INT,
	F_LINK,    /* hyperlink to one record of .target; column <name>_id */
	F_LINKS,   /* hyperlinks through a join table (.join, .join_self,
	              .join_other); read_only when it is the reverse side */
	F_REVERSE, /* records of .target whose column .rev_column points here:
	              a list of hyperlinks, or one hyperlink / null if .one */
	F_HREF,    /* computed absolute URL: .href is a printf pattern with
	              one %lld for the record's id */
	F_STRINGS, /* read-only list of strings (.expr gives a text[]) */
};

/* Values the server fills in itself on every write. */
enum fauto {
	A_NONE,
	A_NOW,  /* last_updated */
	A_USER, /* updated_by: the authenticated user */
};

struct field {
	const char *name; /* JSON key, filter name, body key */
	enum ftype type;
	const char *target;     /* F_LINK, F_LINKS, F_REVERSE: resource name */
	const char *join;       /* F_LINKS: join table */
	const char *join_self;  /* F_LINKS: join column pointing at this row */
	const char *join_other; /* F_LINKS: join column pointing at target */
	const char *rev_column; /* F_REVERSE: column of target pointing here */
	const char *href;       /* F_HREF: pattern with one %lld */
	/* read-only value computed in SQL from the row (alias t) instead of
	 * a column of the same name */
	const char *expr;
	const char *def;   /* default, as SQL literal text ("true", "1") */
	const char *label; /* OPTIONS label; NULL = derived from name */
	/* the website's name for it where that differs from the OPTIONS
	 * label ("UUID"); NULL = .label, else derived from name */
	const char *web_label;
	const char *help; /* one line for the documentation */
	/* F_TEXT/F_NAME: copied at write time from another resource's
	 * column, via this resource's link field .copy_link (e.g. external
	 * object's version from its data_product). Read-only, filterable. */
	const char *copy_link;
	const char *copy_column;
	/* F_UUID: when this field is given, the uuid is derived from it
	 * (SHA-256 hex of the value, every second digit, read as a UUID) */
	const char *uuid_from;
	int max_len;    /* 0 = unbounded */
	int min_value;  /* F_INT */
	int max_value;  /* F_INT; 0 = none */
	enum fauto aut; /* server-filled */
	bool required;
	bool blank; /* "" is a value (else "This field may not be blank.") */
	bool read_only;
	bool
	    unique; /* single-field uniqueness: constraint <table>_<name>_key */
	bool one;   /* F_REVERSE: one-to-one */
	/* never filters, even when query_args allows its name: the
	 * reference accepts its reverse relations as query arguments but
	 * does not filter by them */
	bool nofilter;
};

/* A multi-field rule the database checks (constraint <name>); a violation
 * answers 400 {"<key>": ["<message>"]}. */
struct check {
	const char *constraint;
	const char *key; /* usually "non_field_errors" */
	const char *message;
};

enum verb {
	V_GET = 1 << 0, /* also HEAD and OPTIONS */
	V_POST = 1 << 1,
	V_PUT = 1 << 2, /* also PATCH */
	V_DELETE = 1 << 3,
};

struct resource {
	const char *name;           /* endpoint and table: "code_run" */
	const char *model;          /* model name for messages: "CodeRun" */
	const char *title;          /* OPTIONS name prefix: "Code Run" */
	const struct field *fields; /* terminated by { 0 } */
	unsigned verbs;
	bool auth_read; /* reading needs a token (users, groups) */
	/* multi-field uniqueness rules: comma-separated field names, each
	 * a constraint named <table>_<f1>_<f2>..._key */
	const char *unique_together[2];
	/* SQL run in the same transaction after an insert; $1 = new id,
	 * $2 = the writing user's id */
	const char *after_insert;
	/* check constraints that span fields, mapped to a 400 message */
	struct check checks[2];
	const char *doc; /* documentation: OPTIONS description, HTML */
	/* The allowed query arguments besides cursor, format, ordering and
	 * page_size, comma-separated, in the reference's order (it names
	 * reverse relations that records do not show). These are also the
	 * OPTIONS filter_fields. NULL: none at all. */
	const char *query_args;
	/* users: only these control arguments (NULL = all four) */
	const char *control_args;
	/* How this resource's records are ordered inside another record's
	 * list of links (many-to-many and reverse relations): a column,
	 * "-" first for descending, ties broken by id the same way; NULL =
	 * ascending id. The reference orders them by each model's default
	 * ordering, and clients rely on it (an object's components[0] is
	 * its whole_object component). */
	const char *link_order;

	/* ---- the website (src/web/) ---- */
	/* the list page's heading, "Code runs"; NULL: the resource has no
	 * pages (users, groups), its records are named but not linked */
	const char *plural;
	/* how the site names one record: an SQL expression over the row t
	 * (at most LABEL_MAX characters of it are shown) */
	const char *label;
	/* one more column on the list page: heading and SQL over t */
	struct {
		const char *head, *expr;
	} column;
	/* The alias that serves the record's file, /<name>/<a>:<b>@<c>:
	 * the fields whose values a, b and c are (a link field gives its
	 * record's label), and the text of the record page's link to it.
	 * NULL text: none. */
	struct {
		const char *parts[3];
		const char *text;
	} file;
	/* the record page links the record's provenance report, its picture
	 * and its RO-Crate */
	bool prov_links;
};

extern const struct resource resources[];
extern const int n_resources;

const struct resource *resource_find(const char *name, int len);
const struct field *field_find(const struct resource *r, const char *name);

#endif
