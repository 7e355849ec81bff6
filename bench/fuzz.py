"""`make fuzz`: the importer's hypothesis targets (tests/importer/fuzzing.py) with 100,000 examples.

Reports the number of examples run, the slowest example (seconds, target, input) and every
exception (a broken property is an AssertionError). Exits 1 on any exception. The whole inputs of
the slowest example and of each exception are kept in tests/artifacts/fuzz/ to reproduce them.
Usage: python -m bench.fuzz [TOTAL]   (default 100000, shared by the targets as below)
"""

import os
import pathlib
import sys
import time
import traceback

SHARES = {"ics-mutated": 0.3, "ics-random": 0.1, "jsonld": 0.1, "jsonld-linked": 0.15, "recurrence": 0.35}


# Whole inputs of the exceptions and of the slowest example, to reproduce them (gitignored).
KEPT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "artifacts" / "fuzz"


def _keep(name, value):
    KEPT.mkdir(parents=True, exist_ok=True)
    (KEPT / f"{name}.repr").write_text(repr(value), encoding="utf-8")


def main(total=100_000):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netzwerktimer.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("SECRET_KEY", "fuzz")
    import django

    django.setup()
    from hypothesis import given, settings

    from bench.run import reference_loop_seconds
    from tests.importer import fuzzing

    count = 0
    slowest = (0.0, "", "")
    exceptions = []
    started = time.perf_counter()

    def runner(name, strategy, check, examples):
        @settings(fuzzing.PROFILE, max_examples=examples)
        @given(value=strategy)
        def run(value):
            nonlocal count, slowest
            count += 1
            began = time.perf_counter()
            try:
                check(value)
            except Exception as exc:  # report, do not stop: the count and the slowest still matter
                exceptions.append((name, repr(value)[:300], "".join(traceback.format_exception_only(exc)).strip()))
                _keep(f"exception-{len(exceptions)}-{name}", value)
            took = time.perf_counter() - began
            if took > slowest[0]:
                slowest = (took, name, repr(value)[:300])
                _keep("slowest", value)

        return run

    for name, (strategy, check) in fuzzing.TARGETS.items():
        run = runner(name, strategy, check, int(total * SHARES[name]))
        before = count
        target_started = time.perf_counter()
        run()
        print(f"{name}: {count - before} examples in {time.perf_counter() - target_started:.0f} s", flush=True)
    print(f"examples: {count} in {time.perf_counter() - started:.0f} s")
    print(f"slowest: {slowest[0]:.3f} s ({slowest[1]}) {slowest[2]}")
    print(f"exceptions: {len(exceptions)}")
    print(f"reference: a 10M-iteration Python loop took {reference_loop_seconds():.2f} s")
    for name, value, error in exceptions[:50]:
        print(f"  [{name}] {error}\n    input: {value}")
    return 1 if exceptions else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
