// The exact execution orders observed on Stackless 3.7.5,
// reproduced verbatim.
import { expect } from 'chai';
import { channel, getmain, getruncount, run, schedule, scheduleRemove, tasklet, type Channel, type Tasklet } from '../../lib/tasklets/index.js';
import { cleanScheduler, withForcedYields } from './helpers.js';

withForcedYields('tasklets traces (scheduler)', function () {
  cleanScheduler();
  let log: string[];
  beforeEach(function () {
    log = [];
  });
  const w = (name: string) => async () => {
    for (let i = 0; i < 2; i++) {
      log.push(`${name}${i}`);
      await schedule();
    }
    log.push(`${name}-end`);
  };
  const w$ = (name: string) => async () => {
    for (let i = 0; i < 2; i++) {
      log.push(`${name}${i}`);
      await schedule();
    }
    log.push(`${name}$`);
  };

  it('main calls run(): A0 B0 C0 A1 B1 C1 A-end B-end C-end (runcount 4 before)', async function () {
    tasklet(w('A')).setup();
    tasklet(w('B')).setup();
    tasklet(w('C')).setup();
    expect(getruncount()).to.equal(4);
    await run();
    expect(log.join(' ')).to.equal('A0 B0 C0 A1 B1 C1 A-end B-end C-end');
  });

  it('main schedules between its own steps: main-a A0 B0 C0 main-b A1 B1 C1 main-c A-end B-end C-end main-d main-e', async function () {
    tasklet(w('A')).setup();
    tasklet(w('B')).setup();
    tasklet(w('C')).setup();
    for (const step of ['a', 'b', 'c', 'd']) {
      log.push(`main-${step}`);
      await schedule();
    }
    log.push('main-e');
    expect(log.join(' ')).to.equal('main-a A0 B0 C0 main-b A1 B1 C1 main-c A-end B-end C-end main-d main-e');
    expect(getruncount()).to.equal(1);
  });

  function abc(): Tasklet[] {
    return [tasklet(w$('a')).setup(), tasklet(w$('b')).setup(), tasklet(w$('c')).setup()];
  }

  it('t1.run() then run(): M>run a0 b0 c0 M<run | a1 b1 c1 a$ b$ c$', async function () {
    const [a] = abc();
    log.push('M>run');
    await a.run();
    log.push('M<run', '|');
    await run();
    expect(log.join(' ')).to.equal('M>run a0 b0 c0 M<run | a1 b1 c1 a$ b$ c$');
  });

  it('t2.run() then run(): M>run b0 c0 M<run | a0 b1 c1 a1 b$ c$ a$ (a skipped on the first lap)', async function () {
    const [, b] = abc();
    log.push('M>run');
    await b.run();
    log.push('M<run', '|');
    await run();
    expect(log.join(' ')).to.equal('M>run b0 c0 M<run | a0 b1 c1 a1 b$ c$ a$');
  });

  it('t2.remove(); t2.run() then run(): M>run b0 M<run | a0 c0 b1 a1 c1 b$ a$ c$', async function () {
    const [, b] = abc();
    b.remove();
    log.push('M>run');
    await b.run();
    log.push('M<run', '|');
    await run();
    expect(log.join(' ')).to.equal('M>run b0 M<run | a0 c0 b1 a1 c1 b$ a$ c$');
  });

  it('t1.switch(), c re-inserting main at its end: M>switch a0 b0 c0 a1 b1 c1 a$ b$ c$ M<switch', async function () {
    const a = tasklet(w$('a')).setup();
    tasklet(w$('b')).setup();
    tasklet(async () => {
      await w$('c')();
      getmain().insert();
    }).setup();
    log.push('M>switch');
    await a.switch();
    log.push('M<switch');
    expect(log.join(' ')).to.equal('M>switch a0 b0 c0 a1 b1 c1 a$ b$ c$ M<switch');
  });

  it('a tasklet created during run() goes to the end: x0 S1 S2 y0 x$ n0 S3 y$ n$', async function () {
    const once = (name: string) => async () => {
      log.push(`${name}0`);
      await schedule();
      log.push(`${name}$`);
    };
    tasklet(once('x')).setup();
    tasklet(async () => {
      log.push('S1');
      tasklet(once('n')).setup();
      log.push('S2');
      await schedule();
      log.push('S3');
    }).setup();
    tasklet(once('y')).setup();
    await run();
    expect(log.join(' ')).to.equal('x0 S1 S2 y0 x$ n0 S3 y$ n$');
  });

  it("scheduleRemove wake-up through tempval: W0 got 'val0' W1 got 'val1'", async function () {
    const waiters = [0, 1].map((i) =>
      tasklet(async () => {
        const v = await scheduleRemove();
        log.push(`W${i} got '${String(v)}'`);
      }).setup(),
    );
    await run();
    expect(waiters.map((t) => t.paused)).to.deep.equal([true, true]);
    waiters.forEach((t, i) => {
      t.tempval = `val${i}`;
      t.insert();
    });
    await run();
    expect(log).to.deep.equal(["W0 got 'val0'", "W1 got 'val1'"]);
  });
});

