import { directoryKindSchema } from "../directory/directory-entry.ts";
import { helpEntryColumns, type HelpEntryField } from "../directory/help-entry-columns.ts";
import { topicSchema } from "../engine/flow-schema.ts";
import { consoleText } from "./console-locale.ts";
import type { ConsoleText } from "./console-text/vi.ts";
import { choiceGroup, csrfField, selectField, textField, type SelectGroup } from "./form-fields.ts";
import { html, safeUrl, type SafeHtml } from "./html.ts";
import { renderPage } from "./layout.ts";
import type { CommuneChoice, HelpEntryFormView } from "./view-models.ts";

/**
 * The form to add or change one local help entry, with every field the spreadsheet has. After a failed save
 * it lists what is wrong at the top, each item linking to its field, and repeats each message beside its
 * field, so staff on a small screen find every problem without scrolling back and forth.
 */

/** Each field's words on the form, also used to name the field in the list of problems. */
function fieldLabels(text: ConsoleText): Record<HelpEntryField, string> {
  const form = text.entryForm;
  return {
    id: form.id,
    kind: form.kind,
    name: form.name,
    phone: form.phone,
    address: form.address,
    provinceCode: form.province,
    communeCode: form.commune,
    hours: form.hours,
    free: form.free,
    languages: form.languages,
    topics: form.topics,
    emergency: form.emergency,
    verifiedOn: form.verifiedOn,
    source: form.source,
  };
}

/** Where a problem's link in the summary goes: the field, or the first box of a group of boxes. */
function fieldTarget(field: HelpEntryField, view: HelpEntryFormView): string {
  switch (field) {
    case "free":
      return "entry-free-yes";
    case "emergency":
      return "entry-emergency-yes";
    case "topics":
      return `entry-topics-${topicSchema.options[0]}`;
    case "languages": {
      const first = languageChoices(view)[0];
      return first === undefined ? "entry-languages" : `entry-languages-${first.value}`;
    }
    default:
      return `entry-${field}`;
  }
}

function problemSummary(text: ConsoleText, view: HelpEntryFormView): SafeHtml {
  const labels = fieldLabels(text);
  const problems = helpEntryColumns.flatMap((column) => {
    const message = view.errors[column.field];
    return message === undefined ? [] : [html`<li><a href="#${fieldTarget(column.field, view)}">${labels[column.field]}: ${message}</a></li>`];
  });
  return html`${problems.length > 0 && html`<div class="alert" role="alert" aria-labelledby="problems-title"><h2 id="problems-title">${text.entryForm.fixThese}</h2><ul>${problems}</ul></div>`}`;
}

/** The choices given, keeping a stored code that is not among them so saving does not drop it. */
function withCurrent<Choice extends { code: string }>(choices: readonly Choice[], current: string, make: (code: string) => Choice): Choice[] {
  return current === "" || choices.some((choice) => choice.code === current) ? [...choices] : [...choices, make(current)];
}

function languageChoices(view: HelpEntryFormView): Array<{ value: string; label: string; checked: boolean }> {
  const known = view.languageChoices.map((choice) => choice.code);
  const extra = view.values.languages.filter((code) => !known.includes(code)).map((code) => ({ code, name: code }));
  return [...view.languageChoices, ...extra].map((choice) => ({
    value: choice.code,
    label: choice.name,
    checked: view.values.languages.includes(choice.code),
  }));
}

function communeGroups(communes: readonly CommuneChoice[]): SelectGroup[] {
  const groups = new Map<string, SelectGroup>();
  for (const commune of communes) {
    const group = groups.get(commune.provinceName) ?? { label: commune.provinceName, options: [] };
    group.options.push({ value: commune.code, label: commune.name });
    groups.set(commune.provinceName, group);
  }
  return [...groups.values()];
}

function placeFields(text: ConsoleText, view: HelpEntryFormView, errorOf: (field: HelpEntryField) => string | null): SafeHtml {
  const { values } = view;
  const provinces = withCurrent(view.provinceChoices, values.provinceCode, (code) => ({ code, name: code }));
  const communes = withCurrent(view.communeChoices, values.communeCode, (code) => ({ code, name: code, provinceName: code }));
  return html`${selectField({
    id: "entry-provinceCode",
    name: "provinceCode",
    label: text.entryForm.province,
    selected: values.provinceCode,
    options: [{ value: "", label: text.entryForm.chooseProvince }, ...provinces.map((place) => ({ value: place.code, label: place.name }))],
    notes: { error: errorOf("provinceCode") },
  })}${selectField({
    id: "entry-communeCode",
    name: "communeCode",
    label: text.entryForm.commune,
    selected: values.communeCode,
    options: [{ value: "", label: text.entryForm.wholeProvince }],
    groups: communeGroups(communes),
    notes: { hint: text.entryForm.communeHint, error: errorOf("communeCode") },
  })}`;
}

