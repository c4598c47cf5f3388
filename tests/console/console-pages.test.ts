// Rules every console page keeps, checked on every page in both languages: the document language, landmarks
// and skip link, a label for every control, error and hint references that resolve, CSRF tokens in POST forms
// only, the current menu item, escaping of every text the routes pass in, and the weight of a long list.
import { describe, expect, it } from "vitest";
import { consoleLocales } from "../../src/console/console-locale.ts";
import { renderDirectoryListPage } from "../../src/console/directory-list-page.ts";
import type { DirectoryKind } from "../../src/directory/directory-entry.ts";
import { csrfToken, directoryListView, entryRow, renderEveryPage } from "./console-fixtures.ts";
import { formsOf, idsOf, startTags } from "./html-inspection.ts";

describe.each(consoleLocales)("every console page in %s", (locale) => {
  const pages = renderEveryPage(locale);

  it.each(pages.map((page) => [page.name, page] as const))("%s: is a whole document in the page's language", (_name, page) => {
    expect(page.html.startsWith("<!doctype html>\n")).toBe(true);
    expect(startTags(page.html, "html")[0]?.attributes.get("lang")).toBe(locale);
    expect(page.html).toMatch(/<meta name="viewport" content="width=device-width,initial-scale=1">/);
    expect(page.html).toMatch(/<link rel="stylesheet" href="\/console\/assets\/console\.css\?v=[0-9a-f]+">/);
    expect(page.html).not.toMatch(/<script|<img|<iframe|@import/);
  });

  it.each(pages.map((page) => [page.name, page] as const))("%s: has a skip link to main, a header and one h1", (_name, page) => {
    const body = page.html.slice(page.html.indexOf("<body>"));
    expect(body).toMatch(/^<body>\n<a class="skip" href="#main">/);
    expect(startTags(page.html, "main")).toHaveLength(1);
    expect(startTags(page.html, "main")[0]?.attributes.get("id")).toBe("main");
    expect(startTags(page.html, "header")).toHaveLength(1);
    expect(startTags(page.html, "h1")).toHaveLength(1);
  });

  it.each(pages.map((page) => [page.name, page] as const))("%s: labels every control and keeps ids unique", (_name, page) => {
    const ids = idsOf(page.html);
    expect(new Set(ids).size, `duplicate ids: ${ids.join(" ")}`).toBe(ids.length);
    const labelled = startTags(page.html, "label").map((label) => label.attributes.get("for"));
    for (const control of startTags(page.html, "input", "select", "textarea")) {
      if (control.attributes.get("type") === "hidden") continue;
      const id = control.attributes.get("id");
      expect(id, `a ${control.name} without an id`).toBeTruthy();
      expect(labelled.filter((target) => target === id), `label for ${id}`).toHaveLength(1);
    }
  });

  it.each(pages.map((page) => [page.name, page] as const))("%s: points aria-describedby and aria-labelledby at elements that exist", (_name, page) => {
    const ids = new Set(idsOf(page.html));
    for (const tag of startTags(page.html, "[a-z]+")) {
      for (const attribute of ["aria-describedby", "aria-labelledby"]) {
        for (const id of tag.attributes.get(attribute)?.split(" ") ?? []) expect(ids, `${attribute}="${id}"`).toContain(id);
      }
    }
    for (const link of startTags(page.html, "a")) {
      const href = link.attributes.get("href") ?? "";
      if (href.startsWith("#")) expect(ids, href).toContain(href.slice(1));
    }
  });

  it.each(pages.map((page) => [page.name, page] as const))("%s: gives every table header a scope", (_name, page) => {
    for (const header of startTags(page.html, "th")) expect(["col", "row", "rowgroup"]).toContain(header.attributes.get("scope"));
  });

  it.each(pages.map((page) => [page.name, page] as const))("%s: puts the CSRF token first in every POST form, and never in a GET form", (_name, page) => {
    const forms = formsOf(page.html);
    for (const form of forms) {
      const method = form.tag.attributes.get("method");
      expect(["get", "post"]).toContain(method);
      if (method === "post") expect(form.inside.startsWith(`<input type="hidden" name="_csrf" value="${csrfToken}">`)).toBe(true);
      else expect(form.inside).not.toContain("_csrf");
    }
  });

  it.each(pages.map((page) => [page.name, page] as const))("%s: marks its place in the menu, and shows the menu only when signed in", (_name, page) => {
    const menu = /<nav\b[^>]*>([\s\S]*?)<\/nav>/.exec(page.html)?.[1];
    const signedIn = page.html.includes('name="_csrf"') && page.html.includes("/console/sign-out");
    expect(menu !== undefined).toBe(signedIn);
    if (menu === undefined) return;
    const current = startTags(menu, "a").filter((link) => link.attributes.has("aria-current"));
    if (page.section === null) {
      expect(current).toHaveLength(0);
      return;
    }
    expect(current).toHaveLength(1);
    expect(current[0]?.attributes.get("href")).toBe(`/console${page.section === "overview" ? "" : `/${page.section}`}`);
    expect(current[0]?.attributes.get("aria-current")).toBe(page.own ? "page" : "true");
  });

  it.each(pages.map((page) => [page.name, page] as const))("%s: links to the same page in the other language", (_name, page) => {
    const other = locale === "vi" ? "en" : "vi";
    const switchLink = startTags(page.html, "a").find((link) => link.attributes.get("hreflang") === other);
    expect(switchLink?.attributes.get("href")).toBe(`?lang=${other}`);
    expect(switchLink?.attributes.get("lang")).toBe(other);
  });
});

