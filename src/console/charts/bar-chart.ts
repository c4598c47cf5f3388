import { consolePalette } from "../console-css.ts";
import { html, type SafeHtml } from "../html.ts";
import { figureText } from "../stats-figures.ts";
import { chartSummary, figureMark, largestValue, type ChartInput } from "./chart-points.ts";

/**
 * A horizontal bar chart as inline SVG, for counts by topic, commune or language: each item's name and figure
 * on one line and its bar below, so long Vietnamese names fit a 360 px phone without shrinking. No script and
 * no style attribute: the page's security policy allows neither, and SVG presentation attributes are enough.
 */

/** The drawing's width in its own units; it is scaled to the width of the page. */
const width = 320;
const rowHeight = 36;
const fontSize = 13;
const barHeight = 12;
/** Names longer than this are cut with "…" in the drawing; the table beside it has them whole. */
const longestLabel = 30;

function shortened(label: string): string {
  return label.length > longestLabel ? `${label.slice(0, longestLabel - 1)}…` : label;
}

/** The chart for `input`: a bar per point in the points' order, outlined up to the threshold for a hidden small count. */
export function barChart(input: ChartInput): SafeHtml {
  const { points, locale, words } = input;
  const scale = width / largestValue(points);
  const height = Math.max(points.length, 1) * rowHeight;
  const rows = points.map((point, index) => {
    const top = index * rowHeight;
    const { figure } = point;
    const bar = figureMark(figure, (value) => ({ x: 0, y: top + 18, width: Math.max(value * scale, 2), height: barHeight }));
    return html`<text x="0" y="${top + fontSize}">${shortened(point.label)}</text><text x="${width}" y="${top + fontSize}" text-anchor="end" font-weight="700">${figureText(
      locale,
      words,
      figure,
    )}</text>${bar}`;
  });
  return html`<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${input.id}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${chartSummary(input)}" font-size="${fontSize}" fill="${
    consolePalette.text
  }"><title>${input.title}</title>${rows}</svg>`;
}
