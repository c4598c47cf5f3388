import { describe, expect, it } from "vitest";
import { renderOverviewPage } from "../../src/console/overview-page.ts";
import type { StaffAccess } from "../../src/console/view-models.ts";
import { consoleUrls, overviewView } from "./console-fixtures.ts";
import { startTags } from "./html-inspection.ts";

function withAccess(locale: "vi" | "en", access: StaffAccess): string {
  const view = overviewView(locale);
  return renderOverviewPage({ ...view, context: { ...view.context, staff: { displayName: "Lò Thị Mai", access } } });
}

describe("the overview page", () => {
  it("says the role and area in words", () => {
    expect(withAccess("vi", { role: "province", provinces: ["Sơn La", "Lạng Sơn"] })).toContain("<p>Cán bộ tỉnh: Sơn La, Lạng Sơn</p>");
    const team = withAccess("vi", { role: "commune", team: "Tổ Mường Bú", communes: ["xã Mường Bú", "xã Mường La"] });
    expect(team).toContain("<p>Tổ truyền thông: xã Mường Bú, xã Mường La</p>");
    expect(team).toContain("<p>Tổ: Tổ Mường Bú</p>");
    expect(withAccess("en", { role: "province", provinces: ["Sơn La"] })).toContain("<p>Province officer: Sơn La</p>");
  });

  it("says the figures count only her area, except for an administrator, who sees the whole country", () => {
    expect(withAccess("vi", { role: "province", provinces: ["Sơn La"] })).toContain("chỉ tính trong địa bàn của bạn");
    const admin = withAccess("vi", { role: "admin" });
    expect(admin).toContain("<p>Quản trị viên: cả nước</p>");
    expect(admin).not.toContain("địa bàn của bạn");
  });

  it("shows the counts as the language writes numbers, and the stale limit in months", () => {
    const page = renderOverviewPage(overviewView("vi"));
    expect(page).toContain("<dt>Số địa chỉ</dt><dd>1.234</dd>");
    expect(page).toContain("<dt>Cần kiểm tra lại (quá 12 tháng)</dt><dd>3</dd>");
    expect(page).toContain("<dt>Xã, phường</dt><dd>3.321</dd>");
    expect(page).toContain("<dt>Đang dùng cho người dân</dt><dd>Tiếng Việt, Tiếng Anh</dd>");
    expect(renderOverviewPage(overviewView("en"))).toContain("<dt>Communes and wards</dt><dd>3,321</dd>");
  });

  it("links to the entries due for checking only when there are some", () => {
    const view = overviewView("vi");
    expect(renderOverviewPage(view)).toContain('<a href="/console/directory?due=1">');
    expect(renderOverviewPage({ ...view, directory: { ...view.directory, dueForCheck: 0 } })).not.toContain("?due=1");
  });

  it("warns while the commune list is the shipped sample, and only then", () => {
    const view = overviewView("vi");
    expect(renderOverviewPage(view)).toContain('<p class="notice" role="note">Danh sách xã đang là bản MẪU');
    expect(renderOverviewPage({ ...view, places: { ...view.places, sample: false } })).not.toContain("MẪU");
  });

  it("links only to pages that exist", () => {
    const page = renderOverviewPage(overviewView("vi"));
    const known = new Set([...Object.values(consoleUrls), "/console/directory?due=1", "#main", "?lang=en"]);
    for (const link of startTags(page, "a")) expect(known).toContain(link.attributes.get("href"));
  });
});
