"""Runs last (by name): the workers under test are built with
AddressSanitizer and UndefinedBehaviorSanitizer; any report they wrote to the
registry log while serving the suite is a failure. A missing or empty log
means nothing was checked, which is a failure too."""

import re


def test_workers_logged_no_sanitizer_report(var_dir):
    log = var_dir / "log" / "registry.log"
    assert log.is_file(), f"{log} is missing: the workers logged nothing"
    text = log.read_text(errors="replace")
    assert text.strip(), f"{log} is empty: the workers logged nothing"
    reports = re.findall(r"(ERROR: \w+Sanitizer.*|runtime error: .*)", text)
    assert not reports, "\n".join(reports[:10])
