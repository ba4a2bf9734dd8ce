// The simulator's Security Command Center v2: Google's refusals (IDs, enums, immutable fields, future event times,
// unknown sources) and create-or-update by patch with an update mask.

import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/simulator/api-error.js';
import { handleSccRequest, SccState } from '../../src/simulator/scc-api.js';

const SOURCE = 'organizations/123456789012/sources/77';
const NOW = new Date('2026-12-04T12:00:00.000Z');
const FINDING = {
  resourceName: '//compute.googleapis.com/projects/acme-edge/global/backendServices/orders-bs',
  category: 'backend.logging-enabled',
  state: 'ACTIVE',
  severity: 'MEDIUM',
  mute: 'UNMUTED',
  findingClass: 'MISCONFIGURATION',
  eventTime: '2026-12-04T11:59:00.000Z',
  sourceProperties: { ruleId: 'backend.logging-enabled' },
};
const MASK = 'resourceName,category,state,severity,mute,findingClass,eventTime,sourceProperties';

function patch(id: string, body: unknown, scc: SccState, mask = MASK, source = SOURCE) {
  return handleSccRequest(
    'PATCH',
    `/v2/${source}/locations/global/findings/${id}`,
    new URLSearchParams(mask ? { updateMask: mask } : {}),
    body,
    scc,
    NOW,
  );
}

function refusal(call: () => unknown): { code: number; message: string } {
  try {
    call();
  } catch (error) {
    if (error instanceof ApiError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('not refused');
}

describe('SCC v2 findings in the simulator', () => {
  it('creates, then updates the same finding; list shows it once', () => {
    const scc = new SccState([SOURCE]);
    expect(patch('abc123', FINDING, scc)?.status).toBe(200);
    expect(patch('abc123', { ...FINDING, state: 'INACTIVE' }, scc)?.status).toBe(200);
    const list = handleSccRequest(
      'GET',
      `/v2/${SOURCE}/locations/global/findings`,
      new URLSearchParams(),
      undefined,
      scc,
      NOW,
    );
    const results = (list!.body as { listFindingsResults: { finding: { state: string; name: string } }[] })
      .listFindingsResults;
    expect(results.map((result) => result.finding)).toEqual([
      expect.objectContaining({ name: `${SOURCE}/locations/global/findings/abc123`, state: 'INACTIVE' }),
    ]);
  });

  it('updates only the fields the mask names', () => {
    const scc = new SccState([SOURCE]);
    patch('abc123', FINDING, scc);
    patch('abc123', { state: 'INACTIVE', severity: 'LOW' }, scc, 'state');
    const [stored] = scc.findingsOf(SOURCE);
    expect(stored).toMatchObject({ state: 'INACTIVE', severity: 'MEDIUM' });
  });

  it.each([
    [
      'an ID longer than 32 characters',
      () => patch('a'.repeat(33), FINDING, new SccState([SOURCE])),
      400,
      /alphanumeric/,
    ],
    ['an ID with a dash', () => patch('abc-123', FINDING, new SccState([SOURCE])), 400, /alphanumeric/],
    ['a source that does not exist', () => patch('abc', FINDING, new SccState([])), 404, /not found/],
    [
      'an unknown state',
      () => patch('abc', { ...FINDING, state: 'OPEN' }, new SccState([SOURCE])),
      400,
      /state/,
    ],
    [
      'an event time in the future',
      () => patch('abc', { ...FINDING, eventTime: '2027-01-01T00:00:00Z' }, new SccState([SOURCE])),
      400,
      /future/,
    ],
    [
      'a bad source property key',
      () => patch('abc', { ...FINDING, sourceProperties: { '1st': 'x' } }, new SccState([SOURCE])),
      400,
      /property key/,
    ],
    [
      'a mask naming an output-only field',
      () => patch('abc', FINDING, new SccState([SOURCE]), 'createTime'),
      400,
      /update mask/,
    ],
    [
      'a create without a category',
      () => patch('abc', { ...FINDING, category: undefined }, new SccState([SOURCE])),
      400,
      /category/,
    ],
  ])('refuses %s', (_name, call, code, message) => {
    const answer = refusal(call);
    expect(answer.code).toBe(code);
    expect(answer.message).toMatch(message);
  });

  it('refuses a change to an immutable field', () => {
    const scc = new SccState([SOURCE]);
    patch('abc', FINDING, scc);
    expect(refusal(() => patch('abc', { ...FINDING, category: 'other.rule' }, scc)).message).toMatch(
      /immutable/,
    );
  });

  it('pages a long list', () => {
    const scc = new SccState([SOURCE]);
    for (let index = 0; index < 5; index += 1) patch(`f${index}`, FINDING, scc);
    const first = handleSccRequest(
      'GET',
      `/v2/${SOURCE}/locations/global/findings`,
      new URLSearchParams({ pageSize: '3' }),
      undefined,
      scc,
      NOW,
    );
    const body = first!.body as { listFindingsResults: unknown[]; nextPageToken?: string; totalSize: number };
    expect(body.listFindingsResults).toHaveLength(3);
    expect(body.totalSize).toBe(5);
    const second = handleSccRequest(
      'GET',
      `/v2/${SOURCE}/locations/global/findings`,
      new URLSearchParams({ pageSize: '3', pageToken: body.nextPageToken ?? '' }),
      undefined,
      scc,
      NOW,
    );
    expect(
      (second!.body as { listFindingsResults: unknown[]; nextPageToken?: string }).listFindingsResults,
    ).toHaveLength(2);
  });

  it('leaves other paths to the other routes', () => {
    expect(
      handleSccRequest('GET', '/v2/projects/p/sinks', new URLSearchParams(), undefined, new SccState(), NOW),
    ).toBeUndefined();
  });
});
