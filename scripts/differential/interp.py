# The differential harness's interpreter on Twisted 22.4: the same interpreter as interp.ts (keep
# the two line for line alike). Reads one JSON program per line on stdin ({"id": n, "ops": [...]}),
# writes one JSON line per program on stdout ({"id": n, "trace": [...]}). See docs/differential.md.
import json
import sys

from twisted.internet import defer, task
from twisted.logger import globalLogBeginner
from twisted.python import failure, log

MAX_STEPS = 300


class E1(Exception):
    pass


class E2(Exception):
    pass


class Budget(Exception):
    pass


ERRORS = {'E1': E1, 'E2': E2}


def err_name(e):
    if isinstance(e, failure.Failure):
        return err_name(e.value)
    return type(e).__name__


def num(x):
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


class Run:
    def __init__(self):
        self.D = []
        self.C = []
        self.L = []
        self.K = []
        self.trace = []
        self.clock = task.Clock()
        self.steps = 0

    def desc(self, x):
        if x is None:
            return None
        if isinstance(x, bool):
            return x
        if isinstance(x, (int, float)):
            return num(x)
        if isinstance(x, str):
            return x
        if isinstance(x, failure.Failure):
            return ['F', x.type.__name__]
        if isinstance(x, defer.Deferred):
            for i, d in enumerate(self.D):
                if d is x:
                    return ['D', i]
            return ['D', '?']
        if isinstance(x, task.LoopingCall):
            for i, l in enumerate(self.L):
                if l is x:
                    return ['L', i]
            return ['L', '?']
        if isinstance(x, (defer.DeferredLock, defer.DeferredSemaphore, defer.DeferredQueue)):
            for i, p in enumerate(self.K):
                if p is x:
                    return ['K', i]
            return ['K', '?']
        if isinstance(x, (list, tuple)):
            return [self.desc(y) for y in x]
        return ['?', type(x).__name__]

    def getD(self, i):
        return self.D[i] if i < len(self.D) else None

    def getK(self, k):
        return self.K[k] if k < len(self.K) else None

    def lockK(self, k):
        p = self.getK(k)
        return None if isinstance(p, defer.DeferredQueue) else p

    def queueK(self, k):
        p = self.getK(k)
        return p if isinstance(p, defer.DeferredQueue) else None

    def safe(self, tag, thunk):
        try:
            thunk()
        except Exception as e:
            self.trace.append(['x', 'f%d' % tag, err_name(e)])

    def making(self, tag, thunk):
        try:
            return thunk()
        except Exception as e:
            self.trace.append(['x', 'f%d' % tag, err_name(e)])
            return None

    def fn(self, spec):
        if spec[1] == 'passthru':
            return defer.passthru

        def f(*args):
            self.steps += 1
            if self.steps > MAX_STEPS:
                raise Budget()
            arg = args[0] if args else None
            ev = ['f', spec[0], self.desc(arg)]
            if len(args) > 1:
                ev.append(self.desc(list(args[1:])))
            self.trace.append(ev)
            return self.act(spec, arg)
        return f

    def act(self, spec, arg):
        tag = spec[0]
        k = spec[1]
        if k in ('pass', 'passthru'):
            return arg
        if k == 'val':
            return spec[2]
        if k == 'add':
            return arg + spec[2] if isinstance(arg, (int, float)) and not isinstance(arg, bool) else arg
        if k == 'raise':
            raise ERRORS[spec[2]]()
        if k == 'trap':
            if isinstance(arg, failure.Failure):
                arg.trap(ERRORS[spec[2]])
                return 'T'
            return arg
        if k == 'retD':
            d = self.getD(spec[2])
            return arg if d is None else d
        if k == 'fire':
            d = self.getD(spec[2])
            if d is not None:
                self.safe(tag, lambda: d.callback(spec[3]))
            return arg
        if k == 'efire':
            d = self.getD(spec[2])
            if d is not None:
                self.safe(tag, lambda: d.errback(ERRORS[spec[3]]()))
            return arg
        if k == 'cancel':
            d = self.getD(spec[2])
            if d is not None:
                self.safe(tag, lambda: d.cancel())
            return arg
        if k == 'pause':
            d = self.getD(spec[2])
            if d is not None:
                self.safe(tag, lambda: d.pause())
            return arg
        if k == 'unpause':
            d = self.getD(spec[2])
            if d is not None:
                self.safe(tag, lambda: d.unpause())
            return arg
        if k == 'lstop':
            l = self.L[spec[2]] if spec[2] < len(self.L) else None
            if l is not None:
                self.safe(tag, lambda: l.stop())
            return arg
        if k == 'dcancel':
            c = self.C[spec[2]] if spec[2] < len(self.C) else None
            if c is not None:
                self.safe(tag, lambda: c.cancel())
            return arg
        if k == 'dreset':
            c = self.C[spec[2]] if spec[2] < len(self.C) else None
            if c is not None:
                self.safe(tag, lambda: c.reset(spec[3]))
            return arg
        if k == 'advance':
            self.safe(tag, lambda: self.clock.advance(spec[2]))
            return arg
        if k == 'later':
            g = self.fn([spec[3], 'pass'])
            self.safe(tag, lambda: self.C.append(self.clock.callLater(spec[2], g)))
            return arg
        if k == 'selfcb':
            if isinstance(arg, defer.Deferred):
                self.safe(tag, lambda: arg.callback(spec[2]))
            return None
        if k == 'selfeb':
            if isinstance(arg, defer.Deferred):
                self.safe(tag, lambda: arg.errback(ERRORS[spec[2]]()))
            return None
        if k == 'release':
            p = self.lockK(spec[2])
            if p is not None:
                self.safe(tag, lambda: p.release())
            return arg
        if k == 'put':
            q = self.queueK(spec[2])
            if q is not None:
                self.safe(tag, lambda: q.put(spec[3]))
            return arg
        if k == 'acquire':
            p = self.lockK(spec[2])
            d = None if p is None else self.making(tag, lambda: p.acquire())
            return d if spec[3] and d is not None else arg
        if k == 'get':
            q = self.queueK(spec[2])
            d = None if q is None else self.making(tag, lambda: q.get())
            return d if spec[3] and d is not None else arg
        if k == 'run':
            p = self.lockK(spec[2])
            g = spec[3]
            d = None if p is None else self.making(tag, lambda: p.run(self.fn(g)))
            return d if spec[4] and d is not None else arg
        raise ValueError('unknown function kind %r' % (k,))

    def icgen(self, tag, steps, end):
        run = self

        def body():
            for st in steps:
                if st[0] == 'y':
                    target = run.getD(st[1])
                    try:
                        v = yield (-1 if target is None else target)
                        run.trace.append(['ic', tag, 'got', run.desc(v)])
                    except Exception as e:
                        run.trace.append(['ic', tag, 'exc', err_name(e)])
                        if not st[2]:
                            raise
                elif st[0] == 'v':
                    v = yield st[1]
                    run.trace.append(['ic', tag, 'got', run.desc(v)])
                else:
                    run.fn(st[1])(None)
            if end[0] == 'ret':
                return end[1]
            raise ERRORS[end[1]]()
        return defer.inlineCallbacks(body)()

    def ds(self, idxs):
        return [d for d in (self.getD(i) for i in idxs) if d is not None]

    def D_at(self, i):
        return self.D[i] if i < len(self.D) else None

    def exec(self, op):
        k = op[0]
        if k == 'new':
            return defer.Deferred(None if op[1] is None else self.fn(op[1]))
        if k == 'succeed':
            d = defer.Deferred()
            d.callback(op[1])
            return d
        if k == 'fail':
            d = defer.Deferred()
            d.errback(failure.Failure(ERRORS[op[1]]()))
            return d
        if k == 'cb':
            d = self.D_at(op[1])
            if d is not None:
                d.callback(op[2])
            return None
        if k == 'eb':
            d = self.D_at(op[1])
            if d is not None:
                d.errback(ERRORS[op[2]]())
            return None
        if k == 'add':
            d = self.D_at(op[1])
            if d is None:
                return None
            f = self.fn(op[3])
            args = op[4]
            if op[2] == 'cb':
                d.addCallback(f, *args)
            elif op[2] == 'eb':
                d.addErrback(f, *args)
            else:
                d.addBoth(f, *args)
            return None
        if k == 'cbs':
            d = self.D_at(op[1])
            if d is None:
                return None
            d.addCallbacks(self.fn(op[2]), None if op[3] is None else self.fn(op[3]),
                           callbackArgs=tuple(op[4]), errbackArgs=tuple(op[5]))
            return None
        if k in ('cancel', 'pause', 'unpause'):
            d = self.D_at(op[1])
            if d is not None:
                getattr(d, k)()
            return None
        if k == 'chain':
            a = self.D_at(op[1])
            b = self.D_at(op[2])
            if a is not None and b is not None:
                a.chainDeferred(b)
            return None
        if k == 'timeout':
            d = self.D_at(op[1])
            if d is not None:
                d.addTimeout(op[2], self.clock)
            return None
        if k == 'dl':
            return defer.DeferredList(self.ds(op[1]), fireOnOneCallback=op[2], fireOnOneErrback=op[3],
                                      consumeErrors=op[4])
        if k == 'gather':
            return defer.gatherResults(self.ds(op[1]), consumeErrors=op[2])
        if k == 'ic':
            return self.icgen(op[1], op[2], op[3])
        if k == 'later':
            return self.clock.callLater(op[1], self.fn(op[2]))
        if k in ('reset', 'delay', 'dcancel'):
            c = self.C[op[1]] if op[1] < len(self.C) else None
            if c is not None:
                if k == 'dcancel':
                    c.cancel()
                else:
                    getattr(c, k)(op[2])
            return None
        if k == 'advance':
            self.clock.advance(op[1])
            return None
        if k == 'lc':
            lc = task.LoopingCall(self.fn(op[1]))
            lc.clock = self.clock
            return lc
        if k == 'lstart':
            l = self.L[op[1]] if op[1] < len(self.L) else None
            return None if l is None else l.start(op[2], op[3])
        if k == 'lstop':
            l = self.L[op[1]] if op[1] < len(self.L) else None
            if l is not None:
                l.stop()
            return None
        if k == 'lock':
            return defer.DeferredLock()
        if k == 'sem':
            return defer.DeferredSemaphore(op[1])
        if k == 'queue':
            return defer.DeferredQueue(op[1], op[2])
        if k == 'acquire':
            p = self.lockK(op[1])
            return None if p is None else p.acquire()
        if k == 'release':
            p = self.lockK(op[1])
            if p is not None:
                p.release()
            return None
        if k == 'run':
            p = self.lockK(op[1])
            return None if p is None else p.run(self.fn(op[2]), *op[3])
        if k == 'put':
            q = self.queueK(op[1])
            if q is not None:
                q.put(op[2])
            return None
        if k == 'get':
            q = self.queueK(op[1])
            return None if q is None else q.get()
        if k == 'nop':
            return None
        raise ValueError('unknown op %r' % (k,))

    def run(self, ops):
        for i, op in enumerate(ops):
            slot = slot_of(op)
            try:
                made = self.exec(op)
            except Exception as e:
                self.trace.append(['x', i, err_name(e)])
                made = None
            if slot == 'D':
                self.D.append(made)
            elif slot == 'C':
                self.C.append(made)
            elif slot == 'L':
                self.L.append(made)
            elif slot == 'K':
                self.K.append(made)
        ds = []
        for d in self.D:
            if d is None:
                ds.append(None)
                continue
            info = d._debugInfo
            unhandled = None
            if info is not None and info.failResult is not None:
                unhandled = self.desc(info.failResult)
                # Nothing is left for the garbage collector to report.
                info.failResult = None
            ds.append([bool(d.called), d.paused, self.desc(getattr(d, 'result', None)), unhandled])
        cs = [None if c is None else [bool(c.active()), bool(c.called), bool(c.cancelled),
                                      num(c.getTime()) if c.active() else None] for c in self.C]
        ls = [None if l is None else [bool(l.running)] for l in self.L]
        ks = [None if p is None else self.prim_state(p) for p in self.K]
        self.trace.append(['end', num(self.clock.seconds()), ds, cs, ls, ks])
        return self.trace

    def prim_state(self, p):
        if isinstance(p, defer.DeferredLock):
            return ['lock', bool(p.locked), len(p.waiting)]
        if isinstance(p, defer.DeferredSemaphore):
            return ['sem', p.tokens, len(p.waiting)]
        return ['queue', self.desc(p.pending), len(p.waiting)]


