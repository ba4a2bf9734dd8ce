import { describe, expect, test } from 'vitest';
import { type CloudEventLike, parseCloudEvent } from '../../src/events/parse-cloud-event.js';
import { parseLogEntry } from '../../src/events/parse-log-entry.js';
import { auditEntry, eventarcCloudEvent, pubSubCloudEvent } from '../support/audit-entries.js';

const BS = 'projects/acme-edge/global/backendServices/apigw-bs';
const NEG = 'projects/acme-edge/regions/us-central1/networkEndpointGroups/apigw-neg-usc1';
const GW = 'projects/acme-edge/locations/us-central1/gateways/orders-gw';

describe('parseLogEntry: what each entry points at', () => {
  test.each([
    [
      'v1 backend service patch (last)',
      'v1.compute.backendServices.patch',
      BS,
      '//compute.googleapis.com/projects/acme-edge/global/backendServices/apigw-bs',
      'patch',
      false,
    ],
    [
      'setSecurityPolicy',
      'v1.compute.backendServices.setSecurityPolicy',
      BS,
      '//compute.googleapis.com/projects/acme-edge/global/backendServices/apigw-bs',
      'setSecurityPolicy',
      false,
    ],
    [
      'beta NEG insert',
      'beta.compute.regionNetworkEndpointGroups.insert',
      NEG,
      '//compute.googleapis.com/projects/acme-edge/regions/us-central1/networkEndpointGroups/apigw-neg-usc1',
      'insert',
      false,
    ],
    [
      'alpha NEG delete',
      'alpha.compute.regionNetworkEndpointGroups.delete',
      NEG,
      '//compute.googleapis.com/projects/acme-edge/regions/us-central1/networkEndpointGroups/apigw-neg-usc1',
      'delete',
      true,
    ],
    [
      'regional backend service update',
      'v1.compute.regionBackendServices.update',
      'projects/acme-edge/regions/europe-west2/backendServices/run-bs',
      '//compute.googleapis.com/projects/acme-edge/regions/europe-west2/backendServices/run-bs',
      'update',
      false,
    ],
    [
      'URL map patch',
      'v1.compute.urlMaps.patch',
      'projects/acme-edge/global/urlMaps/apigw-map',
      '//compute.googleapis.com/projects/acme-edge/global/urlMaps/apigw-map',
      'patch',
      false,
    ],
    [
      'HTTPS proxy setSslPolicy',
      'v1.compute.targetHttpsProxies.setSslPolicy',
      'projects/acme-edge/global/targetHttpsProxies/apigw-proxy',
      '//compute.googleapis.com/projects/acme-edge/global/targetHttpsProxies/apigw-proxy',
      'setSslPolicy',
      false,
    ],
    [
      'forwarding rule setTarget',
      'v1.compute.globalForwardingRules.setTarget',
      'projects/acme-edge/global/forwardingRules/apigw-fr',
      '//compute.googleapis.com/projects/acme-edge/global/forwardingRules/apigw-fr',
      'setTarget',
      false,
    ],
    [
      'Cloud Armor rule edit',
      'v1.compute.securityPolicies.patchRule',
      'projects/acme-edge/global/securityPolicies/api-waf',
      '//compute.googleapis.com/projects/acme-edge/global/securityPolicies/api-waf',
      'patchRule',
      false,
    ],
    [
      'gateway update (v1)',
      'google.cloud.apigateway.v1.ApiGatewayService.UpdateGateway',
      GW,
      '//apigateway.googleapis.com/projects/acme-edge/locations/us-central1/gateways/orders-gw',
      'UpdateGateway',
      false,
    ],
    [
      'gateway delete (v1beta)',
      'google.cloud.apigateway.v1beta.ApiGatewayService.DeleteGateway',
      GW,
      '//apigateway.googleapis.com/projects/acme-edge/locations/us-central1/gateways/orders-gw',
      'DeleteGateway',
      true,
    ],
    [
      'API config create',
      'google.cloud.apigateway.v1.ApiGatewayService.CreateApiConfig',
      'projects/acme-edge/locations/global/apis/orders/configs/orders-v8',
      '//apigateway.googleapis.com/projects/acme-edge/locations/global/apis/orders/configs/orders-v8',
      'CreateApiConfig',
      false,
    ],
  ])('%s', (_name, method, resourceName, resource, verb, deleted) => {
    const parsed = parseLogEntry(auditEntry({ method, resourceName }));
    expect(parsed.outcome).toBe('change');
    if (parsed.outcome !== 'change') return;
    expect(parsed.event).toMatchObject({
      resource,
      verb,
      deleted,
      method,
      actor: 'deployer@acme-edge.iam.gserviceaccount.com',
      at: '2026-05-11T14:12:25.678Z',
      project: 'acme-edge',
    });
    expect(parsed.event.entryId).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('parseLogEntry: entries acknowledged without work', () => {
  test.each([
    [
      'the first entry of an operation',
      { method: 'v1.compute.backendServices.patch', resourceName: BS, phase: 'first' as const },
      /first entry/,
    ],
    [
      'a failed call',
      { method: 'v1.compute.backendServices.patch', resourceName: BS, statusCode: 3 },
      /failed \(status 3\)/,
    ],
    [
      'an instance change',
      {
        method: 'v1.compute.instances.insert',
        resourceName: 'projects/acme-edge/zones/us-central1-a/instances/vm-1',
      },
      /not one Gatewarden watches/,
    ],
    [
      'a lookalike family',
      { method: 'v1.compute.backendServicesX.patch', resourceName: BS },
      /not one Gatewarden watches/,
    ],
    [
      'an IAM call on API Gateway from another service',
      {
        method: 'google.iam.admin.v1.CreateServiceAccount',
        resourceName: 'projects/acme-edge/serviceAccounts/x',
      },
      /not one Gatewarden watches/,
    ],
    // Each left the record as it was: judged, it looked like a stale read and was redelivered three times.
    [
      'an IAM policy set on a backend service',
      { method: 'v1.compute.backendServices.setIamPolicy', resourceName: BS },
      /leaves the resource as it was/,
    ],
    [
      'an IAM policy set on a gateway',
      {
        method: 'google.cloud.apigateway.v1.ApiGatewayService.SetIamPolicy',
        resourceName: 'projects/acme-edge/locations/us-central1/gateways/orders-gw-usc1',
        phase: 'none' as const,
      },
      /leaves the resource as it was/,
    ],
    // Admin Activity writes of the URL map families that change nothing a GET returns: a CDN cache invalidation (run
    // after most deploys) was judged as a stale read and redelivered three times before it was judged.
    [
      'a CDN cache invalidation through a URL map',
      {
        method: 'v1.compute.urlMaps.invalidateCache',
        resourceName: 'projects/acme-edge/global/urlMaps/apigw-map',
      },
      /leaves the resource as it was/,
    ],
    [
      'a regional URL map validated',
      {
        method: 'v1.compute.regionUrlMaps.validate',
        resourceName: 'projects/acme-edge/regions/us-central1/urlMaps/apigw-map',
      },
      /leaves the resource as it was/,
    ],
    [
      "a serverless NEG's endpoints listed",
      {
        method: 'beta.compute.regionNetworkEndpointGroups.listNetworkEndpoints',
        resourceName: NEG,
        phase: 'none' as const,
      },
      /leaves the resource as it was/,
    ],
    [
      'a read routed from the Data Access logs',
      { method: 'v1.compute.backendServices.get', resourceName: BS, phase: 'none' as const },
      /leaves the resource as it was/,
    ],
    [
      'a list of gateways',
      {
        method: 'google.cloud.apigateway.v1.ApiGatewayService.ListGateways',
        resourceName: 'projects/acme-edge/locations/-/gateways',
        phase: 'none' as const,
      },
      /leaves the resource as it was/,
    ],
  ])('%s', (_name, options, reason) => {
    const parsed = parseLogEntry(auditEntry(options));
    expect(parsed.outcome).toBe('ignored');
    if (parsed.outcome === 'ignored') expect(parsed.reason).toMatch(reason);
  });

  test.each([
    ['UpdateGateway', 'google.cloud.apigateway.v1.ApiGatewayService.UpdateGateway', GW, false],
    [
      'CreateApiConfig',
      'google.cloud.apigateway.v1.ApiGatewayService.CreateApiConfig',
      'projects/acme-edge/locations/global/apis/orders/configs/orders-v8',
      false,
    ],
    ['DeleteGateway', 'google.cloud.apigateway.v1beta.ApiGatewayService.DeleteGateway', GW, true],
  ])(
    "API Gateway's first entry (%s) is acted on: the judgement waits for the operation's end (DESIGN.md §2)",
    (_label, method, resourceName, deleted) => {
      const parsed = parseLogEntry(auditEntry({ method, resourceName, phase: 'first' }));
      expect(parsed.outcome).toBe('change');
      if (parsed.outcome === 'change') expect(parsed.event).toMatchObject({ method, deleted });
    },
  );

  test('an entry without an operation (a synchronous call) is acted on', () => {
    expect(
      parseLogEntry(
        auditEntry({
          method: 'v1.compute.sslPolicies.patch',
          resourceName: 'projects/acme-edge/global/sslPolicies/modern',
          phase: 'none',
        }),
      ).outcome,
    ).toBe('change');
  });

  test.each(['2026-05-11T14:12:25.678901234Z', '2026-05-11T14:12:25Z', '2026-05-11T16:12:25.5+02:00'])(
    'a timestamp as Cloud Logging writes it (%s) is kept as the change time',
    (timestamp) => {
      const parsed = parseLogEntry(
        auditEntry({
          method: 'v1.compute.backendServices.patch',
          resourceName: 'projects/acme-edge/global/backendServices/orders-bs',
          timestamp,
        }),
      );
      expect(parsed.outcome === 'change' && parsed.event.at).toBe(timestamp);
    },
  );
});

describe('dedupe identity', () => {
  test('the same entry gives the same id; another insertId or timestamp another id', () => {
    const id = (options: { insertId?: string; timestamp?: string }) => {
      const parsed = parseLogEntry(
        auditEntry({ method: 'v1.compute.backendServices.patch', resourceName: BS, ...options }),
      );
      return parsed.outcome === 'change' ? parsed.event.entryId : undefined;
    };
    expect(id({})).toBe(id({}));
    expect(id({ insertId: 'other' })).not.toBe(id({}));
    expect(id({ timestamp: '2026-05-11T14:12:25.679Z' })).not.toBe(id({}));
  });

  test('the parts of a split entry share one identity', () => {
    const part = (index: number, insertId: string) => ({
      ...auditEntry({
        method: 'v1.compute.urlMaps.update',
        resourceName: 'projects/acme-edge/global/urlMaps/big',
        insertId,
      }),
      split: { uid: 'split-uid-1', index, totalSplits: 2 },
    });
    const [a, b] = [parseLogEntry(part(0, 'aa')), parseLogEntry(part(1, 'bb'))];
    expect(a.outcome === 'change' && b.outcome === 'change' && a.event.entryId === b.event.entryId).toBe(
      true,
    );
  });
});

describe('envelopes', () => {
  const entry = auditEntry({
    method: 'google.cloud.apigateway.v1.ApiGatewayService.UpdateGateway',
    resourceName: GW,
  });

  test('Pub/Sub messagePublished and Eventarc audit.log.v1.written give the same event', () => {
    const viaPubSub = parseCloudEvent(pubSubCloudEvent(entry));
    const viaEventarc = parseCloudEvent(eventarcCloudEvent(entry));
    expect(viaPubSub.outcome).toBe('change');
    expect(viaPubSub).toEqual(viaEventarc);
  });

  test.each([
    [
      'data that is not base64',
      {
        type: 'google.cloud.pubsub.topic.v1.messagePublished',
        data: { message: { data: '%%%not base64%%%' } },
      },
      /not base64/,
    ],
    ['base64 that is not JSON', pubSubCloudEvent('this is not json'), /not JSON/],
    // The reason is logged: it says where, never what (V8's message quotes the data around the fault).
    [
      'JSON with a bare word in it',
      pubSubCloudEvent('{"protoPayload": {"request": {"token": SECRET-TOKEN}}}'),
      /^the message data is not JSON \(line 1, column 40: unexpected character\)$/,
    ],
    ['JSON without protoPayload', pubSubCloudEvent({ textPayload: 'hello' }), /no protoPayload/],
    ['a JSON array', pubSubCloudEvent([1, 2, 3]), /not a JSON object/],
    [
      'a Cloud Asset feed welcome string',
      pubSubCloudEvent("You have successfully configured real time feed 'lb' on 'projects/123'"),
      /welcome message/,
    ],
    [
      'a Cloud Asset feed message',
      pubSubCloudEvent({ asset: { name: '//compute.googleapis.com/x' }, priorAssetState: 'PRESENT' }),
      /TemporalAsset/,
    ],
    ['no message at all', { type: 'google.cloud.pubsub.topic.v1.messagePublished', data: {} }, /no message/],
    [
      'an empty message',
      { type: 'google.cloud.pubsub.topic.v1.messagePublished', data: { message: { messageId: '1' } } },
      /no data/,
    ],
    ['another CloudEvent type', { type: 'google.cloud.storage.object.v1.finalized', data: {} }, /neither/],
    [
      'an entry over the size cap',
      pubSubCloudEvent({ protoPayload: { methodName: 'x'.repeat(600_000) } }),
      /over 524288 bytes/,
    ],
    [
      'a resourceName that names nothing',
      pubSubCloudEvent(
        auditEntry({ method: 'v1.compute.backendServices.patch', resourceName: '../../etc/passwd' }),
      ),
      /names no resource/,
    ],
    [
      'an entry missing its identity',
      pubSubCloudEvent({ protoPayload: { methodName: 'v1.compute.backendServices.patch' } }),
      /lacks logName, insertId, timestamp/,
    ],
    // It would pass the age gate (NaN is never too old) and become the findings' lastChange.at.
    ...['banana', '2026-13-45T99:00:00Z', '1778512345'].map((timestamp): [string, CloudEventLike, RegExp] => [
      `a timestamp that is not a date (${timestamp})`,
      pubSubCloudEvent(
        auditEntry({
          method: 'v1.compute.backendServices.patch',
          resourceName: 'projects/acme-edge/global/backendServices/orders-bs',
          timestamp,
        }),
      ),
      /timestamp .* is not an RFC 3339 date/,
    ]),
  ])('poison: %s', (_name, cloudEvent, reason) => {
    const parsed = parseCloudEvent(cloudEvent);
    expect(parsed.outcome).toBe('malformed');
    if (parsed.outcome === 'malformed') expect(parsed.reason).toMatch(reason);
  });
});