withForcedYields('tasklets traces (kill)', function () {
  cleanScheduler();

  it('killing a blocked victim: M-kill K1-exit M-after-kill O1 (the killer resumes first)', async function () {
    const log: string[] = [];
    const ch = channel<number>();
    const k1 = tasklet(async () => {
      try {
        await ch.receive();
      } finally {
        log.push('K1-exit');
      }
    }).setup();
    await schedule();
    expect(k1.blocked).to.equal(true);
    tasklet(async () => {
      log.push('O1');
    }).setup();
    log.push('M-kill');
    await k1.kill();
    log.push('M-after-kill');
    await run();
    expect(log.join(' ')).to.equal('M-kill K1-exit M-after-kill O1');
    expect(ch.balance).to.equal(0);
    expect(k1.alive).to.equal(false);
  });

  it('killing a runnable victim keeps its place: M-kill V-exit A M-after', async function () {
    const log: string[] = [];
    const v = tasklet(async () => {
      try {
        await schedule();
      } finally {
        log.push('V-exit');
      }
    }).setup();
    await schedule(); // v ran to its schedule(); ring is now main, v
    tasklet(async () => {
      log.push('A');
    }).setup();
    log.push('M-kill');
    await v.kill();
    log.push('M-after');
    expect(log.join(' ')).to.equal('M-kill V-exit A M-after');
  });
});

