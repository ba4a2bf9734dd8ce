import { describe, expect, test } from 'vitest';
import {
  gatewaysMeetingPoint,
  isMeetingPoint,
  maskNegsMeetingPoint,
  meetingPointsOf,
  meetingPointsToRead,
} from '../../src/domain/mask-meeting-points.js';
import { kindOfRef, parseResourceRef } from '../../src/domain/resource-name.js';
import { apiGatewayNeg, fullName, gateway, maskNeg } from '../support/records.js';

const GATEWAYS = '//apigateway.googleapis.com/projects/acme-edge/locations/us-central1/gateways';
const MASKS = '//compute.googleapis.com/projects/acme-edge/regions/us-central1/networkEndpointGroups#urlMask';
const GATEWAY = fullName('locations/us-central1/gateways/orders-gw');
const NEG = fullName('regions/us-central1/networkEndpointGroups/apis-mask-usc1');

describe('mask meeting points', () => {
  test('are named per project and region, and name no resource', () => {
    expect(gatewaysMeetingPoint('acme-edge', 'us-central1')).toBe(GATEWAYS);
    expect(maskNegsMeetingPoint('acme-edge', 'us-central1')).toBe(MASKS);
    for (const name of [GATEWAYS, MASKS]) {
      expect(isMeetingPoint(name)).toBe(true);
      const ref = parseResourceRef(name);
      expect(ref && kindOfRef(ref)).toBeFalsy();
    }
    expect(isMeetingPoint(GATEWAY)).toBe(false);
    expect(isMeetingPoint(NEG)).toBe(false);
  });

  test.each([
    {
      name: 'a gateway is listed with its region’s gateways and reads its region’s mask NEGs',
      kind: 'gateway' as const,
      resource: GATEWAY,
      data: gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7'),
      listedUnder: [GATEWAYS],
      reads: [MASKS],
    },
    {
      name: 'a deleted gateway (no data) still reads its region’s mask NEGs',
      kind: 'gateway' as const,
      resource: GATEWAY,
      data: undefined,
      listedUnder: [GATEWAYS],
      reads: [MASKS],
    },
    {
      name: 'a gateway an audit entry names by project number meets its region under the project ID its record holds',
      kind: 'gateway' as const,
      resource: fullName('locations/us-central1/gateways/orders-gw', '123456789012'),
      data: gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7'),
      listedUnder: [GATEWAYS],
      reads: [MASKS],
    },
    {
      name: 'a mask NEG is listed with its region’s masks and reads its region’s gateways',
      kind: 'networkEndpointGroup' as const,
      resource: NEG,
      data: maskNeg('apis-mask-usc1', 'us-central1', '<gateway>.api.acme.example'),
      listedUnder: [MASKS],
      reads: [GATEWAYS],
    },
    {
      name: 'a NEG naming its gateway by ID meets nothing',
      kind: 'networkEndpointGroup' as const,
      resource: NEG,
      data: apiGatewayNeg('apis-mask-usc1', 'us-central1', 'orders-gw'),
      listedUnder: [],
      reads: [],
    },
    {
      name: 'a global resource meets nothing',
      kind: 'backendService' as const,
      resource: fullName('global/backendServices/orders-bs'),
      data: {},
      listedUnder: [],
      reads: [],
    },
  ])('$name', ({ kind, resource, data, listedUnder, reads }) => {
    expect(meetingPointsOf(kind, resource, data)).toEqual(listedUnder);
    expect(meetingPointsToRead(kind, resource, data)).toEqual(reads);
  });
});
