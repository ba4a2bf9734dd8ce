import { describe, expect, test } from 'vitest';
import { ALERT_MESSAGE_SCHEMA, buildAlertMessage } from '../../src/alerts/alert-message.js';
import { lookupCatalogueRule } from '../../src/alerts/rule-summary.js';
import { alertOf, SAMPLE_RULES, sampleAlerts } from './sample-alerts.js';

function bodyOf(message: { data: string }) {
  return JSON.parse(message.data);
}

describe('buildAlertMessage', () => {
  test('matches the golden file (body and attributes of every sample alert)', async () => {
    const messages = sampleAlerts().map((alert) => {
      const message = buildAlertMessage(alert, SAMPLE_RULES);
      return { attributes: message.attributes, body: bodyOf(message) };
    });
    await expect(`${JSON.stringify(messages, null, 2)}\n`).toMatchFileSnapshot(
      './alert-messages.golden.json',
    );
  });

  test.each(sampleAlerts().map((alert) => ({ name: `${alert.transition} ${alert.finding.ruleId}`, alert })))(
    'attributes carry what subscribers filter on: $name',
    ({ alert }) => {
      const { attributes } = buildAlertMessage(alert, SAMPLE_RULES);
      expect(attributes).toEqual({
        alertId: alert.id,
        ruleId: alert.finding.ruleId,
        severity: alert.finding.severity,
        transition: alert.transition,
        project: 'acme-edge',
      });
      expect(Object.values(attributes).every((value) => typeof value === 'string' && value.length > 0)).toBe(
        true,
      );
    },
  );

  test('the body names who changed it, how, the rule, its fix and a console link', () => {
    const [patched] = sampleAlerts();
    if (!patched) throw new Error('test bug: no sample alerts');
    const body = bodyOf(buildAlertMessage(patched, SAMPLE_RULES));
    expect(body.schema).toBe(ALERT_MESSAGE_SCHEMA);
    expect(body.alertId).toBe(patched.id);
    expect(body.change).toMatchObject({
      actor: 'alice@acme.example',
      method: 'v1.compute.backendServices.patch',
    });
    expect(body.rule).toEqual({
      id: 'backend.cloud-armor-attached',
      title: 'Backend services have a Cloud Armor policy',
      remediation: 'Attach a Cloud Armor security policy to the backend service.',
    });
    expect(body.consoleLink).toBe(
      'https://console.cloud.google.com/net-services/loadbalancing/backends/details/backendService/orders-bs?project=acme-edge',
    );
    expect(body.finding).toMatchObject({
      ruleId: patched.finding.ruleId,
      firstSeenAt: '2026-11-20T08:30:00.000Z',
    });
  });

  test('a finding from a sweep has change null, not an invented actor', () => {
    const sweep = sampleAlerts().find((alert) => alert.change === null);
    if (!sweep) throw new Error('test bug: no sweep alert');
    expect(bodyOf(buildAlertMessage(sweep, SAMPLE_RULES)).change).toBeNull();
  });

  test("the resource's labels travel in the body when it has any, and are absent otherwise", () => {
    const [plain] = sampleAlerts();
    if (!plain) throw new Error('test bug: no sample alert');
    expect(bodyOf(buildAlertMessage(plain, SAMPLE_RULES)).finding).not.toHaveProperty('labels');
    const labelled = { ...plain, finding: { ...plain.finding, labels: { team: 'payments' } } };
    expect(bodyOf(buildAlertMessage(labelled, SAMPLE_RULES)).finding.labels).toEqual({ team: 'payments' });
  });

  test('the real catalogue supplies title and remediation', () => {
    const alert = alertOf({
      ruleId: 'neg.no-network-endpoints',
      resource: '//compute.googleapis.com/projects/acme-edge/regions/us-central1/networkEndpointGroups/n',
      resourceType: 'compute.googleapis.com/NetworkEndpointGroup',
      location: 'us-central1',
      severity: 'HIGH',
      transition: 'opened',
      message: 'NEG n has endpoints.',
    });
    expect(bodyOf(buildAlertMessage(alert, lookupCatalogueRule)).rule).toEqual({
      id: 'neg.no-network-endpoints',
      title: 'Serverless NEGs have no network endpoints',
      remediation: 'Recreate the NEG as a serverless NEG with no endpoints and no default port.',
    });
  });

  test('a rule no longer in the catalogue is named by its ID, not dropped', () => {
    const alert = alertOf({
      ruleId: 'retired.rule',
      resource: '//compute.googleapis.com/projects/acme-edge/global/backendServices/bs',
      resourceType: 'compute.googleapis.com/BackendService',
      location: 'global',
      severity: 'LOW',
      transition: 'resolved',
      message: 'gone',
    });
    expect(bodyOf(buildAlertMessage(alert, lookupCatalogueRule)).rule).toEqual({
      id: 'retired.rule',
      title: 'retired.rule',
      remediation: '',
    });
  });

  test('a bigint in evidence becomes a string instead of stopping the alert', () => {
    const alert = alertOf({
      ruleId: 'backend.no-capacity-limits',
      resource: '//compute.googleapis.com/projects/acme-edge/global/backendServices/bs',
      resourceType: 'compute.googleapis.com/BackendService',
      location: 'global',
      severity: 'LOW',
      transition: 'opened',
      message: 'limits',
      evidence: { maxRate: 10n ** 20n },
    });
    expect(bodyOf(buildAlertMessage(alert, SAMPLE_RULES)).finding.evidence).toEqual({
      maxRate: '100000000000000000000',
    });
  });
});
