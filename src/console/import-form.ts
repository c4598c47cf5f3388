import type { ConsoleText } from "./console-text/vi.ts";
import { checkboxField, csrfField } from "./form-fields.ts";
import { html, safeUrl, type SafeHtml } from "./html.ts";
import type { ImportFormView } from "./view-models.ts";

/**
 * The form that uploads a directory spreadsheet, on the directory list and again on the import result, so a
 * file that passed its check can be imported for real, or a corrected one tried, without going back.
 */
export function importFormSection(text: ConsoleText, csrfToken: string, form: ImportFormView, heading: string): SafeHtml {
  return html`<h2>${heading}</h2>
<form method="post" action="${safeUrl(form.action)}" enctype="multipart/form-data">${csrfField(csrfToken)}
<div class="field"><label for="import-file">${text.importForm.file}</label><p class="hint" id="import-file-hint">${
    text.importForm.hint
  }</p><input type="file" id="import-file" name="file" accept=".csv,.xlsx" aria-describedby="import-file-hint"></div>
${checkboxField({ id: "import-dry-run", name: "dryRun", value: "1", label: text.importForm.dryRun, checked: form.dryRun })}
<p class="actions"><button type="submit">${text.importForm.submit}</button></p>
</form>`;
}
