// Reads the console's inline SVG charts for tests: whether a drawing is well-formed XML, its text items and its
// shapes with their attributes, as a browser would see them.
import { XMLValidator } from "fast-xml-parser";
import { startTags, type StartTag } from "../html-inspection.ts";

/** The first <svg>…</svg> of `markup`, or "" when there is none. */
export function firstSvg(markup: string, id?: string): string {
  const pattern = id === undefined ? /<svg\b[\s\S]*?<\/svg>/ : new RegExp(`<svg\\b[^>]*\\sid="${id}"[\\s\\S]*?</svg>`);
  return pattern.exec(markup)?.[0] ?? "";
}

/** True when the drawing parses as XML on its own, as an SVG file would. */
export function isWellFormed(svg: string): boolean {
  return XMLValidator.validate(svg) === true;
}

const entities: Readonly<Record<string, string>> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };

/** Text with the escaping undone, as it is read on screen. */
export function unescaped(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => entities[entity] ?? entity);
}

/** The words of every <text> of the drawing, in order. */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((match) => unescaped(match[1] ?? ""));
}

/** Every <rect> of the drawing with its attributes. */
export function svgRects(svg: string): StartTag[] {
  return startTags(svg, "rect");
}
