import { describe, expect, it } from "vitest";
import { renderPlacesPage, renderProvincePage } from "../../src/console/places-pages.ts";
import { placesView, provinceView } from "./console-fixtures.ts";
import { formsOf, startTags } from "./html-inspection.ts";

describe("the places page", () => {
  const page = renderPlacesPage(placesView("vi"));

  it("lists the provinces with their number of communes, each linking to its page", () => {
    expect(page).toContain('<tr><th scope="row"><a href="/console/places/14">tỉnh Sơn La</a></th><td>14</td><td class="num">10</td></tr>');
    expect(page).toContain('<tr><th scope="row"><a href="/console/places/01">thành phố Hà Nội</a></th><td>01</td><td class="num">0</td></tr>');
  });

  it("searches by name with a GET form and shows what matched", () => {
    const search = formsOf(page)[1];
    expect(search?.tag.attributes.get("method")).toBe("get");
    expect(search?.tag.attributes.get("role")).toBe("search");
    expect(startTags(search?.inside ?? "", "input")[0]?.attributes.get("value")).toBe("muong bu");
    expect(page).toContain("<h2>Kết quả cho “muong bu”</h2>");
    expect(page).toContain('<a href="/console/places/14#place-14-mau-01">xã Mường Bú</a></th><td>14-mau-01</td><td>Sơn La</td>');
  });

  it("says when nothing matched, and shows no results before a search", () => {
    const view = placesView("en");
    expect(renderPlacesPage({ ...view, matches: [] })).toContain("<p>Nothing found.</p>");
    const before = renderPlacesPage({ ...view, matches: null, search: { ...view.search, query: "" } });
    expect(before).not.toContain("Results for");
  });

  it("warns while the communes are the shipped sample, and only then", () => {
    expect(page).toContain('<p class="notice" role="note">');
    expect(renderPlacesPage({ ...placesView("vi"), sample: false })).not.toContain('class="notice"');
  });
});

describe("a province's page", () => {
  it("lists its communes with their codes, marking made-up sample codes, each row findable by its code", () => {
    const page = renderProvincePage(provinceView("vi"));
    expect(page).toContain("<h1>Quảng Ngãi</h1>");
    expect(page).toContain("<p>Gồm các tỉnh cũ: Kon Tum</p>");
    expect(page).toContain('<tr id="place-51-mau-01"><th scope="row">xã Ba Tơ</th><td>51-mau-01<small>mã tạm</small></td><td>huyện Ba Tơ</td></tr>');
    expect(page).toContain('<caption id="communes-caption">Xã, phường của tỉnh Quảng Ngãi</caption>');
    expect(page).toContain('<a href="/console/places">Tất cả các tỉnh</a>');
  });

  it("shows official codes without a mark, and says when a province has no communes yet", () => {
    const view = provinceView("en");
    const official = renderProvincePage({
      ...view,
      sample: false,
      province: { ...view.province, formerNames: [] },
      communes: [{ code: "14109", name: "Mường Bú", unitType: "xã", formerDistricts: [], sample: false }],
    });
    expect(official).toContain('<td>14109</td>');
    expect(official).not.toMatch(/made-up|Formed from|class="notice"/);
    expect(renderProvincePage({ ...view, communes: [] })).toContain("<p>No communes listed yet.</p>");
  });
});
