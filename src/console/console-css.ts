import { createHash } from "node:crypto";

/**
 * The staff console's only stylesheet, small enough for a slow phone connection and cached for good: pages link
 * it with a version taken from its content, so a changed stylesheet gets a new URL. Mobile first: one column,
 * 44px tap targets, tables that scroll sideways inside their own box; wider screens only get more room. No web
 * fonts and no images: the phone's own system font is used.
 */

/** The console's colours, named by their use. */
export const consolePalette = {
  text: "#1b1b1b",
  background: "#ffffff",
  brand: "#0b4f8a",
  brandDark: "#07345c",
  muted: "#4d4d4d",
  error: "#b3261e",
  warning: "#7a3f00",
  noticeBackground: "#fff4d6",
  successBackground: "#e6f3e9",
  stripe: "#f3f5f8",
  focus: "#ffbf00",
  successBorder: "#1e6b34",
  rule: "#8c8c8c",
} as const;

type PaletteColour = keyof typeof consolePalette;

/**
 * Every foreground and background the stylesheet puts together, with the contrast WCAG 2.1 AA asks of it:
 * 4.5 for text, 3 for the focus ring against what surrounds it. A test holds each pair to its minimum.
 */
export const consoleColourPairs: ReadonlyArray<{ foreground: PaletteColour; background: PaletteColour; minimum: number }> = [
  { foreground: "text", background: "background", minimum: 4.5 },
  { foreground: "text", background: "stripe", minimum: 4.5 },
  { foreground: "brand", background: "background", minimum: 4.5 },
  { foreground: "brand", background: "stripe", minimum: 4.5 },
  { foreground: "brandDark", background: "background", minimum: 4.5 },
  { foreground: "background", background: "brand", minimum: 4.5 },
  { foreground: "background", background: "brandDark", minimum: 4.5 },
  { foreground: "muted", background: "background", minimum: 4.5 },
  { foreground: "error", background: "background", minimum: 4.5 },
  { foreground: "warning", background: "background", minimum: 4.5 },
  { foreground: "warning", background: "stripe", minimum: 4.5 },
  { foreground: "text", background: "noticeBackground", minimum: 4.5 },
  { foreground: "text", background: "successBackground", minimum: 4.5 },
  { foreground: "focus", background: "brand", minimum: 3 },
  { foreground: "text", background: "focus", minimum: 3 },
];

const c = consolePalette;

