import { html, type SafeHtml } from "./html.ts";

/**
 * The list of problems at the top of a form that was refused: an alert a screen reader announces, each problem
 * naming its field and linking to it, so on a phone every problem is found without scrolling back and forth.
 */
export function problemSummary(heading: string, problems: ReadonlyArray<{ target: string; label: string; message: string }>): SafeHtml | null {
  if (problems.length === 0) return null;
  return html`<div class="alert" role="alert" aria-labelledby="problems-title"><h2 id="problems-title">${heading}</h2><ul>${problems.map(
    (problem) => html`<li><a href="#${problem.target}">${problem.label}: ${problem.message}</a></li>`,
  )}</ul></div>`;
}
