import { consoleText, fillText, formatCount, formatShare } from "./console-locale.ts";
import type { ConsoleText } from "./console-text/vi.ts";
import { html, type SafeHtml } from "./html.ts";
import { renderPage } from "./layout.ts";
import type { CoverageView, LanguageCoverageView } from "./view-models.ts";

/**
 * How far each language is, as `loa content coverage` reports it: of the Vietnamese texts, how many have a
 * translation, how many a speaker reviewed, how many were reviewed before the Vietnamese changed, and how many
 * have a voice note. It also says which languages people are offered and why the others are not yet.
 */

function languageRow(text: ConsoleText, view: CoverageView, language: LanguageCoverageView): SafeHtml {
  const { locale } = view.context;
  const share = (part: number): string => formatShare(locale, part, view.keyCount);
  const status = language.status === "reviewed" ? text.coverage.reviewedStatus : text.coverage.draft;
  return html`<tr><th scope="row">${language.name}<small>${language.code}</small></th><td>${status}</td><td>${
    language.offered ? text.coverage.yes : text.coverage.no
  }</td><td class="num">${share(language.withText)}</td><td class="num">${share(language.reviewed)}</td><td class="num">${formatCount(
    locale,
    language.outdated,
  )}</td><td class="num">${share(language.withAudio)}</td></tr>
`;
}

/** The content coverage page. */
export function renderCoveragePage(view: CoverageView): string {
  const { context } = view;
  const text = consoleText(context.locale);
  const offered = view.languages.filter((language) => language.offered).map((language) => language.name);
  const columns = [
    text.coverage.status,
    text.coverage.inUse,
    text.coverage.withText,
    text.coverage.reviewed,
    text.coverage.outdated,
    text.coverage.withAudio,
  ];
  const content = html`<p>${fillText(text.coverage.offered, { names: offered.join(", ") })}</p>
<p class="hint">${text.coverage.offerRule}</p>
<p>${fillText(text.coverage.keyCount, { count: formatCount(context.locale, view.keyCount) })}</p>
<div class="scroll" role="region" aria-labelledby="coverage-caption" tabindex="0"><table>
<caption id="coverage-caption">${text.coverage.caption}</caption>
<thead><tr><th scope="col">${text.coverage.language}</th>${columns.map((column) => html`<th scope="col">${column}</th>`)}</tr></thead>
<tbody>
${view.languages.map((language) => languageRow(text, view, language))}</tbody>
</table></div>`;
  return renderPage({ context, title: text.coverage.title, position: { section: "coverage", at: "page" }, content });
}
