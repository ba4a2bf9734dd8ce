// What an alert says about its rule (title, remediation), looked up from the catalogue: rule metadata is the one source.

import { findRule } from '../rules/catalogue.js';

export interface RuleSummary {
  readonly title: string;
  readonly remediation: string;
}

/** Injected into the formatters so golden files do not move when a catalogue title is reworded. */
export type RuleLookup = (ruleId: string) => RuleSummary | undefined;

export const lookupCatalogueRule: RuleLookup = (ruleId) => {
  const rule = findRule(ruleId);
  return rule ? { title: rule.title, remediation: rule.remediation.summary } : undefined;
};

/** A rule removed from the catalogue still has findings in the outbox: name it by its ID. */
export function summaryOf(ruleId: string, lookup: RuleLookup): RuleSummary {
  return lookup(ruleId) ?? { title: ruleId, remediation: '' };
}
