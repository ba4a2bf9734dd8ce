// What scan and check-plan print beside their report (src/cli/report-output.ts).

import { describe, expect, it } from 'vitest';
import { MAX_UNDECIDED_LINES, writeUndecided } from '../../src/cli/report-output.js';

const GATEWAY = '//apigateway.googleapis.com/projects/acme-edge/locations/us-central1/gateways';

function undecided(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    ruleId: 'gateway.api-config-authenticated',
    resource: `${GATEWAY}/gw-${index}`,
    message: `The API config of gateway gw-${index} cannot be read:\nnot in the inventory.`,
  }));
}

function stderrOf(count: number, shownInReport = false): string[] {
  let text = '';
  writeUndecided(undecided(count), shownInReport, { stderr: { write: (chunk: string) => (text += chunk) } });
  return text.split('\n').filter((line) => line !== '');
}

describe('writeUndecided', () => {
  it('names each undetermined result on one line, its message on that line', () => {
    expect(stderrOf(2)).toEqual([
      `undetermined: gateway.api-config-authenticated on ${GATEWAY}/gw-0: The API config of gateway gw-0 cannot be read: not in the inventory.`,
      `undetermined: gateway.api-config-authenticated on ${GATEWAY}/gw-1: The API config of gateway gw-1 cannot be read: not in the inventory.`,
    ]);
  });

  it('past the first ones, a count and where to find them all (an estate without its API configs)', () => {
    const lines = stderrOf(MAX_UNDECIDED_LINES + 1_235);
    expect(lines).toHaveLength(MAX_UNDECIDED_LINES + 1);
    expect(lines.at(-2)).toContain(`gw-${MAX_UNDECIDED_LINES - 1}:`);
    expect(lines.at(-1)).toBe(
      'undetermined: 1,235 more results (--format json lists every one in summary.errors)',
    );
  });

  it('nothing when the report on stdout lists them itself (the table)', () => {
    expect(stderrOf(3, true)).toEqual([]);
  });
});
