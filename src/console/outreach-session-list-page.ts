import { consoleText, formatCount } from "./console-locale.ts";
import { html, safeUrl } from "./html.ts";
import { renderPage } from "./layout.ts";
import type { SessionListView } from "./stats-view-models.ts";

/**
 * The in-person sessions recorded for a commune (or a province) in a period, one row each, so a team can find
 * the one it typed wrong and change or remove it. It shows what the form took and nothing more: no names.
 */
export function renderOutreachSessionListPage(view: SessionListView): string {
  const { context } = view;
  const words = consoleText(context.locale).sessionList;
  const count = (value: number) => formatCount(context.locale, value);
  const rows = view.sessions.map(
    (session) =>
      html`<tr><th scope="row">${session.editUrl === null ? session.heldOn : html`<a href="${safeUrl(session.editUrl)}">${session.heldOn}</a>`}</th><td>${session.placeName}<small>${session.communeName}</small></td><td>${session.topicName}</td><td class="number">${count(session.female)}</td><td class="number">${count(session.male)}</td></tr>
`,
  );
  const table =
    view.sessions.length === 0
      ? html`<p>${words.empty}</p>`
      : html`<table><caption>${words.caption}</caption><thead><tr><th scope="col">${words.heldOn}</th><th scope="col">${words.place}</th><th scope="col">${words.topic}</th><th scope="col">${words.female}</th><th scope="col">${words.male}</th></tr></thead><tbody>
${rows}</tbody></table>`;
  const content = html`${view.notice !== null && html`<p class="success" role="status">${view.notice}</p>`}<p>${view.placeName} · ${view.periodLabel}</p>
<p>${words.intro}</p>
${table}
<p class="actions">${view.recordUrl !== null && html`<a href="${safeUrl(view.recordUrl)}">${words.record}</a>`}<a href="${safeUrl(view.backUrl)}">${words.back}</a></p>`;
  return renderPage({ context, title: words.title, position: { section: "stats", at: "within" }, content });
}