function entryFields(text: ConsoleText, view: HelpEntryFormView): SafeHtml {
  const form = text.entryForm;
  const { values } = view;
  const errorOf = (field: HelpEntryField): string | null => view.errors[field] ?? null;
  const optional = (label: string): string => `${label} ${form.optional}`;
  const idField =
    view.mode === "new"
      ? textField({ id: "entry-id", name: "id", label: optional(form.id), value: values.id, literal: true, notes: { hint: form.idHint, error: errorOf("id") } })
      : html`<p id="entry-id">${form.id}: <strong>${values.id}</strong></p>`;
  return html`${idField}
${selectField({
  id: "entry-kind",
  name: "kind",
  label: form.kind,
  selected: values.kind,
  options: [{ value: "", label: form.chooseKind }, ...directoryKindSchema.options.map((kind) => ({ value: kind, label: text.kinds[kind] }))],
  notes: { error: errorOf("kind") },
})}
${textField({ id: "entry-name", name: "name", label: form.name, value: values.name, notes: { hint: form.nameHint, error: errorOf("name") } })}
${textField({ id: "entry-phone", name: "phone", label: form.phone, value: values.phone, type: "tel", literal: true, notes: { hint: form.phoneHint, error: errorOf("phone") } })}
${textField({ id: "entry-address", name: "address", label: optional(form.address), value: values.address, notes: { error: errorOf("address") } })}
${placeFields(text, view, errorOf)}
${textField({ id: "entry-hours", name: "hours", label: optional(form.hours), value: values.hours, notes: { hint: form.hoursHint, error: errorOf("hours") } })}
${choiceGroup({
  id: "entry-free",
  name: "free",
  type: "radio",
  legend: form.free,
  choices: [
    { value: "yes", label: form.freeYes, checked: values.free === "yes" },
    { value: "no", label: form.freeNo, checked: values.free === "no" },
    { value: "unknown", label: form.freeUnknown, checked: values.free === "unknown" },
  ],
  notes: { hint: form.freeHint, error: errorOf("free") },
})}
${choiceGroup({ id: "entry-languages", name: "languages", type: "checkbox", legend: form.languages, choices: languageChoices(view), notes: { error: errorOf("languages") } })}
${choiceGroup({
  id: "entry-topics",
  name: "topics",
  type: "checkbox",
  legend: form.topics,
  choices: topicSchema.options.map((topic) => ({ value: topic, label: text.topics[topic], checked: values.topics.includes(topic) })),
  notes: { error: errorOf("topics") },
})}
${choiceGroup({
  id: "entry-emergency",
  name: "emergency",
  type: "checkbox",
  legend: form.emergency,
  choices: [{ value: "yes", label: form.emergencyLabel, checked: values.emergency }],
  notes: { error: errorOf("emergency") },
})}
${textField({ id: "entry-verifiedOn", name: "verifiedOn", label: form.verifiedOn, value: values.verifiedOn, type: "date", notes: { hint: form.verifiedOnHint, error: errorOf("verifiedOn") } })}
${textField({ id: "entry-source", name: "source", label: form.source, value: values.source, notes: { hint: form.sourceHint, error: errorOf("source") } })}`;
}

/** The page to add (`mode: "new"`) or change (`mode: "edit"`) a help entry. */
export function renderHelpEntryFormPage(view: HelpEntryFormView): string {
  const { context } = view;
  const text = consoleText(context.locale);
  const hasErrors = Object.values(view.errors).some((message) => message !== undefined);
  const content = html`${problemSummary(text, view)}
<form method="post" action="${safeUrl(view.action)}">${csrfField(context.csrfToken)}
${entryFields(text, view)}
<p class="actions"><button type="submit">${text.entryForm.save}</button><a href="${safeUrl(view.cancelUrl)}">${text.entryForm.cancel}</a></p>
</form>`;
  const title = view.mode === "new" ? text.entryForm.titleNew : text.entryForm.titleEdit;
  return renderPage({ context, title, hasErrors, position: { section: "directory", at: "within" }, content });
}
