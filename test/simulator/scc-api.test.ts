// The simulator's Security Command Center v2: create (409 when it exists), update under a mask, setState and setMute,
// and Google's refusals (IDs, enums, immutable fields, future event times, a masked patch that would create, unknown
// sources), with output-only fields ignored rather than refused, as google.api.field_behavior requires.

import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/simulator/api-error.js';
import { handleSccRequest, SccState } from '../../src/simulator/scc-api.js';

const SOURCE = 'organizations/123456789012/sources/77';
const PARENT = `${SOURCE}/locations/global`;
const NOW = new Date('2026-12-04T12:00:00.000Z');
const FINDING = {
  parent: PARENT,
  resourceName: '//compute.googleapis.com/projects/acme-edge/global/backendServices/orders-bs',
  category: 'backend.logging-enabled',
  state: 'ACTIVE',
  severity: 'MEDIUM',
  findingClass: 'MISCONFIGURATION',
  eventTime: '2026-12-04T11:59:00.000Z',
  sourceProperties: { ruleId: 'backend.logging-enabled' },
};
const CONTENT_MASK = 'eventTime,severity,findingClass,sourceProperties';

function call(method: string, path: string, query: Record<string, string>, body: unknown, scc: SccState) {
  const answer = handleSccRequest(method, path, new URLSearchParams(query), body, scc, NOW);
  if (!answer) throw new Error(`${method} ${path} is no SCC request`);
  return answer;
}
const create = (id: string, body: unknown, scc: SccState, source = SOURCE) =>
  call('POST', `/v2/${source}/locations/global/findings`, { findingId: id }, body, scc);
const update = (id: string, body: unknown, scc: SccState, mask = CONTENT_MASK) =>
  call('PATCH', `/v2/${PARENT}/findings/${id}`, mask ? { updateMask: mask } : {}, body, scc);
const setState = (id: string, state: unknown, scc: SccState) =>
  call('POST', `/v2/${PARENT}/findings/${id}:setState`, {}, { state }, scc);
const setMute = (id: string, mute: unknown, scc: SccState) =>
  call('POST', `/v2/${PARENT}/findings/${id}:setMute`, {}, { mute }, scc);

function refusal(run: () => unknown): { code: number; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('not refused');
}

function created(): SccState {
  const scc = new SccState([SOURCE]);
  create('abc123', FINDING, scc);
  return scc;
}
const stored = (scc: SccState) => scc.findingsOf(SOURCE)[0];

