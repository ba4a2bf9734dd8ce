// Start tags and their attribute names as a browser tokenises markup: what the HTML report tests inspect.

export interface StartTag {
  readonly name: string;
  readonly attributes: readonly string[];
}

/** Text nodes hold no `<` (it is escaped), so every `<name ...>` outside <style> is a real element. */
export function startTags(html: string): StartTag[] {
  const withoutStyle = html.replace(/<style>[\s\S]*?<\/style>/g, '<style></style>');
  return [...withoutStyle.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*\/?>/g)].map(
    (match) => ({
      name: (match[1] ?? '').toLowerCase(),
      attributes: [...(match[2] ?? '').matchAll(/\s([^\s=>/]+)(?:="[^"]*")?/g)].map(
        (attribute) => attribute[1] ?? '',
      ),
    }),
  );
}
