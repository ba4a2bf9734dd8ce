// Long text from outside (a record's link, a name in an API answer) cut to its ends for a message or a log line.

/** `text` when it fits in `maxChars`; else its ends around `…[N characters left out]…`, never half a surrogate pair. */
export function elideMiddle(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let headEnd = Math.ceil(maxChars * 0.75);
  let tailStart = text.length - (maxChars - headEnd);
  if (isHighSurrogate(text.charCodeAt(headEnd - 1))) headEnd--;
  if (isLowSurrogate(text.charCodeAt(tailStart))) tailStart++;
  return `${text.slice(0, headEnd)}…[${tailStart - headEnd} characters left out]…${text.slice(tailStart)}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