def slot_of(op):
    k = op[0]
    if k in ('new', 'succeed', 'fail', 'dl', 'gather', 'ic', 'lstart', 'acquire', 'run', 'get'):
        return 'D'
    if k == 'later':
        return 'C'
    if k == 'lc':
        return 'L'
    if k in ('lock', 'sem', 'queue'):
        return 'K'
    if k == 'nop':
        return op[1]
    return None


CURRENT = [None]


def observer(event):
    run = CURRENT[0]
    if run is None or not event.get('isError'):
        return
    why = event.get('why')
    text = '%s %s' % (why, event.get('log_format'))
    # Unhandled-error reports come when the garbage collector runs: not comparable.
    # (two events: a critical line, then the failure with a debugInfo field).
    if 'Unhandled error in Deferred' in text or 'debugInfo' in event:
        return
    f = event.get('failure')
    run.trace.append(['log', why, None if f is None else err_name(f)])


def run_program(ops):
    run = Run()
    CURRENT[0] = run
    try:
        return run.run(ops)
    except Exception as e:
        run.trace.append(['crash', err_name(e), str(e)])
        return run.trace
    finally:
        CURRENT[0] = None


def main():
    # No buffering of log events (Twisted keeps up to 65536 until logging begins): memory stays flat.
    globalLogBeginner.beginLoggingTo([], discardBuffer=True, redirectStandardIO=False)
    log.addObserver(observer)
    out = sys.stdout
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        msg = json.loads(line)
        trace = run_program(msg['ops'])
        out.write(json.dumps({'id': msg['id'], 'trace': trace}, separators=(',', ':')))
        out.write('\n')
        if msg.get('flush'):
            out.flush()


if __name__ == '__main__':
    main()