describe('SCC v2 findings in the simulator', () => {
  it('creates a finding ACTIVE and never muted; a second create of the ID is 409 ALREADY_EXISTS', () => {
    const scc = new SccState([SOURCE]);
    expect(create('abc123', { ...FINDING, state: 'INACTIVE' }, scc).status).toBe(200);
    expect(stored(scc)).toMatchObject({
      name: `${PARENT}/findings/abc123`,
      state: 'ACTIVE',
      mute: 'UNDEFINED',
      createTime: NOW.toISOString(),
    });
    expect(refusal(() => create('abc123', FINDING, scc)).code).toBe(409);
    const list = call('GET', `/v2/${PARENT}/findings`, {}, undefined, scc);
    expect((list.body as { listFindingsResults: unknown[] }).listFindingsResults).toHaveLength(1);
  });

  it('updates only the fields the mask names, and ignores output-only state in the mask and body', () => {
    const scc = created();
    update(
      'abc123',
      { severity: 'LOW', state: 'INACTIVE', eventTime: '2026-12-04T11:59:30.000Z' },
      scc,
      'state,severity',
    );
    expect(stored(scc)).toMatchObject({ state: 'ACTIVE', severity: 'LOW', eventTime: FINDING.eventTime });
  });

  it('sets one source property by its path, and replaces them all with an empty mask', () => {
    const scc = created();
    update('abc123', { sourceProperties: { added: 'x' } }, scc, 'sourceProperties.added');
    expect(stored(scc)?.sourceProperties).toEqual({ ruleId: 'backend.logging-enabled', added: 'x' });
    update('abc123', { ...FINDING, sourceProperties: { only: 1 } }, scc, '');
    expect(stored(scc)?.sourceProperties).toEqual({ only: 1 });
  });

  it('changes the state only through setState, and the mute only through setMute (stamping the mute time)', () => {
    const scc = created();
    expect(setState('abc123', 'INACTIVE', scc).body).toMatchObject({ state: 'INACTIVE' });
    expect(setMute('abc123', 'MUTED', scc).body).toMatchObject({
      mute: 'MUTED',
      muteUpdateTime: NOW.toISOString(),
    });
    update('abc123', { eventTime: FINDING.eventTime }, scc, 'eventTime');
    expect(stored(scc)).toMatchObject({ state: 'INACTIVE', mute: 'MUTED' });
  });

  it('creates through a patch without a mask, and takes the location-less binding as global', () => {
    const scc = new SccState([SOURCE]);
    expect(update('fromPatch', FINDING, scc, '').status).toBe(200);
    expect(call('GET', `/v2/${SOURCE}/findings`, {}, undefined, scc).body).toMatchObject({ totalSize: 1 });
  });

  it.each([
    [
      'an ID longer than 32 characters',
      () => create('a'.repeat(33), FINDING, new SccState([SOURCE])),
      400,
      /alphanumeric/,
    ],
    ['an ID with a dash', () => create('abc-123', FINDING, new SccState([SOURCE])), 400, /alphanumeric/],
    ['a create with no ID', () => create('', FINDING, new SccState([SOURCE])), 400, /alphanumeric/],
    ['a source that does not exist', () => create('abc', FINDING, new SccState([])), 404, /not found/],
    [
      'a location other than global',
      () =>
        call(
          'POST',
          `/v2/${SOURCE}/locations/eu/findings`,
          { findingId: 'a' },
          FINDING,
          new SccState([SOURCE]),
        ),
      400,
      /Location/,
    ],
    [
      'an unknown severity',
      () => create('abc', { ...FINDING, severity: 'URGENT' }, new SccState([SOURCE])),
      400,
      /severity/,
    ],
    [
      'an unknown finding class',
      () => create('abc', { ...FINDING, findingClass: 'BUG' }, new SccState([SOURCE])),
      400,
      /findingClass/,
    ],
    [
      'an event time in the future',
      () => create('abc', { ...FINDING, eventTime: '2027-01-01T00:00:00Z' }, new SccState([SOURCE])),
      400,
      /current time/,
    ],
    [
      'an event time that is no timestamp',
      () => create('abc', { ...FINDING, eventTime: 'yesterday' }, new SccState([SOURCE])),
      400,
      /RFC 3339/,
    ],
    [
      'a bad source property key',
      () => create('abc', { ...FINDING, sourceProperties: { '1st': 'x' } }, new SccState([SOURCE])),
      400,
      /property key/,
    ],
    [
      'an external URI that is no URL',
      () => create('abc', { ...FINDING, externalUri: 'report page' }, new SccState([SOURCE])),
      400,
      /externalUri/,
    ],
    [
      'a create without a category',
      () => create('abc', { ...FINDING, category: undefined }, new SccState([SOURCE])),
      400,
      /category/,
    ],
    [
      'a masked patch of a finding that does not exist',
      () => update('abc', FINDING, new SccState([SOURCE])),
      400,
      /must not be specified when creating/,
    ],
    [
      'a mask naming no Finding field',
      () => update('abc123', FINDING, created(), 'colour'),
      400,
      /update mask/,
    ],
    [
      'a mask naming a sub-field of a plain field',
      () => update('abc123', FINDING, created(), 'severity.level'),
      400,
      /update mask/,
    ],
    [
      'a change to the category',
      () => update('abc123', { category: 'other.rule' }, created(), 'category'),
      400,
      /immutable/,
    ],
    [
      'a change to the resource',
      () => update('abc123', { resourceName: '//x' }, created(), 'resourceName'),
      400,
      /immutable/,
    ],
    [
      'setState of a finding that does not exist',
      () => setState('nothere', 'INACTIVE', new SccState([SOURCE])),
      404,
      /not found/,
    ],
    ['setState to an unknown state', () => setState('abc123', 'CLOSED', created()), 400, /state/],
    ['setMute to an unknown mute', () => setMute('abc123', 'SILENT', created()), 400, /mute/],
    [
      'setState by PATCH',
      () => call('PATCH', `/v2/${PARENT}/findings/abc123:setState`, {}, { state: 'ACTIVE' }, created()),
      405,
      /not allowed/,
    ],
    [
      'a DELETE',
      () => call('DELETE', `/v2/${PARENT}/findings/abc123`, {}, undefined, created()),
      405,
      /not allowed/,
    ],
  ])('refuses %s', (_name, run, code, message) => {
    const answer = refusal(run);
    expect(answer.code).toBe(code);
    expect(answer.message).toMatch(message);
  });

  it('takes an immutable field in the mask when its value is unchanged, and an output-only path', () => {
    const scc = created();
    expect(
      update('abc123', { ...FINDING, severity: 'HIGH' }, scc, 'category,resourceName,createTime,severity')
        .status,
    ).toBe(200);
    expect(stored(scc)).toMatchObject({ category: FINDING.category, severity: 'HIGH' });
  });

  it('pages a long list', () => {
    const scc = new SccState([SOURCE]);
    for (let index = 0; index < 5; index += 1) create(`f${index}`, FINDING, scc);
    const first = call('GET', `/v2/${PARENT}/findings`, { pageSize: '3' }, undefined, scc);
    const body = first.body as { listFindingsResults: unknown[]; nextPageToken?: string; totalSize: number };
    expect(body.listFindingsResults).toHaveLength(3);
    expect(body.totalSize).toBe(5);
    const second = call(
      'GET',
      `/v2/${PARENT}/findings`,
      { pageSize: '3', pageToken: body.nextPageToken ?? '' },
      undefined,
      scc,
    );
    expect(
      (second.body as { listFindingsResults: unknown[]; nextPageToken?: string }).listFindingsResults,
    ).toHaveLength(2);
    expect(second.body).not.toHaveProperty('nextPageToken');
  });

  it('leaves other paths to the other routes', () => {
    expect(
      handleSccRequest('GET', '/v2/projects/p/sinks', new URLSearchParams(), undefined, new SccState(), NOW),
    ).toBeUndefined();
  });
});
