import { consoleCssUrl } from "./console-css.ts";
import { consoleText, fillText, type ConsoleLocale } from "./console-locale.ts";
import { csrfField } from "./form-fields.ts";
import { html, htmlText, safeUrl, type SafeHtml } from "./html.ts";
import type { ConsoleContext, SignedInStaff } from "./view-models.ts";

/**
 * The frame every console page shares: the document head, a skip link, the header with who is signed in, the
 * language switch and the sign-out form, the main menu, and the page's own content in `<main>`. Pages differ
 * only in what they put in `<main>`, so the accessibility and security rules of the frame hold everywhere.
 */

/** The parts of the console in the main menu. */
export type ConsoleSection = "overview" | "stats" | "directory" | "campaigns" | "places" | "coverage";

const sections: readonly ConsoleSection[] = ["overview", "stats", "directory", "campaigns", "places", "coverage"];

/**
 * Where a page sits in the menu: `page` when it is the section's own page (aria-current="page"), `within`
 * for a page inside the section, such as one entry's form in the directory (aria-current="true").
 */
export type MenuPosition = { section: ConsoleSection; at: "page" | "within" };

/** A whole page: its title, its place in the menu (null for none) and its content. */
export type ConsolePage = {
  context: ConsoleContext;
  title: string;
  /** The page shows errors from a failed post: the title says so first, as screen readers read it first. */
  hasErrors?: boolean;
  position: MenuPosition | null;
  content: SafeHtml;
};

function otherLocale(locale: ConsoleLocale): ConsoleLocale {
  return locale === "vi" ? "en" : "vi";
}

function staffHeader(context: ConsoleContext, staff: SignedInStaff): SafeHtml {
  const text = consoleText(context.locale);
  return html`<div class="bar"><p class="who"><strong>${staff.displayName}</strong> · ${text.roles[staff.access.role]}</p><form method="post" action="${safeUrl(
    context.urls.signOut,
  )}">${csrfField(context.csrfToken)}<button type="submit">${text.layout.signOut}</button></form></div>`;
}

function menu(context: ConsoleContext, position: MenuPosition | null): SafeHtml {
  const text = consoleText(context.locale);
  const items = sections.map((section) => {
    const current = position?.section === section && html` aria-current="${position.at === "page" ? "page" : "true"}"`;
    return html`<li><a href="${safeUrl(context.urls[section])}"${current}>${text.nav[section]}</a></li>`;
  });
  return html`<nav aria-label="${text.layout.mainMenu}"><ul>${items}</ul></nav>`;
}

/** A full HTML document for `page`, in the page's locale. */
export function renderPage(page: ConsolePage): string {
  const { context } = page;
  const text = consoleText(context.locale);
  const other = otherLocale(context.locale);
  const title = `${page.hasErrors === true ? fillText(text.layout.errorInTitle, { title: page.title }) : page.title} – Loa`;
  const languageSwitch = html`<a class="lang" href="${safeUrl(context.languageUrls[other])}" hreflang="${other}" lang="${other}">${
    consoleText(other).languageName
  }</a>`;
  return htmlText(html`<!doctype html>
<html lang="${context.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<link rel="stylesheet" href="${consoleCssUrl}">
</head>
<body>
<a class="skip" href="#main">${text.layout.skipToContent}</a>
<header class="top">
<div class="bar"><p class="brand">${text.layout.appName}</p>${languageSwitch}</div>
${context.staff !== null && html`${staffHeader(context, context.staff)}
${menu(context, page.position)}`}
</header>
<main id="main" tabindex="-1">
<h1>${page.title}</h1>
${page.content}
</main>
</body>
</html>
`);
}
