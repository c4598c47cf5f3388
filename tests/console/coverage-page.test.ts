import { describe, expect, it } from "vitest";
import { renderCoveragePage } from "../../src/console/coverage-page.ts";
import { coverageView } from "./console-fixtures.ts";

describe("the content coverage page", () => {
  it("shows per language its status, whether it is offered, and its text, review and audio coverage", () => {
    const page = renderCoveragePage(coverageView("vi"));
    expect(page).toContain(
      '<tr><th scope="row">Tiếng Việt<small>vi</small></th><td>Đã duyệt</td><td>Có</td><td class="num">412/412 (100%)</td><td class="num">412/412 (100%)</td><td class="num">0</td><td class="num">40/412 (10%)</td></tr>',
    );
    expect(page).toContain(
      '<tr><th scope="row">Tiếng Mông<small>hmn</small></th><td>Bản nháp</td><td>Không</td><td class="num">120/412 (29%)</td><td class="num">0/412 (0%)</td><td class="num">3</td><td class="num">0/412 (0%)</td></tr>',
    );
  });

  it("names the languages offered to people, and why the others are not", () => {
    const page = renderCoveragePage(coverageView("en"));
    expect(page).toContain("<p>Offered to people: Tiếng Việt</p>");
    expect(page).toContain("A language is offered only when a speaker has reviewed every core text.");
    expect(page).toContain("<p>Vietnamese texts: 412</p>");
  });
});
