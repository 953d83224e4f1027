/* schema.c - the resource table: every resource the API serves, in the
 * order the API root lists them. Each resource's fields (in the reference
 * registry's JSON key order: url first, then the serializer's declared
 * fields, model fields, relations, read-only extras) and its documentation
 * live by resource group in src/schema/. Column, join-table and
 * constraint names match migrations/0001_schema.sql.
 */
#include "schema_parts.h"

#include <string.h>

/* ---- the table -------------------------------------------------------- */

/* Listed in the order the API root shows them. */
const struct resource resources[] = {
    {
        .name = "users",
        .label = "t.username",
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
        .label = "t.name",
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
        .plural = "File types",
        .label = "t.name || ' (' || t.extension || ')'",
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
        .plural = "Issues",
        .label = "t.description",
        .column = {"Severity", "t.severity::text"},
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
        .plural = "Authors",
        .label = "coalesce(t.name, t.identifier)",
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
        .plural = "Objects",
        .label = OBJECT_LABEL("t"),
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
        .plural = "User authors",
        .label = "(SELECT u.username FROM users u WHERE u.id = t.user_id) "
                 "|| ' is ' || (SELECT coalesce(a.name, a.identifier) "
                 "FROM author a WHERE a.id = t.author_id)",
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
        .plural = "Object components",
        .label = "t.name || ' of ' || (SELECT " OBJECT_LABEL(
            "o") " FROM object o WHERE o.id = t.object_id)",
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
        .plural = "Code runs",
        .label = "t.description",
        .column = {"Run date", WEB_STAMP("t.run_date")},
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
        .plural = "Storage roots",
        .label = "t.root",
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
        .plural = "Storage locations",
        .label = "(SELECT r.root FROM storage_root r "
                 "WHERE r.id = t.storage_root_id) || t.path",
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
        .plural = "Namespaces",
        .label = "t.name",
        .column = {"Full name", "t.full_name"},
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
        .plural = "Data products",
        .label = "(SELECT n.name FROM namespace n "
                 "WHERE n.id = t.namespace_id) || ':' || t.name || '@' || "
                 "t.version",
        .file = {{"namespace", "name", "version"}, "The product's file"},
        .prov_links = true,
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
        .plural = "External objects",
        .label = "coalesce(t.alternate_identifier || ':', '') || t.title "
                 "|| '@' || t.version",
        .column = {"Release date", WEB_STAMP("t.release_date")},
        .file = {{"alternate_identifier", "title", "version"},
                 "The object's file"},
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
        .plural = "Quality controlled",
        .label = "'Object ' || t.object_id || ' checked by object ' || "
                 "t.document_id",
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
        .plural = "Keywords",
        .label = "t.keyphrase",
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
        .plural = "Licences",
        .label = "t.licence_info",
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
        .plural = "Code repo releases",
        .label = "t.name || '@' || t.version",
        .column = {"Website", "t.website"},
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
        .plural = "Key values",
        .label = "t.key || ' = ' || t.value",
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
