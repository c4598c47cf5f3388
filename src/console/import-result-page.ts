import { consoleText, fillText, formatCount } from "./console-locale.ts";
import type { ConsoleText } from "./console-text/vi.ts";
import { html, safeUrl, type SafeHtml } from "./html.ts";
import { importFormSection } from "./import-form.ts";
import { renderPage } from "./layout.ts";
import type { ImportOutcome, ImportResultView } from "./view-models.ts";

/**
 * What an uploaded directory spreadsheet did. The import is all or nothing, so the page says plainly whether
 * anything was saved, and when the file was refused lists every problem by the row and column staff see in
 * their spreadsheet, with the message as the check wrote it.
 */

function outcomeSection(text: ConsoleText, view: ImportResultView, outcome: ImportOutcome): SafeHtml {
  const { locale } = view.context;
  if (outcome.kind === "accepted") {
    const counts = { added: formatCount(locale, outcome.added), updated: formatCount(locale, outcome.updated) };
    return html`<p class="success" role="status">${fillText(outcome.dryRun ? text.importResult.checked : text.importResult.saved, counts)}</p>`;
  }
  const rows = outcome.problems.map(
    (problem) =>
      html`<tr><th scope="row" class="num">${problem.row}</th><td>${problem.column ?? text.importResult.wholeRow}</td><td>${problem.message}</td></tr>
`,
  );
  return html`<div class="alert" role="alert"><p>${text.importResult.rejected}</p><p>${fillText(text.importResult.problems, {
    count: formatCount(locale, outcome.problems.length),
  })}</p></div>
<div class="scroll" role="region" aria-labelledby="problems-caption" tabindex="0"><table>
<caption id="problems-caption">${text.importResult.caption}</caption>
<thead><tr><th scope="col">${text.importResult.row}</th><th scope="col">${text.importResult.column}</th><th scope="col">${text.importResult.message}</th></tr></thead>
<tbody>
${rows}</tbody>
</table></div>`;
}

/** The import result page: counts when the file was right, every problem when it was refused. */
export function renderImportResultPage(view: ImportResultView): string {
  const { context } = view;
  const text = consoleText(context.locale);
  const refused = view.outcome.kind === "rejected";
  const content = html`<p>${fillText(text.importResult.file, { file: view.fileName })}</p>
${outcomeSection(text, view, view.outcome)}
<p class="actions"><a href="${safeUrl(context.urls.directory)}">${text.importResult.back}</a></p>
${view.importForm !== null && importFormSection(text, context.csrfToken, view.importForm, text.importResult.importAgain)}`;
  return renderPage({ context, title: text.importResult.title, hasErrors: refused, position: { section: "directory", at: "within" }, content });
}
