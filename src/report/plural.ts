// Counts in words for reports and CLI messages: "1 finding", "1,204 resources".

/** The count with thousands separators and the noun, plural by adding an `s` (every noun we count takes one). */
export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * `1,204`: what `toLocaleString('en-US')` prints for a whole number, without its first call's cost (setting up
 * ICU's number formatting takes 20-60 ms, a tenth of a small scan). Anything else goes to toLocaleString.
 */
export function formatCount(count: number): string {
  if (!Number.isSafeInteger(count)) return count.toLocaleString('en-US');
  return String(count).replace(/\B(?=(\d{3})+$)/g, ',');
}
