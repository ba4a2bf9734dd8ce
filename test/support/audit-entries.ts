// Real-shaped Cloud Audit Log entries (gcp-facts.md §4.3) and the envelopes they arrive in, for event tests.

const PROJECT = 'acme-edge';

export interface EntryOptions {
  readonly method: string;
  readonly resourceName: string;
  readonly phase?: 'first' | 'last' | 'none';
  readonly statusCode?: number;
  readonly insertId?: string;
  readonly timestamp?: string;
  readonly principal?: string;
  readonly operationId?: string;
  readonly service?: string;
}

export function auditEntry(options: EntryOptions): Record<string, unknown> {
  const service =
    options.service ??
    (options.method.includes('apigateway') ? 'apigateway.googleapis.com' : 'compute.googleapis.com');
  const phase = options.phase ?? 'last';
  const operationId = options.operationId ?? 'operation-1778512345678-6a1b2c3d4e5f6-0a1b2c3d-4e5f6a7b';
  const failed = options.statusCode !== undefined && options.statusCode !== 0;
  return {
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      status: failed ? { code: options.statusCode, message: 'INVALID_ARGUMENT' } : {},
      authenticationInfo: {
        principalEmail: options.principal ?? `deployer@${PROJECT}.iam.gserviceaccount.com`,
      },
      requestMetadata: {
        callerIp: '203.0.113.7',
        callerSuppliedUserAgent:
          'google-cloud-sdk gcloud/528.0.0 command/gcloud.compute.backend-services.update',
      },
      serviceName: service,
      methodName: options.method,
      resourceName: options.resourceName,
      request: { '@type': `type.googleapis.com/${options.method.replace(/^(v1|beta|alpha)\./, '')}` },
    },
    insertId: options.insertId ?? '-abc123def456',
    resource: { type: 'gce_backend_service', labels: { project_id: PROJECT, location: 'global' } },
    timestamp: options.timestamp ?? '2026-05-11T14:12:25.678Z',
    severity: failed ? 'ERROR' : 'NOTICE',
    logName: `projects/${PROJECT}/logs/cloudaudit.googleapis.com%2Factivity`,
    ...(phase === 'none'
      ? {}
      : {
          operation: {
            id: operationId,
            producer: service,
            ...(phase === 'first' ? { first: true } : { last: true }),
          },
        }),
    receiveTimestamp: '2026-05-11T14:12:26.101Z',
  };
}

/** The CloudEvent a Pub/Sub-triggered function receives for a message whose data is `payload`. */
export function pubSubCloudEvent(payload: unknown, messageId = '11843271552201234'): Record<string, unknown> {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return {
    specversion: '1.0',
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    source: `//pubsub.googleapis.com/projects/${PROJECT}/topics/lb-audit`,
    id: messageId,
    time: '2026-05-11T14:12:27.004Z',
    datacontenttype: 'application/json',
    data: {
      subscription: `projects/${PROJECT}/subscriptions/eventarc-us-central1-lb-auditor-123456-sub-789`,
      message: {
        data: Buffer.from(text, 'utf8').toString('base64'),
        attributes: { 'logging.googleapis.com/timestamp': '2026-05-11T14:12:25.678Z' },
        messageId,
        publishTime: '2026-05-11T14:12:27.004Z',
      },
    },
  };
}

/** The CloudEvent of an Eventarc direct audit-log trigger. */
export function eventarcCloudEvent(entry: Record<string, unknown>): Record<string, unknown> {
  const payload = entry.protoPayload as Record<string, string>;
  return {
    specversion: '1.0',
    type: 'google.cloud.audit.log.v1.written',
    source: `//cloudaudit.googleapis.com/projects/${PROJECT}/logs/activity`,
    id: 'projects/acme-edge/logs/cloudaudit.googleapis.com%2Factivity-abc123',
    time: '2026-05-11T14:12:27.004Z',
    servicename: payload.serviceName,
    methodname: payload.methodName,
    resourcename: payload.resourceName,
    datacontenttype: 'application/json; charset=utf-8',
    data: entry,
  };
}
