// The V8 flags workers are forked with: a smaller young generation, unless the operator chose one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WORKER_SEMI_SPACE_MB, workerExecArgv } from '../../src/cli/cluster.ts';

describe('worker V8 flags', () => {
  it('adds a 4 MB semi-space to what the primary runs with', () => {
    assert.equal(WORKER_SEMI_SPACE_MB, 4);
    assert.deepEqual(workerExecArgv(['--import', 'tsx'], ''), ['--import', 'tsx', '--max-semi-space-size=4']);
    assert.deepEqual(workerExecArgv([], ''), ['--max-semi-space-size=4']);
  });

  it("keeps the operator's own setting, on the command line or in NODE_OPTIONS", () => {
    assert.deepEqual(workerExecArgv(['--max-semi-space-size=16'], ''), ['--max-semi-space-size=16']);
    assert.deepEqual(workerExecArgv(['--enable-source-maps'], '--max-old-space-size=512 --max-semi-space-size=32'), ['--enable-source-maps']);
    assert.deepEqual(workerExecArgv([], '--max-old-space-size=512'), ['--max-semi-space-size=4']);
  });
});
