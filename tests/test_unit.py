"""Runs each C unit test program (tests/unit/test_*.c, built with sanitizers
by `make test` into var/build-asan/tests/) as one test: it passes when the
program exits 0."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("REGISTRY_ROOT") or Path(__file__).resolve().parent.parent)
BUILT = ROOT / "var" / "build-asan" / "tests"


def unit_programs():
    if not BUILT.is_dir():
        return []
    return sorted(p for p in BUILT.glob("test_*")
                  if p.suffix == "" and p.is_file() and os.access(p, os.X_OK))


@pytest.mark.parametrize("program", unit_programs(), ids=lambda p: p.name)
def test_unit_program(program):
    run = subprocess.run([str(program)], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, timeout=300)
    assert run.returncode == 0, (
        f"{program.name} exited with {run.returncode}:\n{run.stdout}")
