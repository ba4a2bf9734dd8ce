// Text order for everything Gatewarden prints or stores in order: UTF-16 code units, the same on every machine.
// `localeCompare` follows the machine's locale (Estonian puts `z` after `s`, Lithuanian `y` after `i`), so a report,
// a SARIF log or a rule's evidence made on one CI runner would not match another's.

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
