"""The registry on a PostgreSQL it did not create (docs/deploy.md): in its
own schema, owned by a role that is no superuser and owns nothing else,
reached by a libpq URI or a service name; `registry init` sets it up and
is idempotent. A database whose collation is not C (ICU's en-US here; the
machine generates no en_US.UTF-8 locale) gives every answer, globs and
ordering included, byte for byte as the C database does. A pg_dump of a
loaded registry restored into a fresh database serves the same answers and
keeps counting (the trigger-kept counts of migrations/0003_row_count.sql).

The databases live in the test instance's own cluster; the test acts as
its DBA (the instance's superuser) only to create them, exactly as the
docs tell an operator's DBA to."""

import json
import os
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from pool_client import Pool, path_of

ROLE = "fairreg"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"

# Names whose C order differs from a natural-language one, and whose glob
# ranges a non-C collation breaks ('z' + 1 is '{', a punctuation mark that
# ICU sorts before the letters).
NAMES = ["zeta", "Zebra", "apple", "Apple", "aB", "a_b", "a-b", "9lives",
         "\u00e9clair", "\u00d6lig", "Zz", "b.c", "B"]
GLOBS = ["z*", "Z*", "9*", "a*", "A*", "*b", "[a-z]*", "[!a-z]*", "?e*",
         "a?b", "\u00e9*", "\u00d6*", "b.*", "*"]
ORDERINGS = ["name", "-name", "full_name", "-full_name,name", "-id"]


def instance_env(var_dir):
    env = dict(os.environ)
    for line in (var_dir / "env").read_text().splitlines():
        key, _, value = line.partition("=")
        env[key] = value
    return env


def su(var_dir, sql, db="postgres"):
    """SQL as the instance's superuser (the DBA)."""
    r = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                        "-d", db, "-c", sql], env=instance_env(var_dir),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout


