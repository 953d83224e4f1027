"""Runs last (by name): the workers under test are built with
AddressSanitizer and UndefinedBehaviorSanitizer; any report they wrote to the
registry log while serving the suite is a failure."""

import re


def test_workers_logged_no_sanitizer_report(var_dir):
    log = var_dir / "log" / "registry.log"
    text = log.read_text(errors="replace") if log.exists() else ""
    reports = re.findall(r"(ERROR: \w+Sanitizer.*|runtime error: .*)", text)
    assert not reports, "\n".join(reports[:10])
