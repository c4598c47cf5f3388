import { barChart } from "./charts/bar-chart.ts";
import { columnChart } from "./charts/column-chart.ts";
import { consoleText, fillText, formatCount, type ConsoleLocale } from "./console-locale.ts";
import type { ConsoleText } from "./console-text/vi.ts";
import { selectField } from "./form-fields.ts";
import { html, safeUrl, type SafeHtml } from "./html.ts";
import { renderPage } from "./layout.ts";
import { figureText, formatPercent } from "./stats-figures.ts";
import { fileLinks, hiddenNote, renderStatsTable, tableColumn } from "./stats-table.ts";
import type { IndicatorProgressRow, StatsChart, StatsOverviewView, StatsPlacesView } from "./stats-view-models.ts";

/**
 * The statistics overview of a place for a period: the period chooser and the place trail (country, province,
 * commune), the key figures as cards, reach over time and by topic, place and language as charts with their
 * tables, indicator progress against the targets staff entered, the period's campaigns, and the teams'
 * in-person sessions kept apart from the bot's reach. Every table can be downloaded; nothing needs JavaScript.
 */

type Words = ConsoleText["stats"];

function trail(words: Words, view: StatsOverviewView): SafeHtml {
  const steps = view.trail.map((step) =>
    step.url === null ? html`<li aria-current="page">${step.label}</li>` : html`<li><a href="${safeUrl(step.url)}">${step.label}</a></li>`,
  );
  return html`<nav class="trail" aria-label="${words.placeTrail}"><ol>${steps}</ol></nav>`;
}

function periodForm(words: Words, view: StatsOverviewView): SafeHtml {
  const form = view.periodForm;
  return html`<form method="get" action="${safeUrl(form.action)}" class="filter">${selectField({
    id: "stats-period",
    name: "period",
    label: words.period,
    selected: form.selected,
    options: [],
    groups: form.groups,
  })}<div class="field"><button type="submit" class="secondary">${words.show}</button></div></form>`;
}

function links(words: Words, view: StatsOverviewView): SafeHtml {
  const items = [
    view.links.report !== null && html`<a href="${safeUrl(view.links.report)}" download>${fillText(words.report, { period: view.periodLabel })}</a>`,
    view.links.recordSession !== null && html`<a href="${safeUrl(view.links.recordSession)}">${words.recordSession}</a>`,
    view.links.sessionList !== null && html`<a href="${safeUrl(view.links.sessionList)}">${words.listSessions}</a>`,
    view.links.targets !== null && html`<a href="${safeUrl(view.links.targets)}">${words.enterTargets}</a>`,
  ].filter((item) => item !== false);
  return html`${items.length > 0 && html`<p class="actions">${items}</p>`}`;
}

function cards(locale: ConsoleLocale, words: Words, view: StatsOverviewView): SafeHtml {
  const { summary } = view;
  const items = summary.rows.map((row) => html`<div><dt>${row.label}</dt><dd>${row.figures.map((figure) => figureText(locale, words, figure))}</dd></div>`);
  return html`<section aria-labelledby="summary-title"><h2 id="summary-title">${words.botReach}</h2><dl class="counts">${items}</dl>${hiddenNote(words, summary)}${
    summary.files !== null && fileLinks(words, summary, summary.files)
  }</section>`;
}

/** A chart with its title, and its table below it: the chart is never the only way to read a figure. */
function chartSection(locale: ConsoleLocale, words: Words, chart: StatsChart): SafeHtml {
  const { table } = chart;
  const shown = chart.limit === null ? table.rows : table.rows.slice(0, chart.limit);
  const title = chart.limit !== null && table.rows.length > chart.limit ? fillText(words.chartTop, { title: table.caption, count: chart.limit }) : table.caption;
  const points = tableColumn({ ...table, rows: shown }, chart.column).map((point, index) => ({ ...point, axisLabel: chart.axisLabels?.[index] ?? point.label }));
  const input = { id: `${table.id}-chart`, title, points, locale, words };
  const drawing = table.rows.length === 0 ? null : chart.kind === "columns" ? columnChart(input) : barChart(input);
  return html`<section aria-labelledby="${table.id}-title"><h2 id="${table.id}-title">${table.caption}</h2>${drawing}${renderStatsTable(locale, words, table)}</section>`;
}

