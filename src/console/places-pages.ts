import { consoleText, fillText, formatCount } from "./console-locale.ts";
import type { ConsoleText } from "./console-text/vi.ts";
import { textField } from "./form-fields.ts";
import { html, safeUrl, type SafeHtml } from "./html.ts";
import { renderPage } from "./layout.ts";
import { samplePlacesNotice } from "./sample-places-notice.ts";
import type { PlaceMatchView, PlacesView, ProvinceView } from "./view-models.ts";

/**
 * The places Loa knows, as staff check them: the provinces with how many communes each has, a search by name,
 * and one province's communes with their official codes, which are what help entries and spreadsheets use.
 */

function searchForm(text: ConsoleText, search: PlacesView["search"]): SafeHtml {
  return html`<form method="get" action="${safeUrl(search.action)}" role="search">
${textField({ id: "places-search", name: "q", label: text.places.search, value: search.query, type: "search" })}
<p class="actions"><button type="submit" class="secondary">${text.places.searchButton}</button></p>
</form>`;
}

function matchTable(text: ConsoleText, query: string, matches: readonly PlaceMatchView[]): SafeHtml {
  const heading = html`<h2>${fillText(text.places.results, { query })}</h2>`;
  if (matches.length === 0) return html`${heading}<p>${text.places.noResults}</p>`;
  const rows = matches.map(
    (place) =>
      html`<tr><th scope="row"><a href="${safeUrl(place.url)}">${place.unitType} ${place.name}</a></th><td>${place.code}</td><td>${place.provinceName ?? ""}</td></tr>
`,
  );
  return html`${heading}<div class="scroll" role="region" aria-labelledby="matches-caption" tabindex="0"><table>
<caption id="matches-caption">${text.places.resultsCaption}</caption>
<thead><tr><th scope="col">${text.places.name}</th><th scope="col">${text.places.code}</th><th scope="col">${text.places.inProvince}</th></tr></thead>
<tbody>
${rows}</tbody>
</table></div>`;
}

/** The list of provinces with their commune counts, the search box, and the results of a search. */
export function renderPlacesPage(view: PlacesView): string {
  const { context } = view;
  const text = consoleText(context.locale);
  const rows = view.provinces.map(
    (province) =>
      html`<tr><th scope="row"><a href="${safeUrl(province.url)}">${province.unitType} ${province.name}</a></th><td>${province.code}</td><td class="num">${formatCount(
        context.locale,
        province.communeCount,
      )}</td></tr>
`,
  );
  const content = html`${samplePlacesNotice(text, view.sample)}${searchForm(text, view.search)}
${view.matches !== null && matchTable(text, view.search.query, view.matches)}
<h2>${text.places.provinces}</h2>
<div class="scroll" role="region" aria-labelledby="provinces-caption" tabindex="0"><table>
<caption id="provinces-caption">${text.places.provincesCaption}</caption>
<thead><tr><th scope="col">${text.places.name}</th><th scope="col">${text.places.code}</th><th scope="col" class="num">${text.places.communeCount}</th></tr></thead>
<tbody>
${rows}</tbody>
</table></div>`;
  return renderPage({ context, title: text.places.title, position: { section: "places", at: "page" }, content });
}

/**
 * One province's page: its code, the former provinces merged into it, and its communes with their codes. Each
 * commune's row has the id `place-<code>`, so a search result can link straight to it.
 */
export function renderProvincePage(view: ProvinceView): string {
  const { context, province } = view;
  const text = consoleText(context.locale);
  const formedFrom =
    province.formerNames.length > 0 && html`<p>${fillText(text.places.formedFrom, { names: province.formerNames.join(", ") })}</p>`;
  const rows = view.communes.map(
    (commune) =>
      html`<tr id="place-${commune.code}"><th scope="row">${commune.unitType} ${commune.name}</th><td>${commune.code}${
        commune.sample && html`<small>${text.places.sampleCode}</small>`
      }</td><td>${commune.formerDistricts.join(", ")}</td></tr>
`,
  );
  const caption = fillText(text.places.communesCaption, { province: `${province.unitType} ${province.name}` });
  const communes =
    view.communes.length === 0
      ? html`<p>${text.places.noCommunes}</p>`
      : html`<div class="scroll" role="region" aria-labelledby="communes-caption" tabindex="0"><table>
<caption id="communes-caption">${caption}</caption>
<thead><tr><th scope="col">${text.places.name}</th><th scope="col">${text.places.code}</th><th scope="col">${text.places.formerDistricts}</th></tr></thead>
<tbody>
${rows}</tbody>
</table></div>`;
  const content = html`<p class="actions"><a href="${safeUrl(context.urls.places)}">${text.places.allProvinces}</a></p>
${samplePlacesNotice(text, view.sample)}<p>${text.places.code}: <strong>${province.code}</strong> · ${province.unitType}</p>
${formedFrom}
<h2>${text.places.communes}</h2>
${communes}`;
  return renderPage({ context, title: province.name, position: { section: "places", at: "within" }, content });
}
