import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Semaphore } from '../src/semaphore.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Semaphore', () => {
  it('runs at most capacity tasks at once, the others in arrival order', async () => {
    const limit = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const releases: (() => void)[] = [];
    const tasks = [0, 1, 2, 3, 4].map((i) =>
      limit.run(async () => {
        started.push(i);
        peak = Math.max(peak, ++running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        return i * 10;
      }),
    );
    await tick();
    assert.deepEqual(started, [0, 1]);
    assert.equal(limit.waiting, 3);
    while (releases.length > 0 || started.length < 5) {
      releases.shift()?.();
      await tick();
    }
    assert.deepEqual(await Promise.all(tasks), [0, 10, 20, 30, 40]);
    assert.deepEqual(started, [0, 1, 2, 3, 4]);
    assert.equal(peak, 2);
    assert.equal(limit.running, 0);
  });

  it('frees the slot when a task fails', async () => {
    const limit = new Semaphore(1);
    await assert.rejects(limit.run(async () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await limit.run(async () => 'next'), 'next');
    assert.equal(limit.running, 0);
  });

  it('refuses a capacity below one', () => {
    assert.throws(() => new Semaphore(0), RangeError);
  });
});
