// Counts in words for reports and CLI messages: "1 finding", "1,204 resources".

/** The count with thousands separators and the noun, plural by adding an `s` (every noun we count takes one). */
export function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}