withForcedYields('tasklets traces (channels)', function () {
  cleanScheduler();
  const flavours: [string, (ch: Channel<unknown>) => void][] = [
    ['-1', (ch) => (ch.preference = -1)],
    ['0', (ch) => (ch.preference = 0)],
    ['1', (ch) => (ch.preference = 1)],
    ['scheduleAll', (ch) => (ch.scheduleAll = true)],
  ];

  function producerConsumer(ch: Channel<unknown>, log: string[], n: number) {
    const producer = async () => {
      for (let i = 0; i < n; i++) {
        log.push(`P>send${i}`);
        await ch.send(i);
        log.push(`P<sent${i}`);
      }
      log.push('P-end');
    };
    const consumer = async () => {
      for (let i = 0; i < n; i++) {
        log.push('C>recv');
        const v = await ch.receive();
        log.push(`C<got${String(v)}`);
      }
      log.push('C-end');
    };
    return { producer, consumer };
  }

  const producerFirst: Record<string, string> = {
    '-1': 'P>send0 C>recv C<got0 C>recv P<sent0 P>send1 C<got1 C>recv P<sent1 P>send2 C<got2 C-end P<sent2 P-end',
    '0': 'P>send0 C>recv C<got0 C>recv P<sent0 P>send1 P<sent1 P>send2 C<got1 C>recv C<got2 C-end P<sent2 P-end',
    '1': 'P>send0 C>recv P<sent0 P>send1 C<got0 C>recv P<sent1 P>send2 C<got1 C>recv P<sent2 P-end C<got2 C-end',
    scheduleAll: 'P>send0 C>recv P<sent0 P>send1 C<got0 C>recv P<sent1 P>send2 C<got1 C>recv P<sent2 P-end C<got2 C-end',
  };
  const consumerFirst: Record<string, string> = {
    '-1': 'C>recv P>send0 C<got0 C>recv P<sent0 P>send1 C<got1 C-end P<sent1 P-end',
    '0': 'C>recv P>send0 P<sent0 P>send1 C<got0 C>recv C<got1 C-end P<sent1 P-end',
    '1': 'C>recv P>send0 P<sent0 P>send1 C<got0 C>recv P<sent1 P-end C<got1 C-end',
    scheduleAll: 'C>recv P>send0 C<got0 C>recv P<sent0 P>send1 C<got1 C-end P<sent1 P-end',
  };
  const mainSends: Record<string, string> = {
    '-1': 'M>send C<got7 O1 M<sent O2',
    '0': 'M>send M<sent O1 C<got7 O2',
    '1': 'M>send M<sent O1 C<got7 O2',
    scheduleAll: 'M>send O1 C<got7 M<sent O2',
  };
  const mainReceives: Record<string, string> = {
    '-1': 'M>recv M<got5 O1 P<sent O2',
    '0': 'M>recv M<got5 O1 P<sent O2',
    '1': 'M>recv P<sent O1 M<got5 O2',
    scheduleAll: 'M>recv O1 P<sent M<got5 O2',
  };

  for (const [name, set] of flavours) {
    it(`producer created first, 3 items, ${name}: ${producerFirst[name]}`, async function () {
      const log: string[] = [];
      const ch = channel();
      set(ch);
      const { producer, consumer } = producerConsumer(ch, log, 3);
      tasklet(producer).setup();
      tasklet(consumer).setup();
      await run();
      expect(log.join(' ')).to.equal(producerFirst[name]);
    });

    it(`consumer created first, 2 items, ${name}: ${consumerFirst[name]}`, async function () {
      const log: string[] = [];
      const ch = channel();
      set(ch);
      const { producer, consumer } = producerConsumer(ch, log, 2);
      tasklet(consumer).setup();
      tasklet(producer).setup();
      await run();
      expect(log.join(' ')).to.equal(consumerFirst[name]);
    });

    it(`main sends to a blocked receiver while O is runnable, ${name}: ${mainSends[name]}`, async function () {
      const log: string[] = [];
      const ch = channel();
      set(ch);
      tasklet(async () => {
        log.push(`C<got${String(await ch.receive())}`);
      }).setup();
      await run();
      expect(ch.balance).to.equal(-1);
      tasklet(async () => {
        log.push('O1');
        await schedule();
        log.push('O2');
      }).setup();
      log.push('M>send');
      await ch.send(7);
      log.push('M<sent');
      await run();
      expect(log.join(' ')).to.equal(mainSends[name]);
    });

    it(`main receives from a blocked sender while O is runnable, ${name}: ${mainReceives[name]}`, async function () {
      const log: string[] = [];
      const ch = channel();
      set(ch);
      tasklet(async () => {
        await ch.send(5);
        log.push('P<sent');
      }).setup();
      await run();
      expect(ch.balance).to.equal(1);
      tasklet(async () => {
        log.push('O1');
        await schedule();
        log.push('O2');
      }).setup();
      log.push('M>recv');
      const v = await ch.receive();
      log.push(`M<got${String(v)}`);
      await run();
      expect(log.join(' ')).to.equal(mainReceives[name]);
    });
  }

  it("main's send blocks while O is runnable: M>send O1 O2 O-recv'v' O3 M<send", async function () {
    const log: string[] = [];
    const ch = channel<string>();
    tasklet(async () => {
      log.push('O1');
      await schedule();
      log.push('O2');
      log.push(`O-recv'${await ch.receive()}'`);
      log.push('O3');
    }).setup();
    log.push('M>send');
    await ch.send('v');
    log.push('M<send');
    expect(log.join(' ')).to.equal("M>send O1 O2 O-recv'v' O3 M<send");
  });

  it('preference 1 with a looping receiver: main sends 1 and continues, its second send blocks, and main (the waiting sender) resumes first', async function () {
    const log: string[] = [];
    const ch = channel<number>();
    ch.preference = 1;
    const r = tasklet(async () => {
      for (;;) log.push(`R<${await ch.receive()}`);
    }).setup();
    await run();
    await ch.send(1);
    log.push('M<sent1');
    expect(ch.balance).to.equal(0);
    await ch.send(2);
    log.push('M<sent2');
    expect(log).to.deep.equal(['M<sent1', 'R<1', 'M<sent2']);
    await run();
    expect(log).to.deep.equal(['M<sent1', 'R<1', 'M<sent2', 'R<2']);
    await r.kill();
  });
});
