import { describe, expect, it } from "vitest";
import { renderDirectoryListPage } from "../../src/console/directory-list-page.ts";
import { directoryListView, entryRow } from "./console-fixtures.ts";
import { formsOf, startTags } from "./html-inspection.ts";

/** The table row of the entry named `name`. */
function rowOf(page: string, name: string): string {
  return page.split("\n").find((line) => line.startsWith("<tr><th scope=\"row\">") && line.includes(`${name}<`)) ?? "";
}

describe("the help directory list", () => {
  const entries = [
    entryRow(1),
    entryRow(2, { stale: true, verifiedOn: "2024-03-15", canEdit: false, free: true, hours: "24/7", emergency: true }),
    entryRow(3, { communeName: null, free: false, hours: "unknown", kind: "health-facility" }),
  ];
  const vi = renderDirectoryListPage(directoryListView("vi", entries));

  it("links an entry's name to its form only when she may edit it", () => {
    expect(rowOf(vi, "Địa chỉ tin cậy xã Mường Bú 1")).toContain('<a href="/console/directory/dtc-14-muong-bu-1/edit">Địa chỉ tin cậy xã Mường Bú 1</a>');
    expect(rowOf(vi, "Địa chỉ tin cậy xã Mường Bú 2")).not.toContain("<a ");
    expect(vi).not.toContain("dtc-14-muong-bu-2/edit");
    expect(vi).toContain("Bấm vào tên để sửa.");
    const readOnly = renderDirectoryListPage(directoryListView("vi", [entryRow(4, { canEdit: false })]));
    expect(readOnly).not.toContain("Bấm vào tên để sửa.");
  });

  it("groups the national numbers under 'Toàn quốc', not under an empty province", () => {
    const page = renderDirectoryListPage(directoryListView("vi", [entryRow(5, { provinceName: "", communeName: null, canEdit: false })]));
    expect(page).toContain("Toàn quốc");
    expect(page).not.toContain("(cả tỉnh)");
    expect(renderDirectoryListPage(directoryListView("en", [entryRow(5, { provinceName: "", communeName: null })]))).toContain("Nationwide");
  });

  it("says free and 24/7 only as the data states them", () => {
    expect(rowOf(vi, "Địa chỉ tin cậy xã Mường Bú 1")).toContain("<td>7:00–17:00, thứ Hai–thứ Sáu · Chưa rõ phí</td>");
    expect(rowOf(vi, "Địa chỉ tin cậy xã Mường Bú 2")).toContain("<td>24/7 · Miễn phí</td>");
    expect(rowOf(vi, "Địa chỉ tin cậy xã Mường Bú 3")).toContain("<td>Chưa rõ giờ · Mất phí</td>");
    const en = renderDirectoryListPage(directoryListView("en", entries));
    expect(rowOf(en, "Địa chỉ tin cậy xã Mường Bú 3")).toContain("<td>Hours not known · Not free</td>");
  });

  it("flags an entry due for checking next to the month it was checked", () => {
    expect(rowOf(vi, "Địa chỉ tin cậy xã Mường Bú 2")).toContain('<td>03/2024<small class="due">Cần kiểm tra lại</small></td>');
    expect(rowOf(vi, "Địa chỉ tin cậy xã Mường Bú 1")).toContain("<td>03/2026</td>");
  });

  it("shows each entry's kind, and says when it is in the emergency reply", () => {
    expect(rowOf(vi, "Địa chỉ tin cậy xã Mường Bú 2")).toContain("<small>Địa chỉ tin cậy · Khẩn cấp</small>");
    expect(rowOf(vi, "Địa chỉ tin cậy xã Mường Bú 3")).toContain("<small>Cơ sở y tế</small>");
  });

  it("groups the entries under the place they serve", () => {
    const headings = startTags(vi, "th").filter((header) => header.attributes.get("scope") === "rowgroup");
    expect(headings).toHaveLength(2);
    expect(vi).toContain('<th scope="rowgroup" colspan="4">xã Mường Bú, Sơn La</th>');
    expect(vi).toContain('<th scope="rowgroup" colspan="4">Sơn La (cả tỉnh)</th>');
  });

  it("filters with a GET form by province, commune and due for checking", () => {
    const filter = formsOf(vi).find((form) => form.tag.attributes.get("method") === "get");
    expect(filter?.tag.attributes.get("action")).toBe("/console/directory");
    const names = startTags(filter?.inside ?? "", "select", "input").map((control) => control.attributes.get("name"));
    expect(names).toEqual(["province", "commune", "due"]);
    expect(filter?.inside).toContain('<option value="14" selected>Sơn La</option>');
    expect(filter?.inside).not.toContain("Chọn tỉnh rồi bấm Lọc");
    const view = directoryListView("vi", entries);
    const noProvince = renderDirectoryListPage({ ...view, filter: { ...view.filter, provinceCode: "", communeChoices: [], dueOnly: true } });
    expect(noProvince).toContain('<p class="hint" id="filter-commune-hint">Chọn tỉnh rồi bấm Lọc để chọn xã.</p>');
    expect(noProvince).toContain('name="due" value="1" checked>');
  });

  it("offers an upload that checks first, and the downloads, when she may use them", () => {
    const upload = formsOf(vi).find((form) => form.tag.attributes.get("enctype") === "multipart/form-data");
    expect(upload?.tag.attributes.get("method")).toBe("post");
    expect(upload?.tag.attributes.get("action")).toBe("/console/directory/import");
    expect(upload?.inside).toContain('<input type="file" id="import-file" name="file" accept=".csv,.xlsx"');
    expect(upload?.inside).toContain('<input type="checkbox" id="import-dry-run" name="dryRun" value="1" checked>');
    expect(vi).toContain('<a href="/console/directory/export.csv" download>Tải tệp CSV</a>');
    expect(vi).toContain('<a href="/console/directory/export.xlsx" download>Tải tệp Excel (.xlsx)</a>');
    expect(vi).toContain('<a class="button" href="/console/directory/new">Thêm địa chỉ</a>');
    const view = directoryListView("vi", entries);
    const reader = renderDirectoryListPage({ ...view, importForm: null, exportUrls: null, newEntryUrl: null });
    expect(formsOf(reader).filter((form) => form.tag.attributes.get("method") === "post")).toHaveLength(1);
    expect(reader).not.toMatch(/export\.csv|\/console\/directory\/new|Nhập từ tệp/);
  });

  it("confirms a saved entry, counts the entries shown, and says when there are none", () => {
    expect(vi).toContain('<p class="success" role="status">Đã lưu “Trạm y tế xã Mường La”.</p>');
    expect(vi).toContain("<p>Đang hiện: 3 địa chỉ</p>");
    const empty = renderDirectoryListPage({ ...directoryListView("vi", []), savedEntryName: null });
    expect(empty).toContain("<p>Không có địa chỉ nào.</p>");
    expect(empty).not.toContain("<table");
    expect(empty).not.toContain("Đã lưu");
  });
});
