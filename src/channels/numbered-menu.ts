import { splitText } from "./split-text.ts";

/**
 * Text parts for a platform that shows a menu as numbered lines ("1. label"), the form the engine reads back
 * from a typed digit or number word. The text is NFC-normalised and split at `limit` on paragraph, sentence or
 * word boundaries; the menu follows the last part, or takes parts of its own when it does not fit, and a
 * menu line is never cut unless it alone is longer than the limit. Shared by every channel that falls back
 * to numbered text, so the layout and the engine's numbering cannot drift apart.
 */
export function textWithNumberedMenu(text: string, options: ReadonlyArray<{ label: string }>, limit: number): string[] {
  const parts = text.trim() === "" ? [] : splitText(text, limit);
  const lines = options.map((option, index) => `${index + 1}. ${option.label.normalize("NFC").replace(/\s+/g, " ").trim()}`);
  if (lines.length === 0) return parts;
  const menu = packLines(lines, limit);
  const last = parts.at(-1);
  const first = menu[0] as string;
  if (last !== undefined && last.length + 2 + first.length <= limit) {
    parts[parts.length - 1] = `${last}\n\n${first}`;
    menu.shift();
  }
  return [...parts, ...menu];
}

/** Joins lines into as few texts within `limit` as possible; only a line longer than the limit is split. */
function packLines(lines: readonly string[], limit: number): string[] {
  const texts: string[] = [];
  let current = "";
  for (const line of lines) {
    for (const piece of line.length > limit ? splitText(line, limit) : [line]) {
      if (current !== "" && current.length + 1 + piece.length <= limit) {
        current = `${current}\n${piece}`;
      } else {
        if (current !== "") texts.push(current);
        current = piece;
      }
    }
  }
  if (current !== "") texts.push(current);
  return texts;
}
