// The V8-stack parser behind Failure.frames (twistless's stand-in for Python traceback objects).
import { expect } from 'chai';
import { parseStack } from '../../lib/failure/index.js';

describe('parseStack', function () {
  it('parses the common V8 frame shapes, innermost last', function () {
    const stack = [
      'TypeError: bad',
      '  on two lines',
      '    at inner (/app/a.js:10:5)',
      '    at new Thing (/app/b.js:2:3)',
      '    at async outer (file:///app/c.mjs:7:1)',
      '    at /app/d.js:1:2',
      '    at Array.map (<anonymous>)',
      '    at eval (eval at run (/app/e.js:3:4), <anonymous>:1:9)',
      '    at Module._compile (node:internal/modules/cjs/loader:1521:14)',
    ].join('\n');
    expect(parseStack(stack)).to.deep.equal([
      { functionName: 'Module._compile', fileName: 'node:internal/modules/cjs/loader', lineNumber: 1521, columnNumber: 14 },
      { functionName: 'eval', fileName: '<anonymous>', lineNumber: 1, columnNumber: 9 },
      { functionName: 'Array.map', fileName: '<anonymous>', lineNumber: 0, columnNumber: 0 },
      { functionName: '<anonymous>', fileName: '/app/d.js', lineNumber: 1, columnNumber: 2 },
      { functionName: 'outer', fileName: 'file:///app/c.mjs', lineNumber: 7, columnNumber: 1 },
      { functionName: 'new Thing', fileName: '/app/b.js', lineNumber: 2, columnNumber: 3 },
      { functionName: 'inner', fileName: '/app/a.js', lineNumber: 10, columnNumber: 5 },
    ]);
  });

  it('gives no frames for text without "at" lines', function () {
    expect(parseStack('Error: x')).to.deep.equal([]);
    expect(parseStack('')).to.deep.equal([]);
  });
});
