// Severities, their order, and parsing from user input (CLI flags, policy files).

export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** Most severe first, the order reports list them in. */
export const SEVERITIES_DESCENDING: readonly Severity[] = [...SEVERITIES].reverse();

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function isAtLeast(severity: Severity, minimum: Severity): boolean {
  return severityRank(severity) >= severityRank(minimum);
}

export function parseSeverity(text: string): Severity | undefined {
  const upper = text.trim().toUpperCase();
  return (SEVERITIES as readonly string[]).includes(upper) ? (upper as Severity) : undefined;
}

export function compareSeverityDescending(a: Severity, b: Severity): number {
  return severityRank(b) - severityRank(a);
}
