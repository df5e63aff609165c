"""Shared timing for the Twisted/CPython benchmarks (the method of twisted.md section 11).

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
