// Escaping of resource-derived text for each chat format, so a hostile name cannot add links, mentions or markup.

// Control characters (newlines included) would let a message break out of its line in our layout.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** Shortens before escaping, so an entity is never cut in half. */
export function clip(text: string, max: number): string {
  const flat = text.replace(CONTROL, ' ');
  const chars = Array.from(flat);
  return chars.length <= max ? flat : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Slack mrkdwn: `<...>` is the only way to write links, user and channel mentions and `<!here>`, so escaping
 * `&`, `<` and `>` (the three Slack documents) neutralises them all.
 */
export function escapeSlack(text: string, max = 300): string {
  return clip(text, max).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Google Chat card text is a small HTML subset (`<b>`, `<a href>`, `<font>`): escape as HTML text and attribute. */
export function escapeChatHtml(text: string, max = 300): string {
  return clip(text, max)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
