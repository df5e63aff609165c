# The bench/task.ts cases on Twisted 22.4 / CPython, for docs/performance.md.
# Run: /usr/bin/python3 bench/python/task_bench.py [--json]
# Median of 5 runs (gc collected before each), ns per operation, as twisted_bench.py does.

from twisted.internet import task

from pybench import run_cases

TICKS = 100_000
STEPS = 100_000

sink = 0


def work():
    global sink
    sink += 1


def looping_call_ticks():
    clock = task.Clock()
    lc = task.LoopingCall(work)
    lc.clock = clock
    lc.start(1, now=False)
    for _ in range(TICKS):
        clock.advance(1)
    lc.stop()


def clock_rearm():
    clock = task.Clock()

    def tick():
        work()
        clock.callLater(1, tick)

    clock.callLater(1, tick)
    for _ in range(TICKS):
        clock.advance(1)


def plain_calls():
    for _ in range(TICKS):
        work()


def steps(n):
    global sink
    for _ in range(n):
        sink += 1
        yield None


class _Call:
    def cancel(self):
        pass


def coiterate_stepped():
    pending = []

    def scheduler(f):
        pending.append(f)
        return _Call()

    coop = task.Cooperator(scheduler=scheduler)
    done = []
    coop.coiterate(steps(STEPS)).addCallback(done.append)
    i = 0
    while i < len(pending):
        pending[i]()
        i += 1
    assert done


def coiterate_no_clock():
    pending = []

    def scheduler(f):
        pending.append(f)
        return _Call()

    coop = task.Cooperator(scheduler=scheduler, terminationPredicateFactory=lambda: lambda: False)
    coop.coiterate(steps(STEPS))
    i = 0
    while i < len(pending):
        pending[i]()
        i += 1


def plain_generator():
    for _ in steps(STEPS):
        pass


CASES = [
    ("LoopingCall.start(1) + Clock.advance(1)", TICKS, looping_call_ticks),
    ("callLater(1) re-arming itself + advance(1)", TICKS, clock_rearm),
    ("plain function call", TICKS, plain_calls),
    ("Cooperator.coiterate (default 10 ms slices)", STEPS, coiterate_stepped),
    ("Cooperator.coiterate, predicate never true", STEPS, coiterate_no_clock),
    ("for-of over the same generator (for loop)", STEPS, plain_generator),
]


def main():
    run_cases(CASES, width=48)


if __name__ == "__main__":
    main()
