"""The cases of bench/defer.ts on Twisted 22.4 / CPython, for docs/performance.md.

Run: /usr/bin/python3 bench/python/defer_bench.py
Each case prints ns per operation (median of 5 runs, gc collected before each run) beside a
plain Python array-of-functions loop measured in the same run.
"""

import sys

from twisted.internet import defer
from twisted.internet.defer import Deferred, succeed

from pybench import banner, measure


def inc(x):
    return x + 1


def fired_chain(n):
    def run():
        d = succeed(0)
        for _ in range(n):
            d.addCallback(inc)
        assert d.result == n
    return run


def unfired_chain(n):
    def run():
        d = Deferred()
        for _ in range(n):
            d.addCallback(inc)
        d.callback(0)
        assert d.result == n
    return run


def plain_push_and_call(n):
    def run():
        fns = []
        for _ in range(n):
            fns.append(inc)
        v = 0
        for f in fns:
            v = f(v)
        assert v == n
    return run


def nested(n):
    def run():
        ds = [Deferred() for _ in range(n)]
        for i in range(n - 1):
            ds[i].addCallback(lambda _, nxt=ds[i + 1]: nxt)
        for i in range(n - 1):
            ds[i].callback(0)
        ds[n - 1].callback(1)
        assert ds[0].result == 1
    return run


def plain_nested(n):
    def run():
        fns = [lambda x: x for _ in range(n)]
        v = 1
        for i in range(n - 1, -1, -1):
            v = fns[i](v)
        assert v == 1
    return run


def boom(_):
    raise ValueError("boom")


def recover(_):
    return 1


def throw_recover(n):
    def run():
        d = Deferred()
        for _ in range(0, n, 2):
            d.addCallback(boom)
            d.addErrback(recover)
        d.callback(0)
        assert d.result == 1
    return run


def plain_throw_recover(n):
    def run():
        v = 0
        for _ in range(0, n, 2):
            try:
                v = boom(v)
            except ValueError:
                v = recover(v)
        assert v == 1
    return run


def main():
    print(banner())
    # Twisted's chainDeferred and deep nesting recurse: give them room for the largest cases.
    sys.setrecursionlimit(100000)
    cases = [
        ("100,000 addCallback on a fired Deferred (per callback)", 100000, fired_chain, plain_push_and_call),
        ("100,000 callbacks added, then callback() (per callback)", 100000, unfired_chain, plain_push_and_call),
        ("10,000 nested chained Deferreds (per level)", 10000, nested, plain_nested),
        ("alternating raise/recover chain, 1,000 steps (per step)", 1000, throw_recover, plain_throw_recover),
        ("alternating raise/recover chain, 10,000 steps (per step)", 10000, throw_recover, plain_throw_recover),
        ("alternating raise/recover chain, 100,000 steps (per step)", 100000, throw_recover, plain_throw_recover),
    ]
    for title, n, subject, baseline in cases:
        s = measure(subject(n), n)[0]
        b = measure(baseline(n), n)[0]
        print(f"{title}\n  Twisted {s:10.1f} ns/op   plain loop {b:8.1f} ns/op   Twisted/plain = {s / b:.1f}x")


if __name__ == "__main__":
    main()