/** The stylesheet's text, served at `consoleCssPath`. */
export const consoleCss = `*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:${c.text};background:${c.background}}
a{color:${c.brand};text-underline-offset:.15em}
a:hover{color:${c.brandDark};text-decoration-thickness:.15em}
:focus-visible{outline:3px solid ${c.focus};outline-offset:0;box-shadow:0 0 0 6px ${c.text}}
.skip{position:absolute;left:.5rem;top:-10rem;z-index:1;padding:.75rem 1rem;background:${c.background};color:${c.brand}}
.skip:focus{top:.5rem}
.top{background:${c.brand};color:${c.background};padding:.25rem 1rem 0}
.top a{color:${c.background}}
.top a:hover{color:${c.background}}
.bar{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:0 1rem;max-width:64rem;margin:0 auto}
.brand{font-weight:700;font-size:1.125rem;margin:0}
.who{margin:0}
.top form{margin:0}
.top button{background:transparent;border-color:${c.background};padding:0 .75rem}
.top button:hover{background:${c.brandDark}}
.lang{display:inline-flex;align-items:center;min-height:44px}
nav{max-width:64rem;margin:0 auto}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap}
nav a{display:flex;align-items:center;min-height:44px;padding:0 .75rem;text-decoration:none;border-bottom:4px solid transparent}
nav a:hover{text-decoration:underline}
nav a[aria-current]{border-bottom-color:${c.background};font-weight:700}
main{display:block;max-width:64rem;margin:0 auto;padding:1rem}
main:focus{outline:0}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.25rem;line-height:1.3;margin:2rem 0 .75rem}
p,ul,dl{margin:0 0 1rem}
.field,fieldset{margin:0 0 1.5rem}
fieldset{border:0;padding:0;min-width:0}
label,legend,dt{display:block;font-weight:700}
legend{padding:0;margin-bottom:.25rem}
.hint{color:${c.muted};margin:0 0 .25rem}
.error{color:${c.error};font-weight:700;margin:0 0 .25rem}
input,select,button{font:inherit;min-height:44px}
input:not([type=checkbox]):not([type=radio]),select,textarea{display:block;width:100%;max-width:32rem;padding:.5rem;border:2px solid ${c.text};border-radius:4px;background:${c.background};color:${c.text}}
input[type=file]{padding:.375rem}
textarea{font:inherit;min-height:8rem;resize:vertical}
[aria-invalid=true]{border-color:${c.error};border-width:3px}
.choice{display:flex;align-items:center;gap:.75rem;min-height:44px}
.choice input{width:1.5rem;height:1.5rem;min-height:0;margin:0;flex:none;accent-color:${c.brand}}
.choice label{font-weight:400;padding:.5rem 0}
button,.button{display:inline-flex;align-items:center;justify-content:center;min-height:44px;padding:0 1.25rem;border:2px solid ${c.brand};border-radius:4px;background:${c.brand};color:${c.background};font-weight:700;text-decoration:none;cursor:pointer}
button:hover,.button:hover{background:${c.brandDark};border-color:${c.brandDark};color:${c.background}}
.secondary{background:${c.background};color:${c.brand}}
.actions{display:flex;flex-wrap:wrap;align-items:center;gap:.75rem 1.5rem;margin:0 0 1.5rem}
.actions a:not(.button){display:inline-flex;align-items:center;min-height:44px}
.notice,.success,.alert{padding:.75rem 1rem;margin:0 0 1.5rem;border-left:6px solid}
.notice{background:${c.noticeBackground};border-color:${c.warning}}
.success{background:${c.successBackground};border-color:${c.successBorder}}
.alert{border:3px solid ${c.error}}
.alert h2{margin-top:0}
.alert>:last-child{margin-bottom:0}
.alert a{color:${c.error};font-weight:700}
.due{color:${c.warning};font-weight:700}
.scroll{overflow-x:auto;margin:0 0 1.5rem;border:1px solid ${c.rule}}
table{border-collapse:collapse;width:100%}
caption{text-align:left;font-weight:700;padding:.5rem}
th,td{text-align:left;vertical-align:top;padding:.5rem;border-top:1px solid ${c.rule}}
thead th{background:${c.stripe};border-top:0;white-space:nowrap}
tbody th{font-weight:400;position:sticky;left:0;background:${c.background}}
tbody th:not(.num){min-width:10rem}
th[scope=rowgroup]{font-weight:700;background:${c.stripe};border-top:2px solid ${c.text}}
td a,tbody th a,h2 a{display:inline-block;padding:.625rem 0}
.alert li a,.pick a{display:block;padding:.625rem 0}
.num{text-align:right;font-variant-numeric:tabular-nums}
small{display:block;color:${c.muted};font-size:.875rem}
.filter{display:grid;gap:0 1rem}
dl div{margin:0 0 .75rem}
dd{margin:0;font-size:1.25rem}
.trail ol{display:flex;flex-wrap:wrap;list-style:none;margin:0 0 .5rem;padding:0}
.trail li{display:flex;align-items:center;min-height:44px}
.trail li+li::before{content:"›";padding:0 .5rem}
.trail a{padding:0}
.chart{display:block;width:100%;max-width:30rem;height:auto;margin:0 0 1rem}
.progress-list{list-style:none;padding:0}
.progress-list p{margin:0 0 .25rem}
.progress-list li{margin:0 0 1.25rem}
progress{width:100%;max-width:16rem;height:1.25rem;accent-color:${c.brand}}
@media (min-width:40em){
.top{padding:.25rem 1.5rem 0}
main{padding:1.5rem}
.filter{grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));align-items:end}
.filter .field{margin-bottom:1rem}
dl.counts{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:0 1rem}
}
`;

/** Where the stylesheet is served. */
export const consoleCssPath = "/console/assets/console.css";

/**
 * The stylesheet's URL with a version from its content. Serve `consoleCssPath` (the query is ignored) with
 * `Cache-Control: public, max-age=31536000, immutable`: a phone downloads the stylesheet once per change.
 */
export const consoleCssUrl = `${consoleCssPath}?v=${createHash("sha256").update(consoleCss).digest("hex").slice(0, 12)}`;
