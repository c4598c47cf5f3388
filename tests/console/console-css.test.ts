import { describe, expect, it } from "vitest";
import { consoleColourPairs, consoleCss, consoleCssPath, consoleCssUrl, consolePalette } from "../../src/console/console-css.ts";

/** WCAG 2.1 relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((start) => Number.parseInt(hex.slice(start, start + 2), 16) / 255);
  const [red = 0, green = 0, blue = 0] = channels.map((value) => (value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4));
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
}

function contrast(first: string, second: string): number {
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a);
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
}

describe("the console stylesheet", () => {
  it("computes contrast as WCAG does", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });

  it("gives every text and focus colour pair the contrast WCAG AA asks", () => {
    for (const pair of consoleColourPairs) {
      const ratio = contrast(consolePalette[pair.foreground], consolePalette[pair.background]);
      expect(ratio, `${pair.foreground} on ${pair.background}`).toBeGreaterThanOrEqual(pair.minimum);
    }
  });

  it("uses only the palette's colours", () => {
    const colours = new Set(Object.values(consolePalette));
    for (const [colour] of consoleCss.matchAll(/#[0-9a-fA-F]{3,8}\b/g)) expect(colours, colour).toContain(colour);
  });

  it("shows where the keyboard is and keeps tap targets at least 44px high", () => {
    expect(consoleCss).toMatch(/:focus-visible\{outline:3px solid/);
    expect(consoleCss).toMatch(/input,select,button\{[^}]*min-height:44px/);
    expect(consoleCss).toMatch(/nav a\{[^}]*min-height:44px/);
  });

  it("loads nothing else: no fonts, images or imports", () => {
    expect(consoleCss).not.toMatch(/@import|@font-face|url\(/);
  });

  it("is small, and its URL changes with its content", () => {
    expect(Buffer.byteLength(consoleCss)).toBeLessThan(8_000);
    expect(consoleCssUrl).toMatch(new RegExp(`^${consoleCssPath}\\?v=[0-9a-f]{12}$`));
  });
});
