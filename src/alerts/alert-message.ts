// The Pub/Sub alerts-topic message for one alert: a JSON body for machine subscribers and attributes to filter on.

import type { AlertRecord } from '../domain/alert.js';
import { replaceUnserialisable } from '../report/json.js';
import { consoleLinkOf } from './console-link.js';
import { lookupCatalogueRule, type RuleLookup, summaryOf } from './rule-summary.js';

/** Bumped when a field changes meaning or goes away; new fields keep the version. */
export const ALERT_MESSAGE_SCHEMA = 'gatewarden.alert/v1';

export interface AlertMessage {
  readonly data: string;
  /** Pub/Sub subscription filters can only see attributes, so everything subscribers route on is here. */
  readonly attributes: Readonly<Record<string, string>>;
}

export function buildAlertMessage(
  alert: AlertRecord,
  lookup: RuleLookup = lookupCatalogueRule,
): AlertMessage {
  const { finding } = alert;
  const rule = summaryOf(finding.ruleId, lookup);
  const body = {
    schema: ALERT_MESSAGE_SCHEMA,
    alertId: alert.id,
    transition: alert.transition,
    createdAt: alert.createdAt,
    finding: {
      id: finding.id,
      ruleId: finding.ruleId,
      severity: finding.severity,
      state: finding.state,
      resource: finding.resource,
      resourceType: finding.resourceType,
      project: finding.project,
      location: finding.location,
      subKey: finding.subKey,
      message: finding.message,
      evidence: finding.evidence,
      firstSeenAt: finding.firstSeenAt,
      lastSeenAt: finding.lastSeenAt,
      resolvedAt: finding.resolvedAt,
      reopenCount: finding.reopenCount,
      ...(finding.exemption ? { exemption: finding.exemption } : {}),
      // The resource's labels (what alert routes match on), when it has any.
      ...(finding.labels ? { labels: finding.labels } : {}),
    },
    change: alert.change
      ? {
          actor: alert.change.actor,
          method: alert.change.method,
          at: alert.change.at,
          entryId: alert.change.entryId,
        }
      : null,
    rule: { id: finding.ruleId, title: rule.title, remediation: rule.remediation },
    consoleLink: consoleLinkOf(finding.resource),
  };
  return {
    data: JSON.stringify(body, replaceUnserialisable),
    attributes: {
      alertId: alert.id,
      ruleId: finding.ruleId,
      severity: finding.severity,
      transition: alert.transition,
      project: finding.project,
    },
  };
}
