import { formatCount, type ConsoleLocale } from "./console-locale.ts";
import type { ConsoleText } from "./console-text/vi.ts";

/**
 * The figures of the statistics pages and their exports, and how each is written. A page, its CSV and its XLSX
 * all read the same figures, so a number hidden on the page is hidden in the files too.
 */

/**
 * One figure in a statistics table.
 * - `count`: a number.
 * - `small`: a commune count under the threshold (`below`), shown as "<5" and never as its value.
 * - `withheld`: a figure hidden so that a small one cannot be worked out from a total, shown as "ẩn".
 * - `percent`: a share from 0 to 1, or null when there is nothing to divide by.
 * - `text`: words, such as "chưa nhập chỉ tiêu".
 */
export type StatsFigure =
  | { kind: "count"; value: number }
  | { kind: "small"; below: number }
  | { kind: "withheld" }
  | { kind: "percent"; share: number | null }
  | { kind: "text"; value: string };

const percentFormats: Readonly<Record<ConsoleLocale, Intl.NumberFormat>> = {
  vi: new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 }),
};

/**
 * A share as readers of the locale write it, to one decimal: "80,5 %" in Vietnamese (a non-breaking space
 * keeps the sign with its number), "80.5%" in English; "–" when there is no share.
 */
export function formatPercent(locale: ConsoleLocale, share: number | null): string {
  if (share === null) return "–";
  const number = percentFormats[locale].format(share * 100);
  return locale === "vi" ? `${number}\u00a0%` : `${number}%`;
}

/** A figure as the page and the CSV show it. */
export function figureText(locale: ConsoleLocale, words: ConsoleText["stats"], figure: StatsFigure): string {
  switch (figure.kind) {
    case "count":
      return formatCount(locale, figure.value);
    case "small":
      return `<${figure.below}`;
    case "withheld":
      return words.withheld;
    case "percent":
      return formatPercent(locale, figure.share);
    case "text":
      return figure.value;
  }
}

/** Whether a figure hides a protected count, on the page and in the files. */
export function isHidden(figure: StatsFigure): boolean {
  return figure.kind === "small" || figure.kind === "withheld";
}
