// What a list answer from a Google API is shaped like, in words for a reason line: the readers refuse any other shape.

/** What a value is, never its content: it may be a whole HTML page, or a name chosen to mislead a log. */
export function describeShape(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array, not an object';
  if (typeof value === 'string') return `text (${value.length} characters), not JSON`;
  if (typeof value === 'object') return 'an object, not a list';
  return `a ${typeof value}`;
}

/** `backendServices.aggregatedList answered with a body that is not a list: items is an array, not an object` */
export function notAList(what: string, problem: string): string {
  return `${what} answered with a body that is not a list: ${problem}`;
}
