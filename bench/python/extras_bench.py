# The bench/deferExtras.ts cases on Twisted 22.4 / CPython, for docs/performance.md.
# Run: /usr/bin/python3 bench/python/extras_bench.py [--json]
# Median of 5 runs (gc collected before each), ns per operation, as twisted_bench.py does.
# As in bench/deferExtras.ts, the fired inputs of DeferredList/gatherResults are made once, outside
# the timed region (a DeferredList passes each input's result on, so they can be reused).

from twisted.internet import defer
from twisted.internet.defer import (
    Deferred,
    DeferredList,
    DeferredLock,
    DeferredQueue,
    gatherResults,
    inlineCallbacks,
    succeed,
)

from pybench import run_cases

N = 100_000

FIRED = [succeed(i) for i in range(N)]
EXPECTED_SUM = N * (N - 1) // 2


def deferred_list_fired():
    dl = DeferredList(FIRED)
    assert len(dl.result) == N


def gather_results_fired():
    d = gatherResults(FIRED)
    assert d.result[N - 1] == N - 1


def deferred_list_pending():
    ds = [Deferred() for _ in range(N)]
    dl = DeferredList(ds)
    for i, d in enumerate(ds):
        d.callback(i)
    assert len(dl.result) == N


@inlineCallbacks
def _icb_fired(n):
    total = 0
    for i in range(n):
        total += yield succeed(i)
    return total


def icb_fired():
    assert _icb_fired(N).result == EXPECTED_SUM


@inlineCallbacks
def _icb_plain(n):
    total = 0
    for i in range(n):
        total += yield i
    return total


def icb_plain():
    assert _icb_plain(N).result == EXPECTED_SUM


def _plain_gen(n):
    total = 0
    for i in range(n):
        total += yield i
    return total


def bare_generator():
    g = _plain_gen(N)
    v = g.send(None)
    try:
        while True:
            v = g.send(v)
    except StopIteration as e:
        assert e.value == EXPECTED_SUM


def lock_run_uncontended():
    # Contended (N runs queued behind a held lock) overflows Python's stack at about 120
    # waiters in Twisted 22.4 (release -> callback -> run -> release recursion), so this
    # measures run() on a free lock instead.
    lock = DeferredLock()
    count = [0]

    def f():
        count[0] += 1

    for _ in range(N):
        lock.run(f)
    assert count[0] == N and not lock.locked


def lock_run_contended_100():
    # The largest contended case Twisted survives: 100 runs queued behind a held lock, repeated.
    count = [0]

    def f():
        count[0] += 1

    for _ in range(N // 100):
        lock = DeferredLock()
        lock.acquire()
        for _ in range(100):
            lock.run(f)
        lock.release()
    assert count[0] == N


def queue_put_then_get():
    q = DeferredQueue()
    for i in range(N):
        q.put(i)
    last = None
    for _ in range(N):
        last = q.get().result
    assert last == N - 1


def queue_get_then_put():
    q = DeferredQueue()
    total = [0]

    def add(v):
        total[0] += v

    for i in range(N):
        q.get().addCallback(add)
        q.put(i)
    assert total[0] == EXPECTED_SUM


CASES = [
    ("DeferredList of 100,000 fired Deferreds", N, deferred_list_fired),
    ("gatherResults of 100,000 fired Deferreds", N, gather_results_fired),
    ("DeferredList of 100,000 pending, made and fired in the run", N, deferred_list_pending),
    ("inlineCallbacks: yield succeed(i), 100,000 times", N, icb_fired),
    ("inlineCallbacks: yield a plain value, 100,000 times", N, icb_plain),
    ("bare generator driven by send()", N, bare_generator),
    ("DeferredLock.run(f) on a free lock, 100,000 times", N, lock_run_uncontended),
    ("DeferredLock: 100 runs queued then released (x1,000)", N, lock_run_contended_100),
    ("DeferredQueue: 100,000 puts then 100,000 gets", N, queue_put_then_get),
    ("DeferredQueue: get then put, 100,000 times", N, queue_get_then_put),
]


def main():
    run_cases(CASES, width=58)


if __name__ == "__main__":
    main()
