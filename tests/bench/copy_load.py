"""copy_load.py - grows a loaded bench registry with SQL COPY, for
BENCH_SCALE: runs FIRST .. LAST-1 of shape.py, written straight into the
tables, much faster than through the API.

    copy_load.py VAR FIRST LAST

The records are those load.py would POST, with what the API adds itself:
ids (continuing each table's sequence), updated_by (the admin user), the
default last_updated, and every object's whole_object component. The
shared records (storage root, file types, authors, namespaces) must exist
already, as they do after load.py. Ends with VACUUM ANALYZE, as autovacuum
would do on a registry that grew over time.
"""

import os
import subprocess
import sys
import time

import shape

# Many-to-many fields: (resource, field) -> (join table, own column, other)
JOINS = {
    ("object", "authors"): ("object_authors", "object_id", "author_id"),
    ("issue", "component_issues"):
        ("issue_component_issues", "issue_id", "object_component_id"),
    ("code_run", "inputs"):
        ("code_run_inputs", "code_run_id", "object_component_id"),
    ("code_run", "outputs"):
        ("code_run_outputs", "code_run_id", "object_component_id"),
}


def die(msg):
    raise SystemExit(f"copy_load.py: {msg}")


def copy_text(v):
    if v is None:
        return "\\N"
    if v is True or v is False:
        return "t" if v else "f"
    s = str(v)
    if any(c in s for c in "\\\t\n\r"):
        s = (s.replace("\\", "\\\\").replace("\t", "\\t")
             .replace("\n", "\\n").replace("\r", "\\r"))
    return s


class Loader:
    def __init__(self, var):
        self.var = os.path.abspath(var)
        self.env = dict(os.environ)
        for line in open(f"{self.var}/env"):
            k, _, v = line.strip().partition("=")
            if k:
                self.env[k] = v
        self.dir = f"{self.var}/bench/copy"
        os.makedirs(self.dir, exist_ok=True)
        self.files = {}    # table -> open file
        self.columns = {}  # table -> column list
        self.next_id = {}  # table -> next id to hand out
        self.rows = 0
        self.user = self.psql("SELECT id FROM users WHERE username = "
                              "'admin'")

    def psql(self, sql, capture=True):
        r = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v",
                            "ON_ERROR_STOP=1", "-c", sql], env=self.env,
                           capture_output=capture, text=True)
        if r.returncode:
            die(f"psql {sql[:200]}: {r.stderr}")
        return (r.stdout or "").strip()

    def new_id(self, table):
        if table not in self.next_id:
            self.next_id[table] = int(self.psql(
                f"SELECT coalesce(max(id), 0) + 1 FROM {table}"))
        i = self.next_id[table]
        self.next_id[table] += 1
        return i

    def row(self, table, cols, vals):
        if table not in self.files:
            self.files[table] = open(f"{self.dir}/{table}.tsv", "w")
            self.columns[table] = cols
        elif self.columns[table] != cols:
            die(f"{table}: records with different fields {cols}")
        self.files[table].write("\t".join(map(copy_text, vals)) + "\n")
        self.rows += 1

    def shared_ids(self):
        """Keys of shape.shared() -> ids, looked up by natural key."""
        ids = {}
        q = {"storage_root": "root", "file_type": "extension",
             "author": "identifier", "namespace": "name"}
        for key, resource, fields in shape.shared():
            col = q[resource]
            val = fields[col].replace("'", "''")
            got = self.psql(f"SELECT id FROM {resource} WHERE {col} = "
                            f"'{val}'")
            if not got:
                die(f"{resource} {fields[col]} is missing: load the 1x "
                    "registry first")
            ids[key] = int(got)
        return ids

    def parent_output(self, i):
        """Id of run i's first output component, from the database (for a
        chain that the API loader began)."""
        name = shape.dp_name(i, "output-x")
        got = self.psql(
            "SELECT c.id FROM data_product d JOIN object_component c ON "
            f"c.object_id = d.object_id WHERE d.name = '{name}' AND "
            "c.name = 'part-1'")
        if not got:
            die(f"run {i} is not in the registry")
        return int(got)

    def add(self, key, resource, fields, ids):
        rid = self.new_id(resource)
        ids[key] = rid
        cols, vals, joins = ["id", "updated_by_id"], [rid, self.user], []
        for name, v in fields.items():
            if isinstance(v, list):
                joins.append((JOINS[(resource, name)], v))
            elif isinstance(v, shape.Ref):
                cols.append(f"{name}_id")
                vals.append(ids[v.key])
            else:
                cols.append(name)
                vals.append(v)
        self.row(resource, cols, vals)
        for (table, own, other), refs in joins:
            for ref in refs:
                self.row(table, [own, other], [rid, ids[ref.key]])
        if resource == "object":  # as the API creates it
            self.row("object_component",
                     ["id", "updated_by_id", "object_id", "name",
                      "description", "whole_object"],
                     [self.new_id("object_component"), self.user, rid,
                      "whole_object", None, True])

    def write(self, first, last):
        shared = self.shared_ids()
        ids = dict(shared)
        for i in range(first, last):
            if i % shape.CHAIN == 0:
                ids = dict(shared)  # a chain only refers to its own runs
            elif i == first:
                ids[f"{i - 1}/output-x/c1"] = self.parent_output(i - 1)
            for key, resource, fields in shape.run(i):
                if resource == "object_component":
                    fields = dict(fields, whole_object=False)
                self.add(key, resource, fields, ids)
        for f in self.files.values():
            f.close()

    def copy(self):
        # parents before children, for the foreign keys
        order = ["storage_location", "object", "object_authors",
                 "object_component", "data_product", "code_repo_release",
                 "licence", "keyword", "key_value", "issue",
                 "issue_component_issues", "code_run", "code_run_inputs",
                 "code_run_outputs"]
        script = ["BEGIN;"]
        for t in order:
            if t in self.files:
                cols = ", ".join(f'"{c}"' for c in self.columns[t])
                script.append(f"\\copy {t} ({cols}) FROM "
                              f"'{self.dir}/{t}.tsv'")
        for t in self.next_id:
            script.append(f"SELECT setval(pg_get_serial_sequence('{t}', "
                          f"'id'), (SELECT max(id) FROM {t}));")
        script.append("COMMIT;")
        r = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1"],
                           input="\n".join(script) + "\n", env=self.env,
                           capture_output=True, text=True)
        if r.returncode:
            die(f"COPY failed: {r.stderr}")
        self.psql("VACUUM ANALYZE", capture=False)


def main():
    if len(sys.argv) != 4:
        die(__doc__)
    var, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    start = time.monotonic()
    ld = Loader(var)
    ld.write(first, last)
    made = time.monotonic()
    ld.copy()
    done = time.monotonic()
    for t in ld.files:
        os.unlink(f"{ld.dir}/{t}.tsv")
    print(f"copied runs {first}..{last - 1}: {ld.rows} rows, generated in "
          f"{made - start:.0f} s, COPY and VACUUM ANALYZE in "
          f"{done - made:.0f} s")


if __name__ == "__main__":
    main()
