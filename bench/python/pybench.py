"""Shared timing for the Twisted/CPython benchmarks (the method of docs/performance.md).

Each figure is the median of `runs` runs of time.perf_counter_ns, with gc collected before each
run, divided by the operation count. Imported by the *_bench.py scripts beside this file.
"""
import gc
import platform
import statistics
import time


def measure(fn, ops, runs=5):
    """Return (median, min, max) nanoseconds per operation of `fn()`, which performs `ops` operations."""
    samples = []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - t0) / ops)
    return statistics.median(samples), min(samples), max(samples)


def banner(runs=5):
    """The first line of every script's output: what was measured on."""
    import twisted

    return f"Twisted {twisted.__version__}, CPython {platform.python_version()}; ns per operation, median of {runs} runs"


def run_cases(cases, width=58):
    """Measure each (name, ops, fn) case and print it, or print JSON when --json is given."""
    import json
    import sys

    results = []
    for name, ops, fn in cases:
        med, lo, hi = measure(fn, ops)
        results.append({"case": name, "ops": ops, "median_ns": med, "min_ns": lo, "max_ns": hi})
    if "--json" in sys.argv:
        print(json.dumps(results, indent=2))
        return
    print(banner())
    for r in results:
        print(f"  {r['case']:<{width}} {r['median_ns']:>10.1f} ns/op  (min {r['min_ns']:.1f}, max {r['max_ns']:.1f})")
