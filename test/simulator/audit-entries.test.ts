import { describe, expect, it } from 'vitest';
import { parseLogEntry } from '../../src/events/parse-log-entry.js';
import { type AuditContext, buildAuditEntries, type Mutation } from '../../src/simulator/audit-entries.js';
import { PROJECT } from '../support/records.js';

const CONTEXT: AuditContext = {
  principal: 'deployer@acme-edge.iam.gserviceaccount.com',
  time: new Date('2026-05-11T14:12:25.678Z'),
  callerIp: '203.0.113.7',
  userAgent: 'google-cloud-sdk gcloud/528.0.0',
  operationName: 'operation-1778512345678-6a1b2c3d4e5f6-0a1b2c3d-4e5f6a7b',
  insertIds: ['-abc123def456', '-abc123def789'],
  rootTriggerId: '5e0b7c0e-3f1d-4a43-9c2e-2f4b2f0f6b11',
};

describe('audit entries for a backend service patch (gcp-facts §4.3 a, b)', () => {
  const [first, last] = buildAuditEntries(
    {
      service: 'compute',
      version: 'v1',
      verb: 'patch',
      resourceName: `projects/${PROJECT}/global/backendServices/apigw-bs`,
      targetId: '4021788411093327921',
      body: { enableCDN: true, fingerprint: 'lWQ0n9xd5Ss=' },
    },
    CONTEXT,
  );

  it('shapes the first entry like the real one', () => {
    expect(first).toEqual({
      protoPayload: {
        '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
        status: {},
        authenticationInfo: { principalEmail: 'deployer@acme-edge.iam.gserviceaccount.com' },
        requestMetadata: {
          callerIp: '203.0.113.7',
          callerSuppliedUserAgent: 'google-cloud-sdk gcloud/528.0.0',
          requestAttributes: { time: '2026-05-11T14:12:25.678Z', auth: {} },
          destinationAttributes: {},
        },
        serviceName: 'compute.googleapis.com',
        methodName: 'v1.compute.backendServices.patch',
        authorizationInfo: [
          {
            permission: 'compute.backendServices.update',
            granted: true,
            resourceAttributes: {
              service: 'compute',
              name: `projects/${PROJECT}/global/backendServices/apigw-bs`,
              type: 'compute.backendServices',
            },
          },
        ],
        resourceName: `projects/${PROJECT}/global/backendServices/apigw-bs`,
        request: {
          '@type': 'type.googleapis.com/compute.backendServices.patch',
          enableCDN: true,
          fingerprint: 'lWQ0n9xd5Ss=',
        },
        response: {
          '@type': 'type.googleapis.com/operation',
          name: CONTEXT.operationName,
          operationType: 'patch',
          status: 'RUNNING',
          progress: '0',
          targetId: '4021788411093327921',
          targetLink: `https://www.googleapis.com/compute/v1/projects/${PROJECT}/global/backendServices/apigw-bs`,
          user: 'deployer@acme-edge.iam.gserviceaccount.com',
          insertTime: '2026-05-11T14:12:24.178Z',
          startTime: '2026-05-11T14:12:24.178Z',
          selfLink: `https://www.googleapis.com/compute/v1/projects/${PROJECT}/global/operations/${CONTEXT.operationName}`,
        },
      },
      insertId: '-abc123def456',
      resource: {
        type: 'gce_backend_service',
        labels: { project_id: PROJECT, backend_service_id: '4021788411093327921', location: 'global' },
      },
      timestamp: '2026-05-11T14:12:24.178Z',
      severity: 'NOTICE',
      labels: { 'compute.googleapis.com/root_trigger_id': '5e0b7c0e-3f1d-4a43-9c2e-2f4b2f0f6b11' },
      logName: `projects/${PROJECT}/logs/cloudaudit.googleapis.com%2Factivity`,
      operation: { id: CONTEXT.operationName, producer: 'compute.googleapis.com', first: true },
      receiveTimestamp: '2026-05-11T14:12:24.598Z',
    });
  });

  it('keeps the last entry minimal: request type only, no response, operation.last', () => {
    expect(last.protoPayload.request).toEqual({
      '@type': 'type.googleapis.com/compute.backendServices.patch',
    });
    expect(last.protoPayload.response).toBeUndefined();
    expect(last.operation).toEqual({
      id: CONTEXT.operationName,
      producer: 'compute.googleapis.com',
      last: true,
    });
    expect(last.insertId).toBe('-abc123def789');
    expect(Date.parse(last.timestamp)).toBeGreaterThan(Date.parse(first.timestamp));
  });
});

