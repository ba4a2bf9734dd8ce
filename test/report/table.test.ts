import { describe, expect, test } from 'vitest';
import { type ScanReport, scanInventory } from '../../src/app/scan.js';
import { renderTable, shortResource, summaryLine } from '../../src/report/table.js';
import { negNoNetworkEndpoints } from '../../src/rules/neg/no-network-endpoints.js';
import { apiGatewayNeg, fullName, inventoryOf } from '../support/records.js';
import { FIXED_CLOCK, SAMPLE_RULES, sampleReport } from './table-and-json-sample.js';

const GOLDEN = './table.golden.txt';
const GOLDEN_COLOR = './table-color.golden.txt';

describe('renderTable', () => {
  test('matches the golden file: severity, rule, short resource, one-line message, muted marked', async () => {
    await expect(renderTable(sampleReport())).toMatchFileSnapshot(GOLDEN);
  });

  test('matches the golden file in colour', async () => {
    await expect(renderTable(sampleReport(), { color: true })).toMatchFileSnapshot(GOLDEN_COLOR);
  });

  test('without colour there is no escape sequence at all', () => {
    expect(renderTable(sampleReport())).not.toContain('\x1b');
    expect(renderTable(sampleReport(), { color: true })).toContain('\x1b[1;31mCRITICAL');
  });

  test('control characters from the estate never reach the terminal', () => {
    const report = sampleReport();
    const hostile: ScanReport = {
      ...report,
      findings: report.findings.map((finding) => ({
        ...finding,
        message: 'evil\x1b]0;pwned\x07 \x1b[2Jtext\r\nmore',
      })),
    };
    const text = renderTable(hostile);
    const controls = [...text].filter((char) => char !== '\n' && (char < ' ' || char === '\x7f'));
    expect(controls).toEqual([]);
    expect(text).toContain('evil ]0;pwned [2Jtext more');
  });
});

describe('summaryLine', () => {
  test.each([
    {
      name: 'the sample: severities in order, muted counted',
      report: sampleReport(),
      line: '7 findings: 1 CRITICAL, 2 HIGH, 2 MEDIUM, 2 LOW (1 muted) across 9 resources, 5 rules',
    },
    {
      name: 'one finding: singular, zero severities left out',
      report: scanInventory(
        inventoryOf({ networkEndpointGroup: [apiGatewayNeg('n', 'us-central1', 'g', { size: 1 })] }),
        { rules: [negNoNetworkEndpoints], clock: FIXED_CLOCK },
      ),
      line: '1 finding: 1 HIGH across 1 resource, 1 rule',
    },
    {
      name: 'nothing fails',
      report: scanInventory(inventoryOf({ networkEndpointGroup: [apiGatewayNeg('n', 'us-central1', 'g')] }), {
        rules: SAMPLE_RULES,
        clock: FIXED_CLOCK,
      }),
      line: 'No findings across 1 resource, 5 rules',
    },
  ])('$name', ({ report, line }) => {
    expect(summaryLine(report)).toBe(line);
  });
});

describe('shortResource', () => {
  test.each([
    ['global', fullName('global/backendServices/orders-bs'), null, 'acme-edge/global/orders-bs'],
    [
      'regional, with a sub-key',
      fullName('regions/us-central1/networkEndpointGroups/n'),
      'x',
      'acme-edge/us-central1/n (x)',
    ],
    ['zonal', fullName('zones/us-central1-a/networkEndpointGroups/vm'), null, 'acme-edge/us-central1-a/vm'],
    ['a gateway', fullName('locations/europe-west2/gateways/gw'), null, 'acme-edge/europe-west2/gw'],
    [
      'an API config names its API',
      fullName('locations/global/apis/orders/configs/v7'),
      null,
      'acme-edge/global/orders/v7',
    ],
    ['a name it cannot parse is shown as is', 'something-else', null, 'something-else'],
  ])('%s', (_name, name, subKey, short) => {
    expect(shortResource(name, subKey)).toBe(short);
  });
});