def create_database(var_dir, db, locale_sql, schema=True):
    """docs/deploy.md's statements, for ROLE (a restore brings its own
    schema)."""
    su(var_dir, f"CREATE DATABASE {db} TEMPLATE template0 ENCODING 'UTF8' "
       f"{locale_sql}")
    su(var_dir, f"REVOKE ALL ON DATABASE {db} FROM PUBLIC")
    su(var_dir, f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {ROLE}")
    su(var_dir, "REVOKE CREATE ON SCHEMA public FROM PUBLIC", db)
    if schema:
        su(var_dir, f"CREATE SCHEMA {ROLE} AUTHORIZATION {ROLE}", db)


def role_env(var_dir, database, **extra):
    """The registry's environment: no PG* variable, only its setting."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PG", "REGISTRY_"))}
    env["REGISTRY_DATABASE_URL"] = database
    env["REGISTRY_MIGRATIONS"] = str(MIGRATIONS)  # beside the test binary
    env.update(extra)
    return env


def run_bin(registry_bin, env, *args):
    return subprocess.run([str(registry_bin), *args], env=env,
                          capture_output=True, text=True, timeout=300)


def answers(pool, token):
    """Every list page (walked by its cursors, the counts included), a
    record of each page, glob filters and orderings: (status, body) by
    URI."""
    got = {}

    def get(uri):
        status, _, body = pool.get(
            uri, headers={"Authorization": f"token {token}"})
        got[uri] = (status, body)
        return status, body

    status, root = get("/api/")
    assert status == 200, root
    for url in json.loads(root).values():
        uri = path_of(url) + "?page_size=4"
        if get(uri)[0] == 400:  # users and groups take no page size
            uri = path_of(url)
        while uri:
            status, body = get(uri)
            assert status == 200, (uri, body)
            page = json.loads(body)
            for record in page["results"][:1]:  # a sample, every page
                get(path_of(record["url"]))
            uri = page["next"] and path_of(page["next"])
    for g in GLOBS:
        status, body = get(f"/api/namespace/?name={quote(g)}")
        assert status == 200, body
    for o in ORDERINGS:
        get(f"/api/namespace/?ordering={o}&page_size=5")
        get(f"/api/data_product/?ordering={o.replace('full_name', 'version')}")
    return got


def counts(var_dir, db):
    """Per table: the count the triggers keep, and the rows there are."""
    out = su(var_dir, f"SET search_path = {ROLE}; "
             "SELECT tbl || ' ' || sum(n) FROM row_count GROUP BY tbl "
             "ORDER BY tbl", db)
    kept = dict(line.split() for line in out.splitlines())
    real = {t: su(var_dir, f"SELECT count(*) FROM {ROLE}.{t}", db).strip()
            for t in kept}
    return kept, real


@pytest.fixture(scope="module")
def dba(var_dir):
    """ROLE, and the OS user's right to connect as it (the instance lets
    only its own OS user in, as its one role: pg_ident.conf)."""
    for db in ("regc", "regicu", "regfresh", "regrest"):
        su(var_dir, f"DROP DATABASE IF EXISTS {db}")
    su(var_dir, f"DROP ROLE IF EXISTS {ROLE}")
    su(var_dir, f"CREATE ROLE {ROLE} LOGIN")
    ident = var_dir / "pg" / "pg_ident.conf"
    me = subprocess.run(["id", "-un"], capture_output=True,
                        text=True).stdout.strip()
    ident.write_text(ident.read_text() + f"stack {me} {ROLE}\n")
    su(var_dir, "SELECT pg_reload_conf()")
    return instance_env(var_dir)


def uri_for(pgenv, db):
    return (f"postgresql:///{db}?host={quote(pgenv['PGHOST'], safe='')}"
            f"&port={pgenv['PGPORT']}&user={ROLE}")


@pytest.fixture(scope="module")
def loaded(var_dir, registry_bin, dba, tmp_path_factory):
    """A registry loaded on the C database through a URI, its answers and
    a pg_dump of it taken as the role."""
    tmp = tmp_path_factory.mktemp("anypg")
    create_database(var_dir, "regc", "LOCALE 'C'")
    env = role_env(var_dir, uri_for(dba, "regc"))
    init = run_bin(registry_bin, env, "init")
    assert init.returncode == 0, init.stderr
    token = init.stdout.strip()
    assert len(token) == 40, init.stdout
    r = run_bin(registry_bin, env, "example-data")
    assert r.returncode == 0, r.stderr
    pool = Pool([registry_bin], env, tmp / "c.sock", tmp / "c.log")
    try:
        for i, name in enumerate(NAMES):
            body = json.dumps({"name": name,
                               "full_name": NAMES[-1 - i] + " x"}).encode()
            status, _, out = pool.request(
                "POST", "/api/namespace/", body,
                {"Authorization": f"token {token}"})
            assert status == 201, out
        got = answers(pool, token)
    finally:
        assert pool.stop() == 0
    dump = tmp / "registry.dump"
    r = subprocess.run(["pg_dump", "--format=custom", f"--schema={ROLE}",
                        f"--file={dump}", uri_for(dba, "regc")],
                       env=role_env(var_dir, ""), capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return {"env": env, "token": token, "answers": got, "dump": dump,
            "tmp": tmp}


def test_init_as_the_schema_owner_is_idempotent(var_dir, registry_bin,
                                                loaded):
    assert su(var_dir, f"SELECT rolsuper OR rolcreatedb OR rolcreaterole "
              f"FROM pg_roles WHERE rolname = '{ROLE}'").strip() == "f"
    again = run_bin(registry_bin, loaded["env"], "init")
    assert again.returncode == 0, again.stderr
    assert again.stdout == "" and "has a token already" in again.stderr
    assert "applied" not in again.stderr
    # everything in the role's schema, nothing anywhere else
    where = su(var_dir, "SELECT DISTINCT n.nspname FROM pg_class c JOIN "
               "pg_namespace n ON n.oid = c.relnamespace JOIN pg_roles r "
               f"ON r.oid = c.relowner WHERE r.rolname = '{ROLE}' "
               "AND n.nspname <> 'pg_toast'", "regc")
    assert where.split() == [ROLE]
    status = loaded["answers"]["/api/namespace/?page_size=4"]
    assert status[0] == 200 and b'"count":15' in status[1]


def test_a_database_that_refuses_the_role(var_dir, registry_bin, dba):
    su(var_dir, "DROP DATABASE IF EXISTS regno")
    su(var_dir, "CREATE DATABASE regno")
    su(var_dir, "REVOKE ALL ON DATABASE regno FROM PUBLIC")
    r = run_bin(registry_bin, role_env(var_dir, uri_for(dba, "regno")),
                "init")
    assert r.returncode == 1
    assert "registry: database:" in r.stderr
    assert "permission denied for database" in r.stderr
    su(var_dir, "DROP DATABASE regno")


def test_every_text_column_compares_in_c_order(var_dir, loaded):
    wrong = su(var_dir, "SELECT c.relname || '.' || a.attname "
               "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
               f"WHERE c.relnamespace = '{ROLE}'::regnamespace "
               "AND c.relkind = 'r' AND a.attnum > 0 AND a.attcollation <> 0 "
               "AND a.attcollation <> 'pg_catalog.\"C\"'::regcollation",
               "regc")
    assert wrong == "", "text columns without COLLATE \"C\": " + wrong


def test_icu_database_answers_as_the_c_one(var_dir, registry_bin, dba,
                                           loaded):
    tmp = loaded["tmp"]
    icu = "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
    # a fresh one set up by `registry init` through a service name
    create_database(var_dir, "regfresh", icu)
    services = tmp / "pg_service.conf"
    services.write_text(
        "".join(f"[{db}]\nhost={dba['PGHOST']}\nport={dba['PGPORT']}\n"
                f"dbname={db}\nuser={ROLE}\n" for db in
                ("regfresh", "regicu", "regc")))
    fresh_env = role_env(var_dir, "service=regfresh",
                         PGSERVICEFILE=str(services))
    r = run_bin(registry_bin, fresh_env, "init")
    assert r.returncode == 0, r.stderr
    assert su(var_dir, "SELECT datcollate || ' ' || daticulocale FROM "
              "pg_database WHERE datname = 'regfresh'").strip() == \
        "C.UTF-8 en-US"

    def schema(db):
        out = subprocess.run(
            ["pg_dump", "--schema-only", f"service={db}"],
            env=fresh_env, capture_output=True, text=True,
            timeout=120).stdout
        # less the random key of pg_dump's \restrict lines
        return [line for line in out.splitlines()
                if not line.startswith(("\\restrict", "\\unrestrict"))]
    assert schema("regfresh") == schema("regc")
    # the loaded registry, restored into an ICU database
    create_database(var_dir, "regicu", icu, schema=False)
    restore(var_dir, loaded["dump"], "regicu")
    env = role_env(var_dir, "service=regicu", PGSERVICEFILE=str(services))
    pool = Pool([registry_bin], env, tmp / "icu.sock", tmp / "icu.log")
    try:
        got = answers(pool, loaded["token"])
    finally:
        assert pool.stop() == 0
    differ = [u for u in loaded["answers"] if got.get(u) !=
              loaded["answers"][u]]
    assert not differ, (differ[:5], got.get(differ[0]))
    names = [r["name"] for r in json.loads(
        got["/api/namespace/?ordering=name&page_size=5"][1])["results"]]
    assert names == sorted(names), names
    zs = json.loads(got["/api/namespace/?name=" + quote("z*")][1])["results"]
    assert [r["name"] for r in zs] == ["zeta"]


def restore(var_dir, dump, db):
    """docs/deploy.md's restore: pg_restore by the DBA, which recreates the
    schema and its owner's objects as they were."""
    r = subprocess.run(["pg_restore", "--exit-on-error", "-d", db, str(dump)],
                       env=instance_env(var_dir), capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr


def test_backup_restores_the_same_answers(var_dir, registry_bin, dba, loaded):
    tmp = loaded["tmp"]
    create_database(var_dir, "regrest", "LOCALE 'C'", schema=False)
    restore(var_dir, loaded["dump"], "regrest")
    kept, real = counts(var_dir, "regrest")
    assert kept == counts(var_dir, "regc")[0]
    assert kept == real and int(kept["namespace"]) == 15, (kept, real)
    env = role_env(var_dir, uri_for(dba, "regrest"))
    pool = Pool([registry_bin], env, tmp / "rest.sock", tmp / "rest.log")
    try:
        got = answers(pool, loaded["token"])
        # the restored registry goes on counting, and knows the token
        status, _, out = pool.request(
            "POST", "/api/namespace/", b'{"name": "after_restore"}',
            {"Authorization": f"token {loaded['token']}"})
        assert status == 201, out
        page = json.loads(pool.get("/api/namespace/")[2])
    finally:
        assert pool.stop() == 0
    differ = [u for u in loaded["answers"] if got.get(u) !=
              loaded["answers"][u]]
    assert not differ, (differ[:5], got.get(differ[0]))
    assert page["count"] == 16
    kept, real = counts(var_dir, "regrest")
    assert kept == real
