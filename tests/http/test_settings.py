"""The settings file as the binary reads it: found through REGISTRY_CONFIG,
overridden by the environment and by flags, printed by `registry config`
with the database password masked, and refused, naming file and line, when
a line is wrong (start-up stops before anything is served)."""

import os
import subprocess


def run(registry_bin, conf, *args, **env):
    e = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
    if conf is not None:
        e["REGISTRY_CONFIG"] = str(conf)
    e.update(env)
    return subprocess.run([str(registry_bin), *args], env=e,
                          capture_output=True, text=True, timeout=60)


def effective(out):
    """`registry config`'s lines as {key: (value, origin)}."""
    got = {}
    for line in out.splitlines():
        if line.startswith("#") or " = " not in line:
            continue
        key, _, rest = line.partition(" = ")
        value, _, origin = rest.partition("    # ")
        got[key] = (value, origin)
    return got


def test_file_environment_and_flags(registry_bin, tmp_path):
    conf = tmp_path / "registry.conf"
    conf.write_text("# the test's settings\n"
                    "database = postgresql://reg:s3cret#x@db.example/reg\n"
                    "workers = 3\n"
                    "upload_ttl = 60\n")
    r = run(registry_bin, conf, "config", "--workers", "5",
            REGISTRY_UPLOAD_TTL="90")
    assert r.returncode == 0, r.stderr
    got = effective(r.stdout)
    assert f"settings file: {conf}" in r.stdout
    assert got["workers"] == ("5", "command line")
    assert got["upload_ttl"] == ("90", "environment REGISTRY_UPLOAD_TTL")
    assert got["remote"] == ("false", "default")
    value, origin = got["database"]
    assert origin == f"{conf}:2"
    assert "s3cret" not in r.stdout
    assert "password=********" in value and "host=db.example" in value


def test_example_file_is_a_valid_settings_file(registry_bin, tmp_path):
    example = run(registry_bin, None, "config", "--example")
    assert example.returncode == 0
    keys = [line[1:].split(" =")[0] for line in example.stdout.splitlines()
            if line.startswith("#") and " =" in line and " " not in
            line.split(" =")[0]]
    assert "database" in keys and "workers" in keys
    # uncommented, every setting at its default reads back unchanged
    conf = tmp_path / "example.conf"
    conf.write_text("\n".join(line[1:] if line.split(" =")[0][1:] in keys
                              else line
                              for line in example.stdout.splitlines()))
    r = run(registry_bin, conf, "config")
    assert r.returncode == 0, r.stderr
    for key in keys:
        assert effective(r.stdout)[key][1].startswith(str(conf)), key


def test_bad_lines_stop_start_up(registry_bin, tmp_path):
    cases = {
        "workers = 2\ncolour = blue\n": ":2: unknown setting 'colour'",
        "just words\n": ":1: expected `key = value`",
        "workers = lots\n": ":1: workers: expected a whole number",
        # an allow-list entry that is no address would never match
        # (a host name is not looked up): refused, not ignored
        "allow_from = 10.0.0.2 front.example\n":
            ":1: allow_from: 'front.example' is not an IPv4 or IPv6",
        "\nmetrics_allow = 10.0.0.0/33\n":
            ":2: metrics_allow: '10.0.0.0/33' is not an IPv4 or IPv6",
    }
    for text, want in cases.items():
        conf = tmp_path / "bad.conf"
        conf.write_text(text)
        for args in (["config"], ["serve", "--listen", str(tmp_path / "s")]):
            r = run(registry_bin, conf, *args)
            assert r.returncode == 2, (text, r.stdout)
            assert f"{conf}{want}" in r.stderr, r.stderr
            assert not (tmp_path / "s").exists()


def test_bad_address_lists_from_environment_and_flags(registry_bin,
                                                     tmp_path):
    sock = tmp_path / "s"
    r = run(registry_bin, None, "serve", "--listen", str(sock),
            REGISTRY_METRICS_ALLOW="127.0.0.1 localhost")
    assert r.returncode == 2, r.stdout
    assert "REGISTRY_METRICS_ALLOW=127.0.0.1 localhost: 'localhost' is " \
        "not an IPv4" in r.stderr, r.stderr
    r = run(registry_bin, None, "serve", "--listen", "127.0.0.1:1",
            "--allow-from", "10.0.0.0/8,::1/200")
    assert r.returncode == 2, r.stdout
    assert "--allow_from 10.0.0.0/8,::1/200: '::1/200' is not" in r.stderr, \
        r.stderr
    assert not sock.exists()


def test_unreadable_file_stops_start_up(registry_bin, tmp_path):
    r = run(registry_bin, tmp_path / "missing.conf", "config")
    assert r.returncode == 2
    assert "missing.conf: cannot read" in r.stderr


def test_mount_and_file_sending_settings(registry_bin, tmp_path):
    conf = tmp_path / "registry.conf"
    conf.write_text("prefix = /fair/\nbase_url = https://data.example.org/\n"
                    "send_files = registry\n")
    r = run(registry_bin, conf, "config")
    assert r.returncode == 0, r.stderr
    got = effective(r.stdout)
    assert got["prefix"][0] == "/fair"
    assert got["base_url"][0] == "https://data.example.org"
    assert got["send_files"][0] == "registry"
    for text, want in {
            "prefix = fair\n": "prefix: expected a path starting with /",
            "prefix = /a/../b\n": "prefix: an empty, . or .. segment",
            "prefix = /a b\n": "prefix: only letters",
            "base_url = https://h/fair\n": "base_url: expected scheme://host",
            "base_url = ftp://h\n": "base_url: expected http://host",
            "send_files = nginx\n": "send_files: expected one of"}.items():
        conf.write_text(text)
        r = run(registry_bin, conf, "config")
        assert r.returncode == 2 and f"{conf}:1: {want}" in r.stderr, \
            (text, r.stderr)
