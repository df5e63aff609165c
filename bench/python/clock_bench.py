"""Twisted 22.4's task.Clock under CPython: the Clock cases of bench/reactor.ts.

Run with /usr/bin/python3 bench/python/clock_bench.py. Each figure is the median of 5 runs of
time.perf_counter_ns, gc collected before each run, divided by the operation count (the method
of docs/performance.md).
"""
import time

from twisted.internet.task import Clock

from pybench import banner, measure

sink = [0]


def tick():
    sink[0] += 1


def interleaved(n):
    """Case (f): callLater(1, f) then advance(1), n times."""
    def run():
        clock = Clock()
        for _ in range(n):
            clock.callLater(1, tick)
            clock.advance(1)
    return run


def bulk(n):
    """Case (f'): n callLater at scrambled distinct-ish times ((i * 7919) % n), then one advance."""
    def run():
        clock = Clock()
        for i in range(n):
            clock.callLater((i * 7919) % n, tick)
        clock.advance(n)
    return run


def plain(n):
    """Baseline: a list of functions, filled then run."""
    def run():
        fns = []
        for _ in range(n):
            fns.append(tick)
        for f in fns:
            f()
    return run


CASES = [
    ("Clock: callLater(1) + advance(1), 100,000 times (case f)", interleaved(100_000), 100_000),
    ("Clock: 2,000 callLater at scrambled times, then one advance (case f')", bulk(2_000), 2_000),
    ("Clock: 20,000 callLater at scrambled times, then one advance (case f')", bulk(20_000), 20_000),
    ("plain list of functions, append then run, 100,000", plain(100_000), 100_000),
]


def main():
    print(banner())
    for name, fn, ops in CASES:
        runs = 1 if ops == 20_000 else 5  # the quadratic case takes minutes per run
        med, lo, hi = measure(fn, ops, runs)
        print(f"  {name:<72} {med:>12,.0f} ns/op  (min {lo:,.0f}, max {hi:,.0f}, {runs} run{'s' if runs > 1 else ''})")


if __name__ == "__main__":
    main()
