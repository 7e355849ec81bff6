"""`python -m bench.run NAME` runs exactly the benchmark of that name: `bench_import` once matched
`bench_import_recurring` too, and each child process then started `bench.run bench_import` again."""

import subprocess
import sys

import pytest

from bench.run import UnknownBenchmark, benchmark_names


def test_a_name_selects_exactly_that_benchmark():
    assert benchmark_names(["bench_import"]) == ["bench_import"]
    assert "bench_import_recurring" in benchmark_names()


def test_an_unknown_name_is_refused_with_the_names_that_exist():
    with pytest.raises(UnknownBenchmark) as refused:
        benchmark_names(["bench_imp"])
    assert "unknown benchmark bench_imp; there are: " in str(refused.value)
    assert "bench_import_recurring" in str(refused.value)


def test_the_command_says_which_names_exist_and_starts_nothing():
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "bench_imp"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 1
    assert "there are: " in done.stderr
