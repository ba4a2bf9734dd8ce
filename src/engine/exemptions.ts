// Policy exemptions: a failing result covered by an unexpired exemption is muted (kept, marked), never dropped.

import type { RuleResult } from './evaluate.js';
import type { Exemption } from './policy.js';

/** `*` matches within one path segment, `**` across segments; everything else is literal. */
export function matchesPattern(pattern: string, fullName: string): boolean {
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) =>
      part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`).test(fullName);
}

/** An exemption is in force until the end of its `expires` day (or that instant, when a time is given). */
export function isExpired(exemption: Exemption, now: Date): boolean {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(exemption.expires);
  const end = new Date(dateOnly ? `${exemption.expires}T23:59:59.999Z` : exemption.expires);
  return Number.isNaN(end.getTime()) || end.getTime() < now.getTime();
}

export function findExemption(
  result: RuleResult,
  exemptions: readonly Exemption[],
  now: Date,
): Exemption | undefined {
  return exemptions.find(
    (exemption) =>
      (exemption.ruleId === '*' || exemption.ruleId === result.ruleId) &&
      matchesPattern(exemption.resource, result.resource) &&
      !isExpired(exemption, now),
  );
}

export function applyExemptions(
  results: RuleResult[],
  exemptions: readonly Exemption[],
  now: Date,
): RuleResult[] {
  if (exemptions.length === 0) return results;
  return results.map((result) => {
    if (result.status !== 'fail') return result;
    const exemption = findExemption(result, exemptions, now);
    if (!exemption) return result;
    return {
      ...result,
      exemption: {
        reason: exemption.reason,
        expires: exemption.expires,
        pattern: exemption.resource,
        ...(exemption.owner ? { owner: exemption.owner } : {}),
      },
    };
  });
}
