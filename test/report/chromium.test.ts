import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { escapeHtml, REPORT_CSP, renderHtml } from '../../src/report/html.js';
import { startTags } from './html-tags.js';
import { HOSTILE, sampleModel } from './report-model-sample.js';

// Debian's package; the test starts it itself, headless, with a fresh profile and no network chatter.
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`chromium.test.ts skipped: ${CHROMIUM} is absent (apt-get install -y chromium)`);
}

const run = promisify(execFile);
let workDir = '';

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'gatewarden-chromium-'));
});

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** Loads the page from a file:// URL and returns the DOM after load (and after any timers it set). */
async function dumpDom(name: string, html: string): Promise<string> {
  const page = join(workDir, `${name}.html`);
  await writeFile(page, html);
  const profile = await mkdtemp(join(workDir, 'profile-'));
  const { stdout } = await run(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--virtual-time-budget=2000',
      '--dump-dom',
      pathToFileURL(page).href,
    ],
    { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

/** What the hostile payloads would do if any ran: retitle the page or mark the body. */
function pageWasChanged(dom: string): boolean {
  const body = startTags(dom).find((tag) => tag.name === 'body');
  return dom.includes('<title>PWNED</title>') || body?.attributes.includes('data-pwned') === true;
}

describe.skipIf(!hasChromium)('the HTML report in headless Chromium', () => {
  const html = renderHtml(sampleModel());

  test('control: the same payloads, placed as markup, do run (so the checks below can fail)', async () => {
    const dom = await dumpDom(
      'control',
      `<!DOCTYPE html><title>t</title><body>${HOSTILE.script}${HOSTILE.img}`,
    );
    expect(pageWasChanged(dom)).toBe(true);
  });

  test('shows every finding, hostile strings as text, and nothing runs', async () => {
    const dom = await dumpDom('report', html);
    expect(dom).toContain('<title>Gatewarden audit report</title>');
    expect(pageWasChanged(dom)).toBe(false);
    expect(dom.match(/<details[ >]/g)).toHaveLength(7);
    expect(dom).toContain('acme-edge/us-central1/legacy-gw');
    expect(dom).toContain('legacy API retires in June (CHG-1142)');
    // Text nodes serialise `<` and `>` as entities: the payloads are there, as text.
    expect(dom).toContain("&lt;script&gt;document.title='PWNED'&lt;/script&gt;");
    expect(dom).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const tags = startTags(dom);
    expect(tags.filter((tag) => ['script', 'img', 'iframe', 'object', 'embed'].includes(tag.name))).toEqual(
      [],
    );
    expect(tags.flatMap((tag) => tag.attributes).filter((name) => /^on/i.test(name))).toEqual([]);
  });

  test('escaping alone holds: without the CSP meta, still nothing runs', async () => {
    const csp = `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(REPORT_CSP)}">`;
    expect(html).toContain(csp);
    const dom = await dumpDom('no-csp', html.replace(csp, ''));
    expect(pageWasChanged(dom)).toBe(false);
    expect(startTags(dom).filter((tag) => tag.name === 'script' || tag.name === 'img')).toEqual([]);
  });
});
