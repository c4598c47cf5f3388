import { verifiedMonth } from "../directory/help-staleness.ts";
import { consoleText, fillText, formatCount } from "./console-locale.ts";
import type { ConsoleText } from "./console-text/vi.ts";
import { checkboxField, selectField } from "./form-fields.ts";
import { html, safeUrl, type SafeHtml } from "./html.ts";
import { importFormSection } from "./import-form.ts";
import { renderPage } from "./layout.ts";
import type { DirectoryFilterView, DirectoryListView, DirectoryRowView } from "./view-models.ts";

/**
 * The help directory as staff see it: the entries of their area, grouped by the place they serve, with what the
 * bot will say about each (free, 24/7, when it was last checked), a filter by place and by "due for checking",
 * downloads, and the upload of a corrected spreadsheet. Free and 24/7 are shown only as the data states them.
 */

function hoursText(text: ConsoleText, hours: string): string {
  return hours === "unknown" ? text.directory.hoursUnknown : hours;
}

function costText(text: ConsoleText, free: DirectoryRowView["free"]): string {
  if (free === true) return text.directory.free;
  if (free === false) return text.directory.notFree;
  return text.directory.costUnknown;
}

function entryRow(text: ConsoleText, entry: DirectoryRowView): SafeHtml {
  const name = entry.canEdit ? html`<a href="${safeUrl(entry.editUrl)}">${entry.name}</a>` : entry.name;
  const kind = entry.emergency ? `${text.kinds[entry.kind]} · ${text.directory.emergency}` : text.kinds[entry.kind];
  const due = entry.stale && html`<small class="due">${text.directory.dueForCheck}</small>`;
  return html`<tr><th scope="row">${name}<small>${kind}</small></th><td>${entry.phone}</td><td>${hoursText(text, entry.hours)} · ${costText(
    text,
    entry.free,
  )}</td><td>${verifiedMonth(entry.verifiedOn)}${due}</td></tr>
`;
}

/** The place an entry serves, as its group's heading: "xã Mường Bú, Sơn La", "Sơn La (cả tỉnh)" or "Toàn quốc". */
function placeOf(text: ConsoleText, entry: DirectoryRowView): string {
  if (entry.provinceName === "") return text.directory.national;
  return entry.communeName === null
    ? fillText(text.directory.wholeProvince, { province: entry.provinceName })
    : fillText(text.directory.communeInProvince, { commune: entry.communeName, province: entry.provinceName });
}

/**
 * The entries grouped by the place they serve, in the order their places first appear: each place is named
 * once, in a heading row, rather than in every row, which keeps a long list light.
 */
function placeGroups(text: ConsoleText, entries: readonly DirectoryRowView[], columns: number): SafeHtml[] {
  const groups = new Map<string, DirectoryRowView[]>();
  for (const entry of entries) {
    const place = placeOf(text, entry);
    const group = groups.get(place);
    if (group === undefined) groups.set(place, [entry]);
    else group.push(entry);
  }
  return [...groups].map(
    ([place, rows]) => html`<tbody><tr><th scope="rowgroup" colspan="${columns}">${place}</th></tr>
${rows.map((entry) => entryRow(text, entry))}</tbody>
`,
  );
}

function filterForm(text: ConsoleText, filter: DirectoryFilterView): SafeHtml {
  const provinces = selectField({
    id: "filter-province",
    name: "province",
    label: text.directory.province,
    selected: filter.provinceCode,
    options: [{ value: "", label: text.directory.allProvinces }, ...filter.provinceChoices.map((place) => ({ value: place.code, label: place.name }))],
  });
  const communes = selectField({
    id: "filter-commune",
    name: "commune",
    label: text.directory.commune,
    selected: filter.communeCode,
    options: [{ value: "", label: text.directory.allCommunes }, ...filter.communeChoices.map((place) => ({ value: place.code, label: place.name }))],
    notes: { hint: filter.communeChoices.length === 0 ? text.directory.communeAfterProvince : null },
  });
  return html`<form method="get" action="${safeUrl(filter.action)}" aria-labelledby="filter-title">
<h2 id="filter-title">${text.directory.filter}</h2>
<div class="filter">${provinces}${communes}<div class="field">${checkboxField({
    id: "filter-due",
    name: "due",
    value: "1",
    label: text.directory.dueOnly,
    checked: filter.dueOnly,
  })}</div><div class="field"><button type="submit" class="secondary">${text.directory.apply}</button></div></div>
</form>`;
}

function entryTable(text: ConsoleText, entries: readonly DirectoryRowView[]): SafeHtml {
  if (entries.length === 0) return html`<p>${text.directory.empty}</p>`;
  const columns = [text.directory.name, text.directory.phone, text.directory.hoursAndCost, text.directory.checked];
  return html`${entries.some((entry) => entry.canEdit) && html`<p class="hint">${text.directory.editHint}</p>`}
<div class="scroll" role="region" aria-labelledby="entries-caption" tabindex="0"><table>
<caption id="entries-caption">${text.directory.caption}</caption>
<thead><tr>${columns.map((column) => html`<th scope="col">${column}</th>`)}</tr></thead>
${placeGroups(text, entries, columns.length)}</table></div>`;
}

/** The help directory list page. */
export function renderDirectoryListPage(view: DirectoryListView): string {
  const { context } = view;
  const text = consoleText(context.locale);
  const saved = view.savedEntryName !== null && html`<p class="success" role="status">${fillText(text.directory.saved, { name: view.savedEntryName })}</p>`;
  const add = view.newEntryUrl !== null && html`<p class="actions"><a class="button" href="${safeUrl(view.newEntryUrl)}">${text.directory.addEntry}</a></p>`;
  const downloads =
    view.exportUrls !== null &&
    html`<h2>${text.directory.download}</h2>
<p class="actions"><a href="${safeUrl(view.exportUrls.csv)}" download>${text.directory.downloadCsv}</a><a href="${safeUrl(view.exportUrls.xlsx)}" download>${
      text.directory.downloadXlsx
    }</a></p>`;
  const content = html`${saved}${add}${filterForm(text, view.filter)}
<p>${fillText(text.directory.shown, { count: formatCount(context.locale, view.entries.length) })}</p>
${entryTable(text, view.entries)}
${downloads}
${view.importForm !== null && importFormSection(text, context.csrfToken, view.importForm, text.importForm.title)}`;
  return renderPage({ context, title: text.directory.title, position: { section: "directory", at: "page" }, content });
}
