import { consolePalette } from "../console-css.ts";
import { formatCount } from "../console-locale.ts";
import { html, type SafeHtml } from "../html.ts";
import { chartSummary, coordinate, figureMark, largestValue, type ChartInput, type ChartPoint } from "./chart-points.ts";

/**
 * A column chart as inline SVG, for reach over time: one column per day or month, a scale on the left with
 * round numbers, and the days or months below. Like the bar chart it uses SVG attributes only, no script and
 * no style, and its table beside it holds every figure.
 */

const width = 320;
const height = 200;
const left = 44;
const right = 6;
const top = 12;
const bottom = 26;
const fontSize = 12;
const plotWidth = width - left - right;
const plotHeight = height - top - bottom;
/** With more columns than this (days of a month), only every fifth day is named under the axis. */
const namedEvery = 12;

/** The smallest round number (1, 2 or 5 times a power of ten) at or above `value`, the top of the scale. */
export function roundScaleTop(value: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(value, 1)));
  const step = [1, 2, 5, 10].find((candidate) => candidate * power >= value) ?? 10;
  return step * power;
}

function axisLabel(point: ChartPoint, index: number, count: number): string | null {
  if (count > namedEvery && index !== 0 && (index + 1) % 5 !== 0) return null;
  return point.axisLabel ?? point.label;
}

/** The chart for `input`, its points in time order. */
export function columnChart(input: ChartInput): SafeHtml {
  const { points, locale } = input;
  const scaleTop = roundScaleTop(largestValue(points));
  const y = (value: number) => coordinate(top + plotHeight - (value / scaleTop) * plotHeight);
  const ticks = [0, scaleTop / 2, scaleTop].filter((tick) => Number.isInteger(tick));
  const grid = ticks.map(
    (tick) =>
      html`<line x1="${left}" x2="${width - right}" y1="${y(tick)}" y2="${y(tick)}" stroke="${consolePalette.rule}" stroke-width="1"/><text x="${left - 4}" y="${coordinate(
        y(tick) + 4,
      )}" text-anchor="end" fill="${consolePalette.muted}">${formatCount(locale, tick)}</text>`,
  );
  const slot = plotWidth / Math.max(points.length, 1);
  const columnWidth = coordinate(Math.max(slot * 0.7, 1));
  const columns = points.map((point, index) => {
    const x = coordinate(left + index * slot + (slot - columnWidth) / 2);
    const centre = coordinate(left + index * slot + slot / 2);
    const column = figureMark(point.figure, (value) => ({ x, y: y(value), width: columnWidth, height: top + plotHeight - y(value) }));
    const label = axisLabel(point, index, points.length);
    return html`${column}${label !== null && html`<text x="${centre}" y="${height - 8}" text-anchor="middle">${label}</text>`}`;
  });
  return html`<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${input.id}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${chartSummary(input)}" font-size="${fontSize}" fill="${
    consolePalette.text
  }"><title>${input.title}</title>${grid}${columns}</svg>`;
}
