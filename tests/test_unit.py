"""Runs each C unit test program (tests/unit/test_*.c, built with sanitizers
by `make test` into var/build-asan/tests/) as one test: it passes when the
program exits 0. The list comes from the sources, so a program that was not
built is a failure, not a test that silently disappears."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("REGISTRY_ROOT") or Path(__file__).resolve().parent.parent)
BUILT = ROOT / "var" / "build-asan" / "tests"
SOURCES = sorted((ROOT / "tests" / "unit").glob("test_*.c"))


def test_unit_sources_exist():
    assert SOURCES, "no tests/unit/test_*.c found"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_unit_program(source):
    program = BUILT / source.stem
    assert program.is_file() and os.access(program, os.X_OK), (
        f"{program} was not built (make unit)")
    run = subprocess.run([str(program)], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, timeout=300)
    assert run.returncode == 0, (
        f"{program.name} exited with {run.returncode}:\n{run.stdout}")
