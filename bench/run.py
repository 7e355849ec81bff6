"""`make bench`: runs every bench/bench_*.py module and assembles BENCHMARKS.md.

Each module has run() -> str (a Markdown section) and writes nothing else
outside bench/results/. Each runs in a process of its own with a PostgreSQL
database of its own (netzwerktimer_bench_<name>, created when missing);
BENCH_DATABASE_URL overrides that for a single benchmark.
"""

import datetime
import importlib
import os
import pkgutil
import platform
import subprocess
import sys
import time
from pathlib import Path

import bench

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def machine_description():
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem_gib:.0f} GiB RAM, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {pg or 'psql not found'}"
    )


def reference_loop_seconds():
    """A 10M-iteration Python loop: machines here differ up to 3x, this makes figures comparable."""
    start = time.perf_counter()
    for _ in range(10_000_000):
        pass
    return time.perf_counter() - start


class UnknownBenchmark(ValueError):
    pass


def benchmark_names(selected=None):
    """The benchmarks to run: all, or exactly the ones named (`bench_import` is not `bench_import_recurring`)."""
    available = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    if not selected:
        return available
    unknown = [name for name in selected if name not in available]
    if unknown:
        raise UnknownBenchmark(f"unknown benchmark {', '.join(unknown)}; there are: {', '.join(available)}")
    return list(dict.fromkeys(selected))


def main(selected=None):
    RESULTS.mkdir(parents=True, exist_ok=True)
    try:
        names = benchmark_names(selected)
    except UnknownBenchmark as exc:
        sys.exit(str(exc))
    if len(names) == 1:
        print(f"== {names[0]}", flush=True)
        section = importlib.import_module(f"bench.{names[0]}").run().rstrip()
        loop = reference_loop_seconds()
        section += (
            f"\n\nReference for this run: a 10M-iteration Python loop took {loop:.2f} s "
            f"({datetime.date.today():%d.%m.%Y}).\n"
        )
        (RESULTS / f"{names[0]}.md").write_text(section)
    else:
        # Django is set up once per process, on one database: one process per benchmark, each named
        # exactly, so that a child runs its one benchmark and never starts another process.
        for name in names:
            subprocess.run([sys.executable, "-m", "bench.run", name], cwd=ROOT, check=True)
    print(write_benchmarks_md())


def write_benchmarks_md():
    """BENCHMARKS.md from every section in bench/results/ (benchmarks and the load test)."""
    sections = [p.read_text().strip() for p in sorted(RESULTS.glob("*.md"))]
    text = (
        "# Benchmarks\n\n"
        "Run with `make bench` (all benchmarks), `python -m bench.run NAME` (one) and `make loadtest`.\n"
        "Each section names the machine and the date it was measured on.\n\n"
        f"Machine of the last run: {machine_description()}.\n\n" + "\n\n".join(sections) + "\n"
    )
    (ROOT / "BENCHMARKS.md").write_text(text)
    return text


if __name__ == "__main__":
    main(sys.argv[1:])
