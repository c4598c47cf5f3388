import { describe, expect, it } from "vitest";
import { renderImportResultPage } from "../../src/console/import-result-page.ts";
import { importResultView } from "./console-fixtures.ts";
import { formsOf } from "./html-inspection.ts";

describe("the import result page", () => {
  it("lists every problem by row and column as the import gave them, and says nothing was saved", () => {
    const page = renderImportResultPage(importResultView("vi", true));
    expect(page).toContain("<title>Lỗi: Kết quả nhập tệp – Loa</title>");
    expect(page).toContain("<p>Tệp: dia-chi-son-la.xlsx</p>");
    expect(page).toContain("Chưa lưu gì. Hãy sửa các lỗi dưới đây trong tệp rồi nhập lại.");
    expect(page).toContain("<p>Số lỗi: 2</p>");
    expect(page).toContain('<tr><th scope="row" class="num">3</th><td>điện thoại</td><td>&quot;0212&quot; has 4 digits</td></tr>');
    expect(page).toContain('<tr><th scope="row" class="num">7</th><td>cả dòng</td><td>duplicate id dtc-14-muong-bu</td></tr>');
  });

  it("gives the counts of a check, saying nothing was saved yet", () => {
    const page = renderImportResultPage(importResultView("vi", false));
    expect(page).toContain("Tệp đúng. Nếu lưu sẽ thêm 4, cập nhật 12 địa chỉ. Chưa lưu gì.");
    expect(page).not.toContain("<table");
    expect(page).toContain("<title>Kết quả nhập tệp – Loa</title>");
  });

  it("gives the counts of a saved import", () => {
    const view = importResultView("en", false);
    const page = renderImportResultPage({ ...view, outcome: { kind: "accepted", dryRun: false, added: 1200, updated: 0 } });
    expect(page).toContain("Saved: 1,200 added, 0 updated.");
  });

  it("offers the upload again, and a way back to the list", () => {
    const page = renderImportResultPage(importResultView("vi", false));
    const upload = formsOf(page).find((form) => form.tag.attributes.get("enctype") === "multipart/form-data");
    expect(upload?.inside).toContain('name="dryRun" value="1">');
    expect(page).toContain("<h2>Nhập lại</h2>");
    expect(page).toContain('<a href="/console/directory">Về danh bạ hỗ trợ</a>');
    expect(renderImportResultPage({ ...importResultView("vi", false), importForm: null })).not.toContain("multipart");
  });
});
