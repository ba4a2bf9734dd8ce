// When a re-read looks like a replica that has not caught up with the change the event reports.

import { describe, expect, test } from 'vitest';
import { isLikelyStaleRead } from '../../src/app/judge-change.js';
import { hashRecord } from '../../src/app/snapshots.js';
import type { ApiRecord } from '../../src/domain/resources.js';
import type { ChangeEvent } from '../../src/events/change-event.js';
import { parseLogEntry } from '../../src/events/parse-log-entry.js';
import type { ResourceSnapshot } from '../../src/ports/snapshots.js';
import { auditEntry } from '../support/audit-entries.js';
import { backendService, fullName, gateway } from '../support/records.js';

const NAME = 'projects/acme-edge/global/backendServices/payments-bs';
const CHANGE_AT = '2026-05-11T14:12:25.678Z';
const BEFORE = '2026-05-11T14:00:00.000Z';
const AFTER = '2026-05-11T14:12:30.000Z';

const beforeChange = backendService('payments-bs');
// Compute renews the fingerprint on every change, so even a patch that sets a field to its value reads back different.
const afterChange = backendService('payments-bs', { securityPolicy: undefined, fingerprint: 'Qm9vdHN0cmFw' });

const GATEWAY_NAME = 'projects/acme-edge/locations/us-central1/gateways/orders-gw-usc1';

function eventOf(method: string): ChangeEvent {
  const resourceName = method.includes('apigateway') ? GATEWAY_NAME : NAME;
  const parsed = parseLogEntry(auditEntry({ method, resourceName, timestamp: CHANGE_AT }));
  if (parsed.outcome !== 'change') throw new Error(`not a change: ${JSON.stringify(parsed)}`);
  return parsed.event;
}

function snapshotOf(data: ApiRecord, observedAt: string, deleted = false): ResourceSnapshot {
  return {
    name: fullName('global/backendServices/payments-bs'),
    type: 'backendService',
    data,
    references: [],
    hash: hashRecord(data),
    observedAt,
    deleted,
    project: 'acme-edge',
  };
}

const PATCH = 'v1.compute.backendServices.patch';
const INSERT = 'v1.compute.backendServices.insert';
const DELETE = 'v1.compute.backendServices.delete';

const CASES: readonly {
  name: string;
  method: string;
  current: ApiRecord | undefined;
  previous: ResourceSnapshot | undefined;
  stale: boolean;
}[] = [
  {
    name: 'a patch that reads back exactly as stored before it: stale',
    method: PATCH,
    current: beforeChange,
    previous: snapshotOf(beforeChange, BEFORE),
    stale: true,
  },
  {
    name: 'a patch that reads back changed: fresh',
    method: PATCH,
    current: afterChange,
    previous: snapshotOf(beforeChange, BEFORE),
    stale: false,
  },
  {
    name: 'unchanged since a snapshot observed after the change (a redelivery): fresh',
    method: PATCH,
    current: afterChange,
    previous: snapshotOf(afterChange, AFTER),
    stale: false,
  },
  {
    name: 'no snapshot yet (first event after install): nothing to compare, fresh',
    method: PATCH,
    current: beforeChange,
    previous: undefined,
    stale: false,
  },
  {
    name: 'a patch whose resource reads as missing: stale',
    method: PATCH,
    current: undefined,
    previous: snapshotOf(beforeChange, BEFORE),
    stale: true,
  },
  {
    name: 'an insert that reads as missing: stale',
    method: INSERT,
    current: undefined,
    previous: undefined,
    stale: true,
  },
  {
    name: 'a delete that still reads back: stale',
    method: DELETE,
    current: beforeChange,
    previous: snapshotOf(beforeChange, BEFORE),
    stale: true,
  },
  // Terraform replaces a resource by deleting it and creating one of the same name: by the time the delete's entry is
  // judged the new one is usually there. It is not the deleted one read from a lagging replica (it was created after
  // the delete), so it is judged now rather than after three redeliveries.
  {
    name: 'a delete whose name reads back as a resource created after it (a replacement): fresh',
    method: DELETE,
    current: backendService('payments-bs', {
      id: '7301650017799424210',
      creationTimestamp: '2026-05-11T07:12:40.112-07:00',
      fingerprint: 'UmVwbGFjZWQ=',
    }),
    previous: snapshotOf(beforeChange, BEFORE),
    stale: false,
  },
  {
    name: 'a delete whose name reads back as a gateway created after it (a replacement): fresh',
    method: 'google.cloud.apigateway.v1.ApiGatewayService.DeleteGateway',
    current: gateway('orders-gw-usc1', 'us-central1', 'orders/configs/orders-v7', {
      createTime: '2026-05-11T14:12:40.112345Z',
    }),
    previous: undefined,
    stale: false,
  },
  {
    name: 'a delete that reads back a gateway created before it: stale',
    method: 'google.cloud.apigateway.v1.ApiGatewayService.DeleteGateway',
    current: gateway('orders-gw-usc1', 'us-central1', 'orders/configs/orders-v7'),
    previous: undefined,
    stale: true,
  },
  {
    name: 'a delete that reads as missing: fresh',
    method: DELETE,
    current: undefined,
    previous: snapshotOf(beforeChange, BEFORE),
    stale: false,
  },
  {
    name: 'a re-create read back over a snapshot marked deleted: fresh',
    method: INSERT,
    current: afterChange,
    previous: snapshotOf(beforeChange, BEFORE, true),
    stale: false,
  },
];

describe('isLikelyStaleRead', () => {
  test.each(CASES)('$name', ({ method, current, previous, stale }) => {
    expect(isLikelyStaleRead(eventOf(method), current, previous)).toBe(stale);
  });
});
