#!/usr/bin/env python3
"""Benchmark: ``consolidate`` of a host sheltering 4 foundations of 25k transactions each.

SPEC 8's target: on 2 cores, within 2.5× the bare Beancount load (no cache) of the largest
foundation alone.  The four foundations are ``bench/generate.py``'s synthetic ledgers (seeds
8 to 11, so each differs), the host a small file naming them; every run is a fresh process
with Beancount's load cache off (``BEANCOUNT_DISABLE_LOAD_CACHE=1``), the two measures
interleaved, medians of ``--repeat`` runs.  Not a test: run it by hand, or through
``bench/run.py`` (one row of its table).

    .venv/bin/python bench/bench_consolidate.py [--size 25k] [--count 4] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

BIN = Path(sys.executable).parent
FUNDLEDGER = str(BIN / "fundledger")
BARE_LOAD = "import sys; from beancount import loader; loader.load_file(sys.argv[1])"
TARGET = 2.5


def write_group(size: str, count: int, directory: Path) -> tuple[Path, Path]:
    """The foundations' books and the host's file; returns (host, largest bare ledger)."""
    n = generate.parse_size(size)
    lines = ['option "title" "Fondation abritante (benchmark)"',
             'plugin "fundledger.plugins.funds"', ""]
    largest: tuple[int, Path] | None = None
    for index in range(count):
        folder = directory / f"f{index + 1}"
        generate.write(n, folder, seed=8 + index)
        bare = folder / "bare.beancount"
        if largest is None or bare.stat().st_size > largest[0]:
            largest = (bare.stat().st_size, bare)
        lines.append(f'2019-01-01 custom "sheltered" "f{index + 1}" '
                     f'"f{index + 1}/fund.beancount" "Fondation {index + 1}"')
    host = directory / "host.beancount"
    host.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert largest is not None
    return host, largest[1]


def timed(argv: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (the process and the workers it waited for), exit status."""
    env = dict(os.environ, BEANCOUNT_DISABLE_LOAD_CACHE="1")
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env=env)
    _pid, status, usage = os.wait4(child.pid, 0)
    return (time.perf_counter() - start, usage.ru_utime + usage.ru_stime,
            os.waitstatus_to_exitcode(status))


def run(size: str = "25k", count: int = 4, repeat: int = 3
        ) -> tuple[float, float, float, float]:
    """Medians of (consolidate wall, bare load wall, consolidate CPU, bare load CPU)."""
    directory = HERE / "ledgers" / f"sheltered-{count}x{size}"
    host, bare = write_group(size, count, directory)
    samples: list[tuple[float, float, float, float]] = []
    for _ in range(repeat):
        wall, cpu, status = timed([FUNDLEDGER, "consolidate", str(host)])
        if status not in (0, 1):
            raise SystemExit(f"consolidate failed with exit {status}")
        base_wall, base_cpu, _status = timed([sys.executable, "-c", BARE_LOAD, str(bare)])
        samples.append((wall, base_wall, cpu, base_cpu))
    return tuple(statistics.median(s[i] for s in samples) for i in range(4))  # type: ignore


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="25k")
    parser.add_argument("--count", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    ours, base, cpu, base_cpu = run(args.size, args.count, args.repeat)
    ratio = ours / base
    cores = os.cpu_count() or 1
    print(f"consolidate of {args.count} × {args.size}: {ours:.2f} s; bare load of the "
          f"largest: {base:.2f} s; ratio {ratio:.2f}× (target ≤ {TARGET}×, {cores} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}): {'ok' if ratio <= TARGET else 'MISSED'}")
    print(f"CPU: consolidate {cpu:.2f} s in all, the bare load {base_cpu:.2f} s; on "
          f"{min(cores, args.count)} free cores that is {cpu / min(cores, args.count):.2f} s "
          f"of wall time, {cpu / min(cores, args.count) / base_cpu:.2f}× the bare load")
    return 0


if __name__ == "__main__":
    sys.exit(main())
