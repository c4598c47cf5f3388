/**
 * Escaping for the staff console's HTML. Pages are built with the `html` tagged template, which escapes every
 * interpolated string, so data from staff, spreadsheets or the database can never become markup: a help entry
 * named `<script>` is shown as text. Only the output of `html` itself is inserted as it is.
 */

const markup: unique symbol = Symbol("console markup");

/** HTML built by `html`: its interpolated values were escaped, so it may be inserted into a page as it is. */
export type SafeHtml = { readonly [markup]: string };

/**
 * What a template may interpolate: markup from `html`, text and numbers (escaped), lists of these (joined), and
 * `false`, `null` or `undefined` for nothing, so `condition && html\`…\`` leaves out an optional part.
 */
export type HtmlValue = SafeHtml | string | number | false | null | undefined | readonly HtmlValue[];

const entities: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made safe for element content and for quoted attribute values: & < > " and ' become entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => entities[character] ?? character);
}

function isSafeHtml(value: SafeHtml | readonly HtmlValue[]): value is SafeHtml {
  return markup in value;
}

function render(value: HtmlValue): string {
  if (value === false || value === null || value === undefined) return "";
  if (typeof value === "string") return escapeHtml(value);
  if (typeof value === "number") return String(value);
  if (isSafeHtml(value)) return value[markup];
  return value.map(render).join("");
}

/** The tagged template every page is written with: the literal parts are markup, every value is escaped. */
export function html(literals: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let text = literals[0] ?? "";
  values.forEach((value, index) => {
    text += render(value) + (literals[index + 1] ?? "");
  });
  return { [markup]: text };
}

/** The text of finished markup, to send as a response body. */
export function htmlText(content: SafeHtml): string {
  return content[markup];
}

/**
 * A URL fit for `href` or `action`: a path on this site ("/console/…", not "//host"), a query ("?lang=en"), a
 * fragment, or an http(s) address. Anything else (such as `javascript:`) becomes "#", because escaping stops a
 * value from breaking out of its attribute but not from running as a script link.
 */
export function safeUrl(url: string): string {
  return /^(?:\/(?![/\\])|\?|#|https?:\/\/)/i.test(url) ? url : "#";
}
