// The function's heap pacing as a state machine (functions/sweep-heap.ts), over a recorder instead of V8's flags:
// which sweeps set the factor, and that the last one to end always puts V8's back, whatever its work did.

import { describe, expect, test } from 'vitest';
import { createSweepHeapPacing, PACED_FROM_RECORDS } from '../../functions/sweep-heap.js';

const PACED = '--heap-growing-percent=10';
const V8_OWN = '--heap-growing-percent=0';
const LARGE = PACED_FROM_RECORDS;
const SMALL = PACED_FROM_RECORDS - 1;

function recorded() {
  const flags: string[] = [];
  return { flags, pacing: createSweepHeapPacing((flag) => flags.push(flag)) };
}

/** Work that runs until `finish` is called, so two sweeps can overlap. */
function pending<T>(value: T) {
  let finish: () => void = () => {};
  const done = new Promise<T>((resolve) => {
    finish = () => resolve(value);
  });
  return { work: () => done, finish: () => finish() };
}

describe('sweepHeapPacing', () => {
  test('a small project runs with V8 own pacing: no flag set', async () => {
    const { flags, pacing } = recorded();
    expect(await pacing.pace(SMALL, async () => 'swept')).toBe('swept');
    expect(flags).toEqual([]);
  });

  test('a large project: the factor while its work runs, V8 own after', async () => {
    const { flags, pacing } = recorded();
    const seen: string[][] = [];
    await pacing.pace(LARGE, async () => {
      seen.push([...flags]);
    });
    expect(seen).toEqual([[PACED]]);
    expect(flags).toEqual([PACED, V8_OWN]);
  });

  test('two large sweeps that overlap: set when the first starts, back when the last ends', async () => {
    const { flags, pacing } = recorded();
    const first = pending('first');
    const second = pending('second');
    const running = [pacing.pace(LARGE, first.work), pacing.pace(LARGE, second.work)];
    first.finish();
    await running[0];
    expect(flags).toEqual([PACED]);
    second.finish();
    expect(await Promise.all(running)).toEqual(['first', 'second']);
    expect(flags).toEqual([PACED, V8_OWN]);
  });

  test('a small sweep beside a large one leaves the factor alone', async () => {
    const { flags, pacing } = recorded();
    const large = pending('large');
    const running = pacing.pace(LARGE, large.work);
    await pacing.pace(SMALL, async () => 'small');
    expect(flags).toEqual([PACED]);
    large.finish();
    await running;
    expect(flags).toEqual([PACED, V8_OWN]);
  });

  test('work that fails: its error, and V8 own pacing back', async () => {
    const { flags, pacing } = recorded();
    await expect(
      pacing.pace(LARGE, async () => {
        throw new Error('commit refused');
      }),
    ).rejects.toThrow('commit refused');
    expect(flags).toEqual([PACED, V8_OWN]);
  });

  test('a flag setter that throws: its error, and the next large sweep sets the flag again', async () => {
    const flags: string[] = [];
    let refuse = true;
    const pacing = createSweepHeapPacing((flag) => {
      if (refuse && flag === PACED) throw new Error('unknown flag');
      flags.push(flag);
    });
    await expect(pacing.pace(LARGE, async () => 'never')).rejects.toThrow('unknown flag');
    refuse = false;
    await pacing.pace(LARGE, async () => 'swept');
    expect(flags).toEqual([V8_OWN, PACED, V8_OWN]);
  });
});
