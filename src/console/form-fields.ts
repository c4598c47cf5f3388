import { html, type SafeHtml } from "./html.ts";

/**
 * The console's form controls, built one way everywhere so every control has a `<label for>`, a hint and an
 * error tied to it by `aria-describedby`, and a wrong value marked `aria-invalid`: a screen reader then reads
 * the label, the hint and what is wrong together, and the rules are kept in one place.
 */

/**
 * The words around a control: its hint and, after a failed post, what is wrong with it. `formProblem` is a
 * message shown elsewhere on the page that concerns this control too, such as a refused sign-in, which names
 * no single field; `invalid` says whether the control's value is the cause.
 */
export type FieldNotes = { hint?: string | null; error?: string | null; formProblem?: { id: string; invalid: boolean } | null };

function describedBy(id: string, notes: FieldNotes): string | null {
  const ids = [notes.formProblem?.id ?? null, notes.hint ? `${id}-hint` : null, notes.error ? `${id}-error` : null].filter(
    (part) => part !== null,
  );
  return ids.length === 0 ? null : ids.join(" ");
}

/** The `aria-describedby` attribute pointing at a control's hint and error, or nothing when it has neither. */
function describedByAttribute(id: string, notes: FieldNotes): SafeHtml {
  const ids = describedBy(id, notes);
  return html`${ids !== null && html` aria-describedby="${ids}"`}`;
}

/** `aria-describedby`, and `aria-invalid` when the value is wrong, for a single control. */
function noteAttributes(id: string, notes: FieldNotes): SafeHtml {
  const invalid = Boolean(notes.error) || notes.formProblem?.invalid === true;
  return html`${describedByAttribute(id, notes)}${invalid && html` aria-invalid="true"`}`;
}

function noteParagraphs(id: string, notes: FieldNotes): SafeHtml {
  return html`${notes.hint ? html`<p class="hint" id="${id}-hint">${notes.hint}</p>` : null}${
    notes.error ? html`<p class="error" id="${id}-error">${notes.error}</p>` : null
  }`;
}

/** The hidden field carrying the session's CSRF token; the first field of every POST form. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** A one-line text input with its label, hint and error. */
export function textField(field: {
  id: string;
  name: string;
  label: string;
  value: string;
  type?: "text" | "password" | "tel" | "date" | "search" | "number";
  autocomplete?: string;
  /** The value is typed exactly (a login name, a code, a phone number): no automatic capitals or spelling fixes. */
  literal?: boolean;
  notes?: FieldNotes;
}): SafeHtml {
  const notes = field.notes ?? {};
  const autocomplete = field.autocomplete && html` autocomplete="${field.autocomplete}"`;
  const literal = field.literal === true && html` autocapitalize="none" spellcheck="false"`;
  return html`<div class="field"><label for="${field.id}">${field.label}</label>${noteParagraphs(field.id, notes)}<input type="${
    field.type ?? "text"
  }" id="${field.id}" name="${field.name}" value="${field.value}"${autocomplete}${literal}${noteAttributes(field.id, notes)}></div>`;
}

/** A text box of several lines with its label, hint and error; `maxLength` is enforced by the browser too. */
export function textAreaField(field: { id: string; name: string; label: string; value: string; maxLength: number; notes?: FieldNotes }): SafeHtml {
  const notes = field.notes ?? {};
  return html`<div class="field"><label for="${field.id}">${field.label}</label>${noteParagraphs(field.id, notes)}<textarea id="${field.id}" name="${
    field.name
  }" rows="5" maxlength="${field.maxLength}"${noteAttributes(field.id, notes)}>${field.value}</textarea></div>`;
}

/** An option of a select: the value sent and the words shown. */
export type SelectOption = { value: string; label: string };

/** A group of options under a heading, such as the communes of one province. */
export type SelectGroup = { label: string; options: SelectOption[] };

function optionList(options: readonly SelectOption[], selected: string): SafeHtml {
  return html`${options.map((option) => html`<option value="${option.value}"${option.value === selected && " selected"}>${option.label}</option>`)}`;
}

/** A select with its label, hint and error; options may be grouped, and `selected` is the current value. */
export function selectField(field: {
  id: string;
  name: string;
  label: string;
  selected: string;
  options: readonly SelectOption[];
  groups?: readonly SelectGroup[];
  notes?: FieldNotes;
}): SafeHtml {
  const notes = field.notes ?? {};
  const groups = (field.groups ?? []).map(
    (group) => html`<optgroup label="${group.label}">${optionList(group.options, field.selected)}</optgroup>`,
  );
  return html`<div class="field"><label for="${field.id}">${field.label}</label>${noteParagraphs(field.id, notes)}<select id="${field.id}" name="${
    field.name
  }"${noteAttributes(field.id, notes)}>${optionList(field.options, field.selected)}${groups}</select></div>`;
}

/** One checkbox with its label beside it. */
export function checkboxField(field: { id: string; name: string; value: string; label: string; checked: boolean }): SafeHtml {
  return html`<div class="choice"><input type="checkbox" id="${field.id}" name="${field.name}" value="${field.value}"${
    field.checked && " checked"
  }><label for="${field.id}">${field.label}</label></div>`;
}

/** A choice in a group of checkboxes or radio buttons. */
export type Choice = { value: string; label: string; checked: boolean };

/**
 * Checkboxes or radio buttons sharing a name, in a fieldset whose legend names the question. Each box has its
 * own label; the hint and error belong to the fieldset. The first box's id is `${id}-${first value}`, where an
 * error summary links to.
 */
export function choiceGroup(field: {
  id: string;
  name: string;
  type: "checkbox" | "radio";
  legend: string;
  choices: readonly Choice[];
  notes?: FieldNotes;
}): SafeHtml {
  const notes = field.notes ?? {};
  const boxes = field.choices.map((choice) => {
    const id = `${field.id}-${choice.value}`;
    return html`<div class="choice"><input type="${field.type}" id="${id}" name="${field.name}" value="${choice.value}"${
      choice.checked && " checked"
    }><label for="${id}">${choice.label}</label></div>`;
  });
  return html`<fieldset id="${field.id}"${describedByAttribute(field.id, notes)}><legend>${
    field.legend
  }</legend>${noteParagraphs(field.id, notes)}${boxes}</fieldset>`;
}