/** Markup and a script link, put in place of every text a route passes in. */
const attack = `javascript:alert(1)//"'><script>alert(1)</script><img src=x onerror=alert(1)>`;

/** Keys whose values are chosen from fixed lists by the code, not typed by people: left as they are. */
const fixedKeys = new Set(["locale", "role", "kind", "topics", "mode", "status"]);

function withAttacks(value: unknown, key: string): unknown {
  if (typeof value === "string") return fixedKeys.has(key) ? value : attack;
  if (Array.isArray(value)) return value.map((item: unknown) => withAttacks(item, key));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([innerKey, inner]) => [innerKey, withAttacks(inner, innerKey)]));
  }
  return value;
}

describe.each(consoleLocales)("escaping on every console page in %s", (locale) => {
  // The view models are rebuilt with the attack in every text field; the cast only restores the static type
  // the rebuilt object already has.
  const pages = renderEveryPage(locale, <View>(view: View) => withAttacks(view, "") as View);

  /** Pages whose only data are links, so no text of theirs is shown. */
  const linksOnly = new Set(["signed-out", "404"]);

  it.each(pages.map((page) => [page.name, page] as const))("%s: shows markup from the data as text and never as a link", (_name, page) => {
    expect(page.html).not.toMatch(/<script|<img|"'>/);
    expect(page.html).not.toMatch(/(href|action)="javascript:/i);
    expect(page.html).toContain('href="#"');
    if (!linksOnly.has(page.name)) expect(page.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});

describe("the weight of a long directory list", () => {
  const communes = ["xã Mường Bú", "xã Chiềng Sinh", "phường Chiềng Lề", "xã Tà Xùa", "xã Mường La"];
  const kinds: DirectoryKind[] = ["trusted-address", "health-facility", "police", "legal-aid", "shelter"];
  const names = ["Địa chỉ tin cậy", "Trạm y tế", "Công an", "Trợ giúp pháp lý", "Nhà tạm lánh"];
  const hours = ["24/7", "unknown", "7:00–17:00", "7:00–11:30, 13:30–17:00", "Thứ Hai–thứ Sáu"];
  const entries = Array.from({ length: 100 }, (_, index) => {
    const commune = communes[index % communes.length] ?? "";
    return entryRow(index, {
      id: `dtc-14-${index}`,
      kind: kinds[index % kinds.length],
      name: `${names[index % names.length]} ${commune}`,
      communeName: index % 7 === 0 ? null : commune,
      hours: hours[index % hours.length],
      free: index % 3 === 0 ? true : "unknown",
      stale: index % 3 === 0,
      editUrl: `/console/directory/dtc-14-${index}/edit`,
    });
  });

  it.each(consoleLocales)("stays under 30 KB with 100 entries in %s", (locale) => {
    const page = renderDirectoryListPage(directoryListView(locale, entries));
    expect(page.match(/<tr><th scope="row">/g)).toHaveLength(100);
    expect(Buffer.byteLength(page)).toBeLessThan(30_000);
  });
});
