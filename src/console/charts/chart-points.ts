import { consolePalette } from "../console-css.ts";
import { fillText, type ConsoleLocale } from "../console-locale.ts";
import type { ConsoleText } from "../console-text/vi.ts";
import { html, type SafeHtml } from "../html.ts";
import { figureText, type StatsFigure } from "../stats-figures.ts";

/**
 * What a chart draws: one figure per label, taken from a column of the table printed beside it, so the chart
 * and the table cannot disagree. Hidden figures ("<5", "ẩn") stay hidden in the chart too.
 */

/** One bar or column: the label the table shows, a shorter one for a crowded axis, and the figure. */
export type ChartPoint = { label: string; axisLabel?: string; figure: StatsFigure };

/** Everything a chart needs: where it sits on the page, its title and points, and the words to write them. */
export type ChartInput = { id: string; title: string; points: readonly ChartPoint[]; locale: ConsoleLocale; words: ConsoleText["stats"] };

/** A coordinate rounded to a tenth, which keeps the markup short without a visible difference. */
export function coordinate(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * The largest value the axis must reach: the largest visible count, or the threshold of a hidden small one
 * (drawn as an outline up to it). At least 1, so an empty chart has a scale.
 */
export function largestValue(points: readonly ChartPoint[]): number {
  return points.reduce((largest, point) => {
    if (point.figure.kind === "count") return Math.max(largest, point.figure.value);
    if (point.figure.kind === "small") return Math.max(largest, point.figure.below);
    return largest;
  }, 1);
}

/**
 * The chart's name for screen readers: the title, how many items, the largest, and where the figures are
 * written out. The table below holds every figure, so this stays short.
 */
export function chartSummary(input: ChartInput): string {
  const { words, points } = input;
  const top = points.reduce<{ label: string; value: number } | undefined>(
    (best, point) => (point.figure.kind === "count" && point.figure.value > 0 && (best === undefined || point.figure.value > best.value) ? { label: point.label, value: point.figure.value } : best),
    undefined,
  );
  const highest = top === undefined ? "" : ` ${fillText(words.chartHighest, { label: top.label, value: figureText(input.locale, words, { kind: "count", value: top.value }) })}`;
  return `${input.title}. ${fillText(words.chartItems, { count: points.length })}${highest} ${words.chartSeeTable}`;
}

/** Where a bar or column reaching a value sits in the drawing. */
export type MarkBox = { x: number; y: number; width: number; height: number };

/**
 * The mark of one figure: a filled bar or column up to a visible count, a dashed outline up to the threshold for
 * a hidden small count (it is somewhere below), and nothing for zero or a withheld figure. `boxOf` places the
 * rectangle that reaches a value.
 */
export function figureMark(figure: StatsFigure, boxOf: (value: number) => MarkBox): SafeHtml | null {
  const rect = (box: MarkBox) => html`x="${coordinate(box.x)}" y="${coordinate(box.y)}" width="${coordinate(box.width)}" height="${coordinate(box.height)}"`;
  if (figure.kind === "count" && figure.value > 0) return html`<rect ${rect(boxOf(figure.value))} fill="${consolePalette.brand}"/>`;
  if (figure.kind === "small") return html`<rect ${rect(boxOf(figure.below))} fill="none" stroke="${consolePalette.muted}" stroke-dasharray="3 2"/>`;
  return null;
}