function indicatorItem(locale: ConsoleLocale, words: Words, row: IndicatorProgressRow, index: number): SafeHtml {
  const reached = fillText(words.reachedOnly, { reached: figureText(locale, words, row.reached), unit: row.unit });
  const missing = row.takesTarget && row.population === null && html` · <span class="due">${words.noTarget}</span>`;
  const progress =
    row.population !== null &&
    html`<p>${row.share.kind === "percent" && row.share.share !== null && html`<progress id="indicator-${index}" aria-labelledby="indicator-${index}-name" max="100" value="${Math.min(Math.round(row.share.share * 1000) / 10, 100)}">${figureText(locale, words, row.share)}</progress> `}<span>${fillText(words.progressOf, {
      share: figureText(locale, words, row.share),
      population: formatCount(locale, row.population),
    })}</span></p>`;
  const target = row.target !== null && html`<p class="hint">${fillText(words.targetOf, { target: formatPercent(locale, row.target / 100) })}</p>`;
  const leftOut = row.population !== null && row.communesWithoutTarget > 0 && html`<p class="hint">${fillText(words.noTargetCommunes, { count: formatCount(locale, row.communesWithoutTarget) })}</p>`;
  return html`<li><p><strong id="indicator-${index}-name">${row.name}</strong></p><p>${reached}${missing}</p>${progress}${target}${leftOut}</li>`;
}

function indicatorsSection(locale: ConsoleLocale, words: Words, view: StatsOverviewView): SafeHtml {
  const { rows, table } = view.indicators;
  const list = rows.length === 0 ? html`<p>${words.noIndicators}</p>` : html`<ul class="progress-list">${rows.map((row, index) => indicatorItem(locale, words, row, index))}</ul>`;
  return html`<section aria-labelledby="indicators-title"><h2 id="indicators-title">${words.indicators}</h2>${list}${table.files !== null && fileLinks(words, table, table.files)}</section>`;
}

function tableSection(heading: string, id: string, note: string | null, content: SafeHtml): SafeHtml {
  return html`<section aria-labelledby="${id}-title"><h2 id="${id}-title">${heading}</h2>${note !== null && html`<p class="notice">${note}</p>`}${content}</section>`;
}

/** The statistics overview page. */
export function renderStatsOverviewPage(view: StatsOverviewView): string {
  const { context } = view;
  const { locale } = context;
  const words = consoleText(locale).stats;
  const content = html`${view.notice !== null && html`<p class="success" role="status">${view.notice}</p>`}${trail(words, view)}${periodForm(words, view)}
<p><strong>${view.periodLabel}</strong></p>${links(words, view)}
${cards(locale, words, view)}
${chartSection(locale, words, view.overTime)}
${chartSection(locale, words, view.byTopic)}
${view.byPlace !== null && chartSection(locale, words, view.byPlace)}
${chartSection(locale, words, view.byLanguage)}
${indicatorsSection(locale, words, view)}
${tableSection(words.campaigns, "campaigns", null, renderStatsTable(locale, words, view.campaigns))}
${tableSection(words.sessions, "sessions", words.sessionsNote, renderStatsTable(locale, words, view.sessions))}`;
  return renderPage({ context, title: fillText(words.titleOf, { place: view.placeName }), position: { section: "stats", at: view.trail.length > 1 ? "within" : "page" }, content });
}

/** The page listing her areas when she has several and no single one to land on. */
export function renderStatsPlacesPage(view: StatsPlacesView): string {
  const { context } = view;
  const words = consoleText(context.locale).stats;
  const content = html`<p>${words.choosePlace}</p><ul class="pick">${view.places.map((place) => html`<li><a href="${safeUrl(place.url)}">${place.name}</a></li>`)}</ul>`;
  return renderPage({ context, title: words.title, position: { section: "stats", at: "page" }, content });
}
