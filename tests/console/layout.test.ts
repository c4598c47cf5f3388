import { describe, expect, it } from "vitest";
import { renderPage } from "../../src/console/layout.ts";
import { html } from "../../src/console/html.ts";
import { provinceContext, signedOutContext } from "./console-fixtures.ts";
import { formsOf, startTags } from "./html-inspection.ts";

describe("the console page frame", () => {
  it("shows who is signed in with her role in words, and a sign-out form", () => {
    const page = renderPage({ context: provinceContext("vi"), title: "Tổng quan", position: null, content: html`<p>x</p>` });
    expect(page).toContain("<strong>Lò Thị Mai</strong> · Cán bộ tỉnh");
    const signOut = formsOf(page).find((form) => form.tag.attributes.get("action") === "/console/sign-out");
    expect(signOut?.tag.attributes.get("method")).toBe("post");
    expect(signOut?.inside).toContain('<button type="submit">Đăng xuất</button>');
  });

  it("names each role in English too", () => {
    const context = provinceContext("en");
    const commune = { ...context, staff: { displayName: "A", access: { role: "commune" as const, team: "T", communes: [] } } };
    const admin = { ...context, staff: { displayName: "A", access: { role: "admin" as const } } };
    expect(renderPage({ context, title: "t", position: null, content: html`` })).toContain("· Province officer");
    expect(renderPage({ context: commune, title: "t", position: null, content: html`` })).toContain("· Commune team");
    expect(renderPage({ context: admin, title: "t", position: null, content: html`` })).toContain("· Administrator");
  });

  it("has no menu and no sign-out form before signing in", () => {
    const page = renderPage({ context: signedOutContext("en"), title: "Sign in", position: null, content: html`` });
    expect(startTags(page, "nav")).toHaveLength(0);
    expect(formsOf(page)).toHaveLength(0);
    expect(page).toContain('<a class="lang" href="?lang=vi" hreflang="vi" lang="vi">Tiếng Việt</a>');
  });

  it("puts the page title in the document title, saying first when the page shows errors", () => {
    const page = (hasErrors: boolean): string =>
      renderPage({ context: signedOutContext("vi"), title: "Sửa địa chỉ", hasErrors, position: null, content: html`` });
    expect(page(false)).toContain("<title>Sửa địa chỉ – Loa</title>");
    expect(page(true)).toContain("<title>Lỗi: Sửa địa chỉ – Loa</title>");
    expect(page(true)).toContain("<h1>Sửa địa chỉ</h1>");
  });

  it("marks the section's own page as the current page and a page inside it as current", () => {
    const menuLink = (at: "page" | "within"): string | undefined =>
      startTags(renderPage({ context: provinceContext("vi"), title: "t", position: { section: "places", at }, content: html`` }), "a").find((link) =>
        link.attributes.has("aria-current"),
      )?.attributes.get("aria-current");
    expect(menuLink("page")).toBe("page");
    expect(menuLink("within")).toBe("true");
  });
});
