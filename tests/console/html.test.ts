import { describe, expect, it } from "vitest";
import { escapeHtml, html, htmlText, safeUrl } from "../../src/console/html.ts";

describe("escapeHtml", () => {
  it("turns the five characters that open markup or close an attribute into entities", () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;");
  });

  it("leaves Vietnamese and other text as it is", () => {
    expect(escapeHtml("Địa chỉ tin cậy xã Mường Bú – 24/7")).toBe("Địa chỉ tin cậy xã Mường Bú – 24/7");
  });
});

describe("the html template", () => {
  it("escapes every interpolated string and keeps the literal markup", () => {
    const name = "<script>alert(1)</script>";
    expect(htmlText(html`<p title="${name}">${name}</p>`)).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    );
  });

  it("inserts markup made by html as it is, so templates nest without double escaping", () => {
    const inner = html`<b>${"a & b"}</b>`;
    expect(htmlText(html`<p>${inner}</p>`)).toBe("<p><b>a &amp; b</b></p>");
  });

  it("joins lists, writes numbers, and leaves out false, null and undefined", () => {
    const items = ["<1>", html`<i>2</i>`, 3];
    expect(htmlText(html`${items}|${false}|${null}|${undefined}|${0}`)).toBe("&lt;1&gt;<i>2</i>3|||" + "|0");
  });
});

describe("safeUrl", () => {
  it("keeps paths, queries, fragments and http(s) addresses", () => {
    for (const url of ["/console/directory?due=1", "/", "?lang=en", "#main", "https://example.org/a", "HTTP://example.org"]) {
      expect(safeUrl(url)).toBe(url);
    }
  });

  it("replaces script links and addresses on other hosts without a scheme", () => {
    for (const url of ["javascript:alert(1)", " javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example", "/\\evil.example", "vbscript:x"]) {
      expect(safeUrl(url)).toBe("#");
    }
  });
});
