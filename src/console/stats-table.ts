import { fillText, type ConsoleLocale } from "./console-locale.ts";
import type { ConsoleText } from "./console-text/vi.ts";
import { html, safeUrl, type SafeHtml } from "./html.ts";
import { figureText, isHidden, type StatsFigure } from "./stats-figures.ts";

/**
 * A table of the statistics pages: rows of named figures under column headings. The page prints it, the
 * charts draw from it, and the CSV and XLSX downloads are written from it, so the three always show the same
 * figures with the same ones hidden.
 */

/** A row: its name (a link when there is more to see, such as a commune's own page) and its figures. */
export type StatsRow = { label: string; url: string | null; figures: StatsFigure[] };

/** Where a table can be downloaded. */
export type StatsTableFiles = { csv: string; xlsx: string };

/** A table: `id` names it in the page and in its file names; `headings` are the row names' heading, then one per figure. */
export type StatsTable = { id: string; caption: string; headings: string[]; rows: StatsRow[]; files: StatsTableFiles | null };

/** The figures of one column, each under its row's name, for a chart. */
export function tableColumn(table: StatsTable, column: number): Array<{ label: string; figure: StatsFigure }> {
  return table.rows.flatMap((row) => {
    const figure = row.figures[column];
    return figure === undefined ? [] : [{ label: row.label, figure }];
  });
}

/** Download links for a table, named with its caption for screen readers, as tap-sized links. */
export function fileLinks(words: ConsoleText["stats"], table: StatsTable, files: StatsTableFiles): SafeHtml {
  return html`<p class="actions">${words.downloadTable} <a href="${safeUrl(files.csv)}" aria-label="${fillText(words.downloadAs, {
    format: "CSV",
    table: table.caption,
  })}" download>CSV</a> <a href="${safeUrl(files.xlsx)}" aria-label="${fillText(words.downloadAs, { format: "Excel", table: table.caption })}" download>Excel</a></p>`;
}

/** What "<5" and "ẩn" mean, under a table that shows them; nothing under one that does not. */
export function hiddenNote(words: ConsoleText["stats"], table: StatsTable): SafeHtml | null {
  const figures = table.rows.flatMap((row) => row.figures);
  if (!figures.some(isHidden)) return null;
  const small = figures.find((figure) => figure.kind === "small");
  const withheld = figures.some((figure) => figure.kind === "withheld");
  return html`<p class="hint">${small?.kind === "small" && fillText(words.hiddenSmall, { below: small.below })}${small !== undefined && withheld && " "}${withheld && words.hiddenWithheld}</p>`;
}

/** The table as HTML, in a box that scrolls sideways on a narrow screen, with its downloads and a note on hidden figures. */
export function renderStatsTable(locale: ConsoleLocale, words: ConsoleText["stats"], table: StatsTable): SafeHtml {
  const [rowHeading = "", ...figureHeadings] = table.headings;
  const rows = table.rows.map(
    (row) =>
      html`<tr><th scope="row">${row.url === null ? row.label : html`<a href="${safeUrl(row.url)}">${row.label}</a>`}</th>${row.figures.map(
        (figure) => html`<td class="num">${figureText(locale, words, figure)}</td>`,
      )}</tr>
`,
  );
  const body =
    table.rows.length === 0
      ? html`<tr><td colspan="${table.headings.length}">${words.noData}</td></tr>`
      : rows;
  return html`<div class="scroll" role="region" aria-labelledby="${table.id}-caption" tabindex="0"><table>
<caption id="${table.id}-caption">${table.caption}</caption>
<thead><tr><th scope="col">${rowHeading}</th>${figureHeadings.map((heading) => html`<th scope="col" class="num">${heading}</th>`)}</tr></thead>
<tbody>
${body}</tbody>
</table></div>
${hiddenNote(words, table)}${table.files !== null && fileLinks(words, table, table.files)}`;
}
