/**
 * Splits text for a platform's length limit, NFC-normalised, preferring paragraph, then sentence, then word
 * boundaries, so a long message arrives as a few readable parts rather than cut mid-word. Counts UTF-16
 * code units, as Telegram and Zalo do, and never splits a surrogate pair.
 */
export function splitText(text: string, limit: number): string[] {
  const normalised = text.normalize("NFC");
  const parts: string[] = [];
  let rest = normalised.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    const cut =
      lastBoundary(window, /\n\s*\n/g) ??
      lastBoundary(window, /[.!?…。]\s+/g) ??
      lastBoundary(window, /\s+/g) ??
      safeCut(window);
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/** End of the last match of `pattern` in `window` (past the first fifth, so parts are not tiny), or undefined. */
function lastBoundary(window: string, pattern: RegExp): number | undefined {
  let end: number | undefined;
  for (const match of window.matchAll(pattern)) {
    const at = match.index + match[0].length;
    if (at > window.length / 5 && at <= window.length) end = at;
  }
  return end;
}

function safeCut(window: string): number {
  const last = window.charCodeAt(window.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? window.length - 1 : window.length;
}
