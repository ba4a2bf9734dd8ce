import { describe, expect, test } from 'vitest';
import { codeSpan, escapeMarkdown, fenced, renderMarkdown } from '../../src/report/markdown.js';
import { reportFromScan } from '../../src/report/report-model.js';
import { sampleModel } from './report-model-sample.js';
import { FIXED_CLOCK, SAMPLE_RULES, sampleReport } from './table-and-json-sample.js';

describe('renderMarkdown', () => {
  const text = renderMarkdown(sampleModel());

  test('matches the golden file', async () => {
    await expect(text).toMatchFileSnapshot('./markdown.golden.md');
  });

  test('matches the golden file for a scan (no history, errors and warnings)', async () => {
    const model = reportFromScan(sampleReport(), {
      rules: SAMPLE_RULES,
      now: FIXED_CLOCK.now(),
      source: 'estate x',
    });
    await expect(renderMarkdown(model)).toMatchFileSnapshot('./markdown-scan.golden.md');
  });

  test('summary first, then findings by severity, most severe first', () => {
    const order = [
      '## Summary',
      '### CRITICAL (1)',
      '### HIGH (3)',
      '### MEDIUM (2)',
      '### LOW (1)',
      '## Remediation',
    ];
    const positions = order.map((heading) => text.indexOf(`\n${heading}\n`));
    expect(positions.every((position) => position > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  test('no raw HTML from the estate: outside code, the only tags are our <details> and <summary>', () => {
    // Code blocks and code spans are literal in Markdown: `<script>` inside one renders as text.
    const outsideCode = text
      .replace(/^(`{3,})[a-z]*\n[\s\S]*?\n\1$/gm, '')
      .replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, '');
    const tags = [...outsideCode.matchAll(/<\/?([a-z]+)/gi)].map((match) => match[1]);
    expect(new Set(tags)).toEqual(new Set(['details', 'summary']));
    expect(outsideCode).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  test('evidence sits in a fence its content cannot close', () => {
    expect(text).toContain('````json\n');
  });

  test('every table row has as many cells as its header', () => {
    const tables = text.split('\n\n').filter((block) => block.startsWith('| '));
    for (const table of tables) {
      const widths = table.split('\n').map((line) => line.replace(/\\\|/g, '').split('|').length);
      expect(new Set(widths).size).toBe(1);
    }
  });
});

describe('escapeMarkdown', () => {
  test.each([
    ['plain text', 'orders-bs in us-central1', 'orders-bs in us-central1'],
    ['a pipe cannot end a table cell', 'a | b', 'a \\| b'],
    ['HTML becomes text', '<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['an entity stays literal', '&lt;', '&amp;lt;'],
    ['emphasis and links are inert', '*b* [l](u)', '\\*b\\* \\[l\\](u)'],
    ['a bare URL is not autolinked', 'see https://evil.example', 'see https\\://evil.example'],
    ['nor is www.', 'www.evil.example', 'www\\.evil.example'],
    ['line breaks cannot start a block', 'a\n# b', 'a # b'],
    ['a heading marker at the start', '# not a heading', '\\# not a heading'],
    ['an ordered list marker at the start', '1. not a list', '1\\. not a list'],
    ['backticks', 'a `b`', 'a \\`b\\`'],
  ])('%s', (_name, input, output) => {
    expect(escapeMarkdown(input)).toBe(output);
  });
});

describe('codeSpan and fenced', () => {
  test.each([
    ['plain', 'x', '`x`'],
    ['a backtick inside', 'a`b', '``a`b``'],
    ['backticks at the edges are padded', '`a`', '`` `a` ``'],
  ])('codeSpan: %s', (_name, input, output) => {
    expect(codeSpan(input)).toBe(output);
  });

  test('a fence is longer than any backtick run inside', () => {
    expect(fenced('```\nx\n````', 'json')).toBe('`````json\n```\nx\n````\n`````');
  });
});
