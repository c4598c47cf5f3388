import { describe, expect, it } from "vitest";
import { renderHelpEntryFormPage } from "../../src/console/help-entry-form-page.ts";
import { helpEntryFormView } from "./console-fixtures.ts";
import { formsOf, startTags, textOfId } from "./html-inspection.ts";

function controlNames(page: string): string[] {
  const form = formsOf(page).find((candidate) => candidate.tag.attributes.get("action") === "/console/directory/dtc-14-muong-bu/edit");
  return [...new Set(startTags(form?.inside ?? "", "input", "select").map((control) => control.attributes.get("name") ?? ""))];
}

function control(page: string, id: string): Map<string, string> {
  return startTags(page, "input", "select", "fieldset").find((tag) => tag.attributes.get("id") === id)?.attributes ?? new Map();
}

describe("the help entry form", () => {
  it("has every field of a staff entry, and an id field only when adding", () => {
    const fields = ["kind", "name", "phone", "address", "provinceCode", "communeCode", "hours", "free", "languages", "topics", "emergency", "verifiedOn", "source"];
    expect(controlNames(renderHelpEntryFormPage(helpEntryFormView("vi", "edit")))).toEqual(["_csrf", ...fields]);
    expect(controlNames(renderHelpEntryFormPage(helpEntryFormView("vi", "new")))).toEqual(["_csrf", "id", ...fields]);
  });

  it("shows the entry's values as they are", () => {
    const page = renderHelpEntryFormPage({ ...helpEntryFormView("vi"), errors: {} });
    expect(page).toContain('<p id="entry-id">Mã địa chỉ: <strong>dtc-14-muong-bu</strong></p>');
    expect(page).toContain('<option value="trusted-address" selected>Địa chỉ tin cậy</option>');
    expect(page).toContain('<option value="14" selected>Sơn La</option>');
    expect(page).toContain('<optgroup label="Sơn La"><option value="14-mau-01" selected>xã Mường Bú</option><option value="14-mau-02">xã Mường La</option></optgroup>');
    expect(control(page, "entry-free-unknown").has("checked")).toBe(true);
    expect(control(page, "entry-free-yes").has("checked")).toBe(false);
    expect(control(page, "entry-topics-violence").has("checked")).toBe(true);
    expect(control(page, "entry-topics-safe-birth").has("checked")).toBe(false);
    expect(control(page, "entry-emergency-yes").has("checked")).toBe(true);
    expect(control(page, "entry-verifiedOn").get("type")).toBe("date");
    expect(control(page, "entry-verifiedOn").get("value")).toBe("2026-03-15");
    expect(control(page, "entry-phone").get("type")).toBe("tel");
  });

  it("keeps a stored language, province or commune that is not among the choices, so saving keeps it", () => {
    const view = helpEntryFormView("vi");
    const page = renderHelpEntryFormPage({ ...view, values: { ...view.values, provinceCode: "20", communeCode: "20-mau-03" } });
    expect(control(page, "entry-languages-tai").has("checked")).toBe(true);
    expect(control(page, "entry-languages-hmn").has("checked")).toBe(false);
    expect(page).toContain('<option value="20" selected>20</option>');
    expect(page).toContain('<option value="20-mau-03" selected>20-mau-03</option>');
  });

  it("lists every problem at the top, linking to its field, and ties each message to its field", () => {
    const page = renderHelpEntryFormPage(helpEntryFormView("vi"));
    expect(page).toContain("<title>Lỗi: Sửa địa chỉ – Loa</title>");
    expect(page).toContain('<a href="#entry-phone">Số điện thoại: &quot;0212 38&quot; has 6 digits; a phone number has 3 to 15</a>');
    expect(page).toContain('<a href="#entry-topics-child-marriage">Chủ đề: choose at least one topic</a>');
    expect(control(page, "entry-phone").get("aria-invalid")).toBe("true");
    expect(control(page, "entry-phone").get("aria-describedby")).toBe("entry-phone-hint entry-phone-error");
    expect(textOfId(page, "entry-phone-error")).toBe("&quot;0212 38&quot; has 6 digits; a phone number has 3 to 15");
    expect(control(page, "entry-topics").get("aria-describedby")).toBe("entry-topics-error");
    expect(textOfId(page, "entry-topics-error")).toBe("choose at least one topic");
    expect(control(page, "entry-name").has("aria-invalid")).toBe(false);
  });

  it("links a problem of a field with several boxes to its first box", () => {
    const view = helpEntryFormView("en");
    const page = renderHelpEntryFormPage({ ...view, errors: { free: "say whether calling is free", languages: "choose a language", emergency: "yes or no" } });
    expect(page).toContain('<a href="#entry-free-yes">Is calling free?: say whether calling is free</a>');
    expect(page).toContain('<a href="#entry-languages-vie">Languages spoken when calling: choose a language</a>');
    expect(page).toContain('<a href="#entry-emergency-yes">Emergency: yes or no</a>');
    const noLanguages = renderHelpEntryFormPage({ ...view, languageChoices: [], values: { ...view.values, languages: [] }, errors: { languages: "x" } });
    expect(noLanguages).toContain('<a href="#entry-languages">');
  });

  it("has no problem list and marks nothing wrong when there are no errors", () => {
    const page = renderHelpEntryFormPage({ ...helpEntryFormView("vi", "new"), errors: {} });
    expect(page).not.toContain('role="alert"');
    expect(page).not.toContain("aria-invalid");
    expect(page).toContain("<title>Thêm địa chỉ – Loa</title>");
    expect(page).toContain('<label for="entry-id">Mã địa chỉ (không bắt buộc)</label>');
  });

  it("offers saving and a way back without saving", () => {
    const page = renderHelpEntryFormPage(helpEntryFormView("en"));
    expect(page).toContain('<button type="submit">Save</button><a href="/console/directory">Cancel</a>');
  });
});
