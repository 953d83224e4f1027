"""Runs each libFuzzer target (tests/fuzz/fuzz_*.c, built by `make test`
into var/build-fuzz/) for a few seconds from the seeds: a crash, a
sanitizer report or a leak fails the test. `make fuzz` runs them longer."""

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("REGISTRY_ROOT") or Path(__file__).resolve().parent.parent)
BUILT = ROOT / "var" / "build-fuzz"
SECONDS = int(os.environ.get("FUZZ_TEST_SECONDS", "8"))


def targets():
    if not BUILT.is_dir():
        return []
    return sorted(p for p in BUILT.glob("fuzz_*")
                  if p.is_file() and os.access(p, os.X_OK))


@pytest.mark.parametrize("target", targets(), ids=lambda p: p.name)
def test_fuzz_target(target):
    with tempfile.TemporaryDirectory() as corpus:
        run = subprocess.run(
            [str(target), f"-max_total_time={SECONDS}", "-max_len=4096",
             f"-artifact_prefix={corpus}/", corpus,
             str(ROOT / "tests" / "fuzz" / "seeds")],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            timeout=SECONDS + 120)
    assert run.returncode == 0, run.stdout[-4000:]
