import type { ConsoleText } from "./console-text/vi.ts";
import { html, type SafeHtml } from "./html.ts";

/**
 * The warning shown wherever places are counted or listed while the commune list is still the shipped sample:
 * its made-up codes must not reach real help entries or statistics, so staff are told before they use them.
 */
export function samplePlacesNotice(text: ConsoleText, sample: boolean): SafeHtml {
  return html`${sample && html`<p class="notice" role="note">${text.samplePlaces}</p>`}`;
}
