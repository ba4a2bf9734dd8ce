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
  return clipEscaped(clip(text, max).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'), max);
}

/** Google Chat card text is a small HTML subset (`<b>`, `<a href>`, `<font>`): escape as HTML text and attribute. */
export function escapeChatHtml(text: string, max = 300): string {
  return clipEscaped(
    clip(text, max)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;'),
    max,
  );
}

/**
 * Escaping can grow text fivefold (`&` -> `&amp;`), which would overrun Slack's 3,000-character section limit;
 * this cuts again without splitting an entity or a surrogate pair.
 */
function clipEscaped(escaped: string, max: number): string {
  if (escaped.length <= max) return escaped;
  let cut = escaped.slice(0, Math.max(0, max - 1));
  const entity = cut.lastIndexOf('&');
  if (entity >= 0 && !cut.slice(entity).includes(';')) cut = cut.slice(0, entity);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}