describe('audit entries parse into the change events the pipeline expects', () => {
  it.each<{
    name: string;
    mutation: Mutation;
    method: string;
    resourceType: string;
    resource: string;
    deleted: boolean;
  }>([
    {
      name: 'API Gateway NEG created through beta',
      mutation: {
        service: 'compute',
        version: 'beta',
        verb: 'insert',
        resourceName: `projects/${PROJECT}/regions/us-central1/networkEndpointGroups/apigw-neg-usc1`,
        targetId: '118822334455667788',
        body: {
          name: 'apigw-neg-usc1',
          networkEndpointType: 'SERVERLESS',
          serverlessDeployment: { platform: 'apigateway.googleapis.com', resource: 'orders-gw' },
        },
      },
      method: 'beta.compute.regionNetworkEndpointGroups.insert',
      resourceType: 'gce_network_endpoint_group',
      resource: `//compute.googleapis.com/projects/${PROJECT}/regions/us-central1/networkEndpointGroups/apigw-neg-usc1`,
      deleted: false,
    },
    {
      name: 'regional backend service deleted',
      mutation: {
        service: 'compute',
        version: 'v1',
        verb: 'delete',
        resourceName: `projects/${PROJECT}/regions/us-central1/backendServices/run-bs`,
      },
      method: 'v1.compute.regionBackendServices.delete',
      resourceType: 'gce_backend_service',
      resource: `//compute.googleapis.com/projects/${PROJECT}/regions/us-central1/backendServices/run-bs`,
      deleted: true,
    },
    {
      name: 'security policy set on a global backend service',
      mutation: {
        service: 'compute',
        version: 'v1',
        verb: 'setSecurityPolicy',
        resourceName: `projects/${PROJECT}/global/backendServices/apigw-bs`,
        body: {
          securityPolicy:
            'https://www.googleapis.com/compute/v1/projects/acme-edge/global/securityPolicies/x',
        },
      },
      method: 'v1.compute.backendServices.setSecurityPolicy',
      resourceType: 'gce_backend_service',
      resource: `//compute.googleapis.com/projects/${PROJECT}/global/backendServices/apigw-bs`,
      deleted: false,
    },
    {
      name: 'global forwarding rule inserted',
      mutation: {
        service: 'compute',
        version: 'v1',
        verb: 'insert',
        resourceName: `projects/${PROJECT}/global/forwardingRules/fr`,
        body: { name: 'fr' },
      },
      method: 'v1.compute.globalForwardingRules.insert',
      resourceType: 'gce_forwarding_rule',
      resource: `//compute.googleapis.com/projects/${PROJECT}/global/forwardingRules/fr`,
      deleted: false,
    },
    {
      name: 'gateway updated',
      mutation: {
        service: 'apigateway',
        verb: 'update',
        resourceName: `projects/${PROJECT}/locations/us-central1/gateways/orders-gw`,
        body: { apiConfig: `projects/${PROJECT}/locations/global/apis/orders/configs/orders-v8` },
        updateMask: 'apiConfig',
      },
      method: 'google.cloud.apigateway.v1.ApiGatewayService.UpdateGateway',
      resourceType: 'audited_resource',
      resource: `//apigateway.googleapis.com/projects/${PROJECT}/locations/us-central1/gateways/orders-gw`,
      deleted: false,
    },
    {
      name: 'API config created',
      mutation: {
        service: 'apigateway',
        verb: 'create',
        resourceName: `projects/${PROJECT}/locations/global/apis/orders/configs/orders-v8`,
        body: { displayName: 'v8' },
      },
      method: 'google.cloud.apigateway.v1.ApiGatewayService.CreateApiConfig',
      resourceType: 'audited_resource',
      resource: `//apigateway.googleapis.com/projects/${PROJECT}/locations/global/apis/orders/configs/orders-v8`,
      deleted: false,
    },
  ])('$name', ({ mutation, method, resourceType, resource, deleted }) => {
    const [first, last] = buildAuditEntries(mutation, { ...CONTEXT, operationName: undefined });
    expect(first.protoPayload.methodName).toBe(method);
    expect(first.resource.type).toBe(resourceType);
    expect(first.operation.id).toBe(last.operation.id);
    // A Compute operation is acted on at its last entry; API Gateway's at each (DESIGN.md §2).
    expect(parseLogEntry(first).outcome).toBe(mutation.service === 'apigateway' ? 'change' : 'ignored');
    const parsed = parseLogEntry(last);
    expect(parsed).toMatchObject({
      outcome: 'change',
      event: { method, resource, deleted, actor: CONTEXT.principal, at: last.timestamp },
    });
  });

  it('builds API Gateway create requests with parent, ID and body, and operation IDs under the location', () => {
    const [first] = buildAuditEntries(
      {
        service: 'apigateway',
        verb: 'create',
        resourceName: `projects/${PROJECT}/locations/us-central1/gateways/payments-gw`,
        body: { apiConfig: 'projects/acme-edge/locations/global/apis/orders/configs/orders-v7' },
      },
      { ...CONTEXT, operationName: undefined },
    );
    expect(first.protoPayload.request).toEqual({
      '@type': 'type.googleapis.com/google.cloud.apigateway.v1.CreateGatewayRequest',
      parent: `projects/${PROJECT}/locations/us-central1`,
      gatewayId: 'payments-gw',
      gateway: { apiConfig: 'projects/acme-edge/locations/global/apis/orders/configs/orders-v7' },
    });
    expect(first.operation.id).toMatch(
      new RegExp(
        `^projects/${PROJECT}/locations/us-central1/operations/operation-\\d+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+$`,
      ),
    );
    expect(first.operation.producer).toBe('apigateway.googleapis.com');
  });
});
