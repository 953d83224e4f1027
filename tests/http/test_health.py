"""Health and metrics for operators (issue 16, items 4 and 5): cheap,
unauthenticated endpoints outside the API's paths, `registry ready` for
scripts, and /metrics in the Prometheus text format that Debian's promtool
accepts."""

import os
import re
import subprocess

import requests


def registry_env(var_dir):
    env = dict(os.environ)
    for line in (var_dir / "env").read_text().splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            env[k] = v
    return env


def test_live_and_ready(base_url):
    r = requests.get(f"{base_url}/health/live")
    assert r.status_code == 200 and r.json() == {"status": "ok"}
    r = requests.get(f"{base_url}/health/ready")
    assert r.status_code == 200 and r.json() == {"status": "ready"}
    assert requests.head(f"{base_url}/health/ready").status_code == 200
    assert requests.post(f"{base_url}/health/live").status_code == 405
    # outside the API: no token, no format checks
    r = requests.get(f"{base_url}/health/ready",
                     headers={"Authorization": "token nonsense",
                              "Accept": "image/png"})
    assert r.status_code == 200


def test_registry_ready_command(registry_bin, var_dir):
    run = subprocess.run([str(registry_bin), "ready"], env=registry_env(var_dir),
                         capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, run.stderr
    env = registry_env(var_dir)
    env["PGHOST"] = str(var_dir / "nowhere")
    run = subprocess.run([str(registry_bin), "ready"], env=env,
                         capture_output=True, text=True, timeout=30)
    assert run.returncode == 1


def test_metrics_prometheus_text(base_url, auth):
    requests.get(f"{base_url}/api/author/")
    requests.post(f"{base_url}/api/author/", headers=auth, json={})
    r = requests.get(f"{base_url}/metrics")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    text = r.text
    assert re.search(r'^registry_requests_total\{method="GET",'
                     r'resource="author",status="200"\} [1-9]', text, re.M)
    assert re.search(r'^registry_requests_total\{method="POST",'
                     r'resource="author",status="400"\} [1-9]', text, re.M)
    assert 'registry_request_duration_seconds_bucket{le="+Inf"}' in text
    busy = int(re.search(r'^registry_workers\{state="busy"\} (\d+)', text,
                         re.M).group(1))
    idle = int(re.search(r'^registry_workers\{state="idle"\} (\d+)', text,
                         re.M).group(1))
    assert busy >= 1 and busy + idle >= 2
    for name in ("registry_db_reconnects_total",
                 "registry_replica_reads_total"):
        assert re.search(rf"^{name} \d+$", text, re.M), name
    assert re.search(r'^registry_rows\{resource="users"\} [1-9]', text, re.M)
    check = subprocess.run(["promtool", "check", "metrics"], input=text,
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
