import { consoleText, fillText, formatCount } from "./console-locale.ts";
import type { ConsoleText } from "./console-text/vi.ts";
import { csrfField, selectField } from "./form-fields.ts";
import { html, safeUrl, type SafeHtml } from "./html.ts";
import { importFormSection } from "./import-form.ts";
import { renderPage } from "./layout.ts";
import { problemSummary } from "./problem-summary.ts";
import type { TargetEntryRow, TargetImportOutcome, TargetsView } from "./stats-view-models.ts";

/**
 * The page where a province office enters each commune's target population (the denominator of an indicator)
 * for a year: one indicator at a time, one number per commune, each labelled with its commune's name, or a
 * whole spreadsheet at once. The shares on the statistics pages are worked out from these numbers.
 */

type Words = ConsoleText["targetsForm"];

function chooser(words: Words, view: TargetsView): SafeHtml {
  const { chooser: choice } = view;
  return html`<form method="get" action="${safeUrl(choice.action)}" aria-labelledby="targets-choose" class="filter"><h2 id="targets-choose">${words.choose}</h2>${selectField({
    id: "targets-province",
    name: "province",
    label: words.province,
    selected: choice.provinceCode,
    options: choice.provinceChoices.map((province) => ({ value: province.code, label: province.name })),
  })}${selectField({ id: "targets-year", name: "year", label: words.year, selected: choice.year, options: choice.yearChoices.map((year) => ({ value: year, label: year })) })}${selectField({
    id: "targets-indicator",
    name: "indicator",
    label: words.indicator,
    selected: choice.indicatorId,
    options: choice.indicatorChoices.map((indicator) => ({ value: indicator.code, label: indicator.name })),
  })}<div class="field"><button type="submit" class="secondary">${words.show}</button></div></form>`;
}

function entryRow(view: TargetsView, row: TargetEntryRow): SafeHtml {
  const words = consoleText(view.context.locale).targetsForm;
  const id = `population-${row.communeCode}`;
  const notes = [row.current !== null ? `${id}-current` : null, row.error !== null ? `${id}-error` : null].filter((note) => note !== null);
  return html`<tr><th scope="row"><label for="${id}">${row.name}</label></th><td>${row.error !== null && html`<p class="error" id="${id}-error">${row.error}</p>`}<input type="number" id="${id}" name="${id}" value="${
    row.value
  }" min="1"${notes.length > 0 && html` aria-describedby="${notes.join(" ")}"`}${row.error !== null && html` aria-invalid="true"`}>${
    row.current !== null && html`<small id="${id}-current">${fillText(words.current, { population: formatCount(view.context.locale, row.current) })}</small>`
  }</td></tr>
`;
}

function entryForm(words: Words, view: TargetsView): SafeHtml {
  const { entry } = view;
  if (entry === null) return html`<p>${words.noIndicators}</p>`;
  const { chooser: choice } = view;
  return html`<form method="post" action="${safeUrl(entry.action)}">${csrfField(view.context.csrfToken)}<input type="hidden" name="province" value="${choice.provinceCode}"><input type="hidden" name="year" value="${
    choice.year
  }"><input type="hidden" name="indicator" value="${choice.indicatorId}">
<p class="hint">${entry.description} ${words.populationHint}</p>
<div class="scroll" role="region" aria-labelledby="targets-caption" tabindex="0"><table>
<caption id="targets-caption">${entry.caption}</caption>
<thead><tr><th scope="col">${words.commune}</th><th scope="col">${words.population}</th></tr></thead>
<tbody>
${entry.rows.map((row) => entryRow(view, row))}</tbody>
</table></div>
<p class="actions"><button type="submit">${words.save}</button></p>
</form>`;
}

function importOutcome(view: TargetsView, outcome: TargetImportOutcome): SafeHtml {
  const { locale } = view.context;
  const words = consoleText(locale).targetsForm;
  if (outcome.kind === "accepted") {
    const counts = { added: formatCount(locale, outcome.added), updated: formatCount(locale, outcome.updated) };
    return html`<p class="success" role="status">${fillText(outcome.dryRun ? words.checked : words.imported, counts)}</p>`;
  }
  const problems = outcome.problems.map((problem) => {
    const where = [fillText(words.problemRow, { row: problem.row }), problem.column === null ? null : fillText(words.problemColumn, { column: problem.column })].filter((part) => part !== null).join(", ");
    return html`<li>${where}: ${problem.message}</li>`;
  });
  return html`<div class="alert" role="alert"><p>${fillText(words.importRefused, { file: outcome.fileName })}</p><ul>${problems}</ul></div>`;
}

/** The targets page. */
export function renderIndicatorTargetsPage(view: TargetsView): string {
  const { context } = view;
  const text = consoleText(context.locale);
  const words = text.targetsForm;
  const problems = (view.entry?.rows ?? []).flatMap((row) => (row.error === null ? [] : [{ target: `population-${row.communeCode}`, label: row.name, message: row.error }]));
  const content = html`${problemSummary(words.fixThese, problems)}${view.saved !== null && html`<p class="success" role="status">${fillText(words.saved, { count: formatCount(context.locale, view.saved) })}</p>`}${
    view.importOutcome !== null && importOutcome(view, view.importOutcome)
  }<p>${words.intro}</p>
<p class="actions"><a href="${safeUrl(view.statsUrl)}">${words.backToStats}</a></p>
${chooser(words, view)}
${entryForm(words, view)}
${importFormSection(text, context.csrfToken, view.importForm, words.importTitle)}
<p class="hint">${words.importHint}</p>
<p class="actions">${words.download} <a href="${safeUrl(view.exportUrls.csv)}" download>CSV</a> <a href="${safeUrl(view.exportUrls.xlsx)}" download>Excel</a></p>`;
  const hasErrors = problems.length > 0 || view.importOutcome?.kind === "rejected";
  return renderPage({ context, title: words.title, hasErrors, position: { section: "stats", at: "within" }, content });
}
