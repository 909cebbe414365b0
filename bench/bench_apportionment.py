"""Benchmark of allocation.apportionment at province scale, and against the PyPI package `apportionment`.

Run from the project root (the module is pure Python, so any Python 3.11 will do):

    .venv/bin/python bench/bench_apportionment.py

The comparison with PyPI `apportionment` 1.0 (which brings numpy) runs only where that package can be imported.
Keep it out of the project's requirements and virtualenv; use a throwaway one:

    python3 -m venv /tmp/apportionment-venv && /tmp/apportionment-venv/bin/pip install apportionment==1.0
    /tmp/apportionment-venv/bin/python bench/bench_apportionment.py

(or `.venv/bin/pip install apportionment==1.0 && .venv/bin/python bench/bench_apportionment.py`, then uninstall).
Without it, that comparison is skipped with a note. Prints one JSON document; exits 1 if the two disagree.

What is measured: `apportion` over 3,000 areas with seeded random weights shaped like county populations
(20,000 to 2,000,000) and a total of 1,000,000, median of several runs per method, with and without bounds
(target: 20 ms each); then both implementations on the same 3,000 areas and 10,000 seats (target for the
divisor methods: at least 100 times faster).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from allocation.apportionment import METHODS, apportion  # noqa: E402

TARGET_MS = 20.0
TARGET_SPEEDUP = 100.0
PYPI_NAMES = {
    "largest_remainder": "largest_remainder",
    "dhondt": "dhondt",
    "sainte_lague": "saintelague",
    "huntington_hill": "huntington",
}


def median_ms(call: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median wall time of `runs` calls, in milliseconds, and the last result."""
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 3), result


def bench_ours(weights: list[int], total: int, runs: int) -> dict[str, dict[str, object]]:
    count = len(weights)
    # Bounds that bite: every area at least 100, a tenth of them capped near a third of their share.
    floors = [100] * count
    ideal = [total * weight / sum(weights) for weight in weights]
    caps = [int(ideal[i] / 3) + 100 if i % 10 == 0 else None for i in range(count)]
    report: dict[str, dict[str, object]] = {}
    for method in METHODS:
        plain_ms, plain = median_ms(lambda method=method: apportion(weights, total, method), runs)
        bounded_ms, bounded = median_ms(lambda method=method: apportion(weights, total, method, floors, caps), runs)
        assert sum(plain) == total and sum(bounded) == total  # type: ignore[arg-type]
        report[method] = {
            "median_ms": plain_ms,
            "bounded_median_ms": bounded_ms,
            "meets_target": plain_ms <= TARGET_MS and bounded_ms <= TARGET_MS,
        }
    return report


def bench_pypi(weights: list[int], seats: int, runs: int, pypi_runs: int) -> dict[str, object]:
    try:
        from importlib.metadata import version

        from apportionment import methods as pypi
    except ImportError as error:
        return {"available": False, "note": f"PyPI apportionment not importable ({error}); comparison skipped"}
    parties = [f"area{i}" for i in range(len(weights))]
    report: dict[str, object] = {"available": True, "version": version("apportionment"), "seats": seats}
    agree = True
    for method, pypi_name in PYPI_NAMES.items():
        ours_ms, ours = median_ms(lambda method=method: apportion(weights, seats, method), runs)
        theirs_ms, theirs = median_ms(
            lambda name=pypi_name: pypi.compute(name, weights, seats, parties=parties, verbose=False), pypi_runs
        )
        same = list(ours) == [int(x) for x in theirs]  # type: ignore[union-attr, attr-defined]
        agree = agree and same
        speedup = round(theirs_ms / ours_ms, 1) if ours_ms else None
        entry: dict[str, object] = {
            "ours_ms": ours_ms,
            "pypi_ms": theirs_ms,
            "speedup": speedup,
            "same_seats": same,
        }
        if method != "largest_remainder":
            entry["meets_target_speedup"] = speedup is not None and speedup >= TARGET_SPEEDUP
        report[method] = entry
    report["all_same_seats"] = agree
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=3000)
    parser.add_argument("--total", type=int, default=1_000_000)
    parser.add_argument("--pypi-seats", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--pypi-runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    arguments = parser.parse_args()

    rng = random.Random(arguments.seed)
    weights = [rng.randint(20_000, 2_000_000) for _ in range(arguments.areas)]
    result = {
        "python": platform.python_version(),
        "areas": arguments.areas,
        "total": arguments.total,
        "seed": arguments.seed,
        "runs": arguments.runs,
        "target_ms": TARGET_MS,
        "methods": bench_ours(weights, arguments.total, arguments.runs),
        "pypi": bench_pypi(weights, arguments.pypi_seats, arguments.runs, arguments.pypi_runs),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    pypi = result["pypi"]
    return 1 if isinstance(pypi, dict) and pypi.get("available") and not pypi["all_same_seats"] else 0


if __name__ == "__main__":
    sys.exit(main())
