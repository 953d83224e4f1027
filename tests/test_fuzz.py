"""Runs each libFuzzer target (tests/fuzz/fuzz_*.c, built by `make test`
into var/build-fuzz/) for a few seconds from the seeds: a crash, a
sanitizer report or a leak fails the test, and so does a target that was
not built (the list comes from the sources). `make fuzz` runs them longer."""

import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("REGISTRY_ROOT") or Path(__file__).resolve().parent.parent)
BUILT = ROOT / "var" / "build-fuzz"
SECONDS = int(os.environ.get("FUZZ_TEST_SECONDS", "8"))
SOURCES = sorted((ROOT / "tests" / "fuzz").glob("fuzz_*.c"))


def test_fuzz_sources_exist():
    assert SOURCES, "no tests/fuzz/fuzz_*.c found"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_fuzz_target(source):
    target = BUILT / source.stem
    assert target.is_file() and os.access(target, os.X_OK), (
        f"{target} was not built (make fuzz-build)")
    with tempfile.TemporaryDirectory() as corpus:
        run = subprocess.run(
            [str(target), f"-max_total_time={SECONDS}", "-max_len=4096",
             f"-artifact_prefix={corpus}/", corpus,
             str(ROOT / "tests" / "fuzz" / "seeds")],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            timeout=SECONDS + 120)
    assert run.returncode == 0, run.stdout[-4000:]
    # a target that ran nothing (it exits 0 at once) tested nothing
    done = re.findall(r"Done (\d+) runs", run.stdout)
    assert done and int(done[-1]) > 0, run.stdout[-4000:]
