import { describe, expect, test } from 'vitest';
import {
  directUrlHtml,
  escapeHtml,
  isGatewayUrl,
  REPORT_CSP,
  renderHtml,
  trendCaption,
  trendChart,
} from '../../src/report/html.js';
import { reportFromScan } from '../../src/report/report-model.js';
import { startTags } from './html-tags.js';
import { HOSTILE, sampleModel } from './report-model-sample.js';
import { FIXED_CLOCK, SAMPLE_RULES, sampleReport } from './table-and-json-sample.js';

describe('renderHtml', () => {
  const html = renderHtml(sampleModel());

  test('matches the golden file', async () => {
    await expect(html).toMatchFileSnapshot('./html.golden.html');
  });

  test('matches the golden file for a scan (one chart point, errors and warnings)', async () => {
    const model = reportFromScan(sampleReport(), {
      rules: SAMPLE_RULES,
      now: FIXED_CLOCK.now(),
      source: 'estate x',
    });
    await expect(renderHtml(model)).toMatchFileSnapshot('./html-scan.golden.html');
  });

  test("the chart's caption says where its numbers come from: a scan's one moment, or the stored history", () => {
    const scan = reportFromScan(sampleReport(), {
      rules: SAMPLE_RULES,
      now: FIXED_CLOCK.now(),
      source: 'estate x',
    });
    expect(renderHtml(scan)).toContain(
      '<p class="note">One point in time: a scan has no history. Reports from stored findings show every day.</p>',
    );
    expect(html).toContain(
      '<p class="note">From the stored findings and their history: the findings open at the end of each day, 2026-04-01 to 2026-05-04.</p>',
    );
    const oneDay = [{ day: '2026-05-04', open: 3 }];
    expect(trendCaption(oneDay, 'stored')).toBe(
      'From the stored findings and their history: the findings open at the end of 2026-05-04, the one day it covers so far.',
    );
    expect(trendCaption(oneDay, 'scan')).toMatch(/^One point in time: a scan has no history/);
  });

  test('declares the strict content security policy, and holds no script or remote reference', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(REPORT_CSP)}">`);
    expect(REPORT_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    const tags = startTags(html);
    expect(
      tags.filter((tag) => ['script', 'img', 'iframe', 'link', 'object', 'embed'].includes(tag.name)),
    ).toEqual([]);
    expect(tags.flatMap((tag) => tag.attributes).filter((name) => /^on/i.test(name))).toEqual([]);
    expect(tags.flatMap((tag) => tag.attributes).filter((name) => ['src', 'style'].includes(name))).toEqual(
      [],
    );
  });

  test('every link is a fragment, Google docs, or the gateway.dev direct URL, with rel="noopener noreferrer"', () => {
    const hrefs = [...html.matchAll(/<a href="([^"]*)"( rel="noopener noreferrer")?>/g)];
    const external = hrefs.filter((match) => !match[1]?.startsWith('#'));
    expect(external.map((match) => match[1])).toEqual(
      expect.arrayContaining(['https://legacy-gw-3xk2a9bc.uc.gateway.dev']),
    );
    expect(external.every((match) => match[2] !== undefined)).toBe(true);
    expect(
      external.every(
        (match) => /^https:\/\/cloud\.google\.com\//.test(match[1] ?? '') || isGatewayUrl(match[1] ?? ''),
      ),
    ).toBe(true);
  });

  test('hostile strings appear only escaped', () => {
    for (const payload of Object.values(HOSTILE)) {
      expect(html).not.toContain(payload);
      expect(html).toContain(escapeHtml(payload));
    }
  });

  test('shows the findings, muted ones with reason, owner and expiry, and the expiring exemption', () => {
    expect(html.match(/<details[ >]/g)).toHaveLength(7);
    expect(html).toContain(
      'legacy API retires in June (CHG-1142) · owner platform-team@acme.example · until',
    );
    const expiring = html.slice(
      html.indexOf('<section id="expiring">'),
      html.indexOf('<section id="findings">'),
    );
    expect(expiring).toContain('2026-05-20');
    expect(expiring).not.toContain('2026-09-30');
  });

  test('shows who changed what and when', () => {
    expect(html).toContain(
      '<time>2026-04-28 14:30:00Z</time> <b>escalated</b> <small>CRITICAL</small> by <b>bob@acme.example</b> via <code>v1.compute.backendServices.setSecurityPolicy</code>',
    );
  });

  test('unicode is kept as is (the page is UTF-8)', () => {
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('Zahlungs-API für Kunden — 東京 ✓');
  });
});

describe('escapeHtml', () => {
  test.each([
    ['text', 'plain', 'plain'],
    ['markup', '<script>x</script>', '&lt;script&gt;x&lt;/script&gt;'],
    ['attribute breakout with double quotes', '"onmouseover="a', '&#34;onmouseover=&#34;a'],
    ['single quotes', "it's", 'it&#39;s'],
    ['an entity stays literal', '&amp;', '&amp;amp;'],
    ['numbers', 42, '42'],
  ])('%s', (_name, input, output) => {
    expect(escapeHtml(input)).toBe(output);
  });
});

describe('the direct gateway URL', () => {
  test.each([
    ['a gateway.dev URL', 'https://orders-gw-3xk2a9bc.uc.gateway.dev', true],
    ['with a path', 'https://orders-gw-3xk2a9bc.uc.gateway.dev/v1/orders', true],
    ['plain http', 'http://orders-gw.uc.gateway.dev', false],
    ['another host', 'https://evil.example', false],
    ['a look-alike suffix', 'https://orders.gateway.dev.evil.example', false],
    ['credentials before the host', 'https://user@x.gateway.dev', false],
    ['backslash tricks', 'https://evil.example\\@x.gateway.dev', false],
    ['a javascript URL', 'javascript:alert(1)//.gateway.dev', false],
    ['not a URL', '"><script>', false],
  ])('%s: linked = %s', (_name, url, linked) => {
    expect(isGatewayUrl(url)).toBe(linked);
    expect(directUrlHtml(url).startsWith('<a ')).toBe(linked);
    expect(directUrlHtml(url)).toContain(escapeHtml(url));
  });
});

describe('trendChart', () => {
  test('one point per day, the last day labelled, tooltips without script', () => {
    const svg = trendChart([
      { day: '2026-05-01', open: 2 },
      { day: '2026-05-02', open: 5 },
      { day: '2026-05-03', open: 3 },
    ]);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('<title>2026-05-02: 5 open</title>');
    expect(svg).toContain('>2026-05-03</text>');
    expect(svg).toContain('<polyline class="line" points="44,116.8 394,16 744,83.2"/>');
  });

  test('no points, no chart', () => {
    expect(trendChart([])).toBe('');
  });
});
