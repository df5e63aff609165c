// Port of Stackless/unittests/test_exception.py (Stackless 3.7-slp).
//
// Not ported (Python-only: they test CPython internals):
// - TestExcStatePickling (test_tasklet_reduce_wo_exc test_tasklet_pickle_with_exc
//   test_generator_pickle_with_exc): pickling a tasklet's exception state.
import { expect } from 'chai';
import { TaskletExit } from '../../../lib/tasklets/index.js';
import { stacklessTestCase } from './support.js';

describe('test_exception', function () {
  describe('TestException', function () {
    stacklessTestCase();

    it('testTaskletExitCode: a TaskletExit can be constructed and has the exit code attribute of a SystemExit', function () {
      // TaskletExit was once defined as the wrong kind of exception, and reading its code
      // attribute crashed the runtime
      const exc = new TaskletExit();
      expect(exc).to.have.property('code');
      expect(exc.code).to.equal(null);
      expect(exc).to.be.instanceOf(TaskletExit);
      expect(exc.name).to.equal('TaskletExit');
    });
  });
});
