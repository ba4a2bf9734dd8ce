// The record a failed project sweep leaves: its error cut to one line and 500 characters, whatever was thrown.

import { describe, expect, test } from 'vitest';
import { failedRunRecord } from '../../src/app/run-record.js';

const TIMES = { id: 'run-1', startedAt: '2026-05-11T15:00:00.000Z', finishedAt: '2026-05-11T15:00:02.500Z' };

const CASES: readonly { name: string; error: unknown; recorded: string }[] = [
  {
    name: 'an error with a stack-like second line keeps its first',
    error: new TypeError('x is undefined\n    at sweepProject (sweep-project.ts:12:3)'),
    recorded: 'TypeError: x is undefined',
  },
  {
    name: 'a named error keeps its name',
    error: Object.assign(new Error('503 storm'), { name: 'RetriesExhaustedError' }),
    recorded: 'RetriesExhaustedError: 503 storm',
  },
  { name: 'a thrown string keeps its first line', error: 'quota\nexceeded', recorded: 'quota' },
  {
    name: 'a long message is cut at 500 characters',
    error: new Error('x'.repeat(600)),
    recorded: `Error: ${'x'.repeat(493)}`,
  },
];

describe('failedRunRecord', () => {
  test.each(CASES)('$name', ({ error, recorded }) => {
    const record = failedRunRecord('acme-edge', error, TIMES, 'msg-1');
    expect(record).toMatchObject({
      status: 'failed',
      project: 'acme-edge',
      durationMs: 2500,
      messageId: 'msg-1',
    });
    expect(record.errors).toEqual([recorded]);
  });
});
