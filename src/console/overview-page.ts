import { consoleText, fillText, formatCount, type ConsoleLocale } from "./console-locale.ts";
import type { ConsoleText } from "./console-text/vi.ts";
import { html, safeUrl, type SafeHtml } from "./html.ts";
import { renderPage } from "./layout.ts";
import { samplePlacesNotice } from "./sample-places-notice.ts";
import type { OverviewView, StaffAccess } from "./view-models.ts";

/**
 * The first page after signing in: who she is and what her role lets her manage, in words ("Cán bộ tỉnh: Sơn
 * La"), and how big each list in her area is, each linking to its page. Only pages that exist are linked.
 */

/** Her role and area as one sentence, and her team's name for a commune team member. */
function accessLines(text: ConsoleText, access: StaffAccess): SafeHtml {
  switch (access.role) {
    case "admin":
      return html`<p>${text.scope.admin}</p>`;
    case "province":
      return html`<p>${fillText(text.scope.province, { provinces: access.provinces.join(", ") })}</p>`;
    case "commune":
      return html`<p>${fillText(text.scope.commune, { communes: access.communes.join(", ") })}</p><p>${fillText(text.scope.team, {
        team: access.team,
      })}</p>`;
  }
}

function counts(locale: ConsoleLocale, items: ReadonlyArray<{ term: string; value: string | number }>): SafeHtml {
  const rows = items.map(
    (item) => html`<div><dt>${item.term}</dt><dd>${typeof item.value === "number" ? formatCount(locale, item.value) : item.value}</dd></div>`,
  );
  return html`<dl class="counts">${rows}</dl>`;
}

/** The overview page. */
export function renderOverviewPage(view: OverviewView): string {
  const { context } = view;
  const { locale, staff, urls } = context;
  const text = consoleText(locale);
  const { directory, places, languages } = view;
  const dueLink =
    directory.dueForCheck > 0 && html`<p class="actions"><a href="${safeUrl(directory.dueForCheckUrl)}">${text.overview.showDueForCheck}</a></p>`;
  const content = html`<h2>${text.overview.account}</h2>
<p><strong>${staff.displayName}</strong></p>${accessLines(text, staff.access)}
${staff.access.role !== "admin" && html`<p class="hint">${text.overview.inYourArea}</p>`}
<h2><a href="${safeUrl(urls.directory)}">${text.nav.directory}</a></h2>
${counts(locale, [
  { term: text.overview.entries, value: directory.entries },
  { term: fillText(text.overview.dueForCheck, { months: directory.staleMonths }), value: directory.dueForCheck },
])}${dueLink}
<h2><a href="${safeUrl(urls.places)}">${text.nav.places}</a></h2>
${samplePlacesNotice(text, places.sample)}${counts(locale, [
    { term: text.overview.provinces, value: places.provinces },
    { term: text.overview.communes, value: places.communes },
  ])}
<h2><a href="${safeUrl(urls.coverage)}">${text.nav.coverage}</a></h2>
${counts(locale, [
  { term: text.overview.offeredLanguages, value: languages.offered.join(", ") },
  { term: text.overview.registeredLanguages, value: languages.registered },
])}`;
  return renderPage({ context, title: text.overview.title, position: { section: "overview", at: "page" }, content });
}
