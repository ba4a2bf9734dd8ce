// Glob patterns over flat names (project IDs, rule IDs, label values): `*` stands for any run of characters,
// everything else is literal. Used by alert routes, and by the policy loader to check a pattern can match.

const SPECIAL = /[.+?^${}()|[\]\\]/g;

/** A tester for one pattern; a pattern without `*` compares exactly. */
export function globTester(pattern: string): (name: string) => boolean {
  if (!pattern.includes('*')) return (name) => name === pattern;
  const regex = new RegExp(`^${pattern.replace(SPECIAL, '\\$&').replace(/\*+/g, '.*')}$`, 's');
  return (name) => regex.test(name);
}

/** True when any of the patterns matches. */
export function anyGlobTester(patterns: readonly string[]): (name: string) => boolean {
  const testers = patterns.map(globTester);
  return (name) => testers.some((matches) => matches(name));
}
