import { consoleText } from "./console-locale.ts";
import { csrfField, selectField, textField, type SelectGroup } from "./form-fields.ts";
import { html, safeUrl } from "./html.ts";
import { renderPage } from "./layout.ts";
import { problemSummary } from "./problem-summary.ts";
import type { SessionFormField, SessionFormView } from "./stats-view-models.ts";
import type { CommuneChoice } from "./view-models.ts";

/**
 * The form a communication team fills in after an in-person session (cuộc): the day, the commune, the topic,
 * where it was held and how many women and men came; or the same form to change one already recorded, with a
 * button to remove it. Sessions are counted beside the bot's reach, never in it, and the form asks for no names.
 */

const fields: readonly SessionFormField[] = ["heldOn", "communeCode", "topic", "placeName", "participantsFemale", "participantsMale", "note"];

function communeGroups(communes: readonly CommuneChoice[]): SelectGroup[] {
  const provinces = [...new Set(communes.map((commune) => commune.provinceName))];
  return provinces.map((province) => ({ label: province, options: communes.filter((commune) => commune.provinceName === province).map((commune) => ({ value: commune.code, label: commune.name })) }));
}

/** The page recording an in-person session, shown again with every problem after a refused save. */
export function renderOutreachSessionFormPage(view: SessionFormView): string {
  const { context, values } = view;
  const words = consoleText(context.locale).sessionForm;
  const labels: Record<SessionFormField, string> = {
    heldOn: words.heldOn,
    communeCode: words.commune,
    topic: words.topic,
    placeName: words.placeName,
    participantsFemale: words.female,
    participantsMale: words.male,
    note: words.note,
  };
  const errorOf = (field: SessionFormField) => view.errors[field] ?? null;
  const problems = fields.flatMap((field) => {
    const message = view.errors[field];
    return message === undefined ? [] : [{ target: `session-${field}`, label: labels[field], message }];
  });
  const number = (field: "participantsFemale" | "participantsMale") =>
    textField({ id: `session-${field}`, name: field, label: labels[field], value: values[field], type: "number", notes: { error: errorOf(field) } });
  const content = html`${problemSummary(words.fixThese, problems)}<p>${words.intro}</p>
<form method="post" action="${safeUrl(view.action)}">${csrfField(context.csrfToken)}
${textField({ id: "session-heldOn", name: "heldOn", label: labels.heldOn, value: values.heldOn, type: "date", notes: { error: errorOf("heldOn") } })}
${selectField({
  id: "session-communeCode",
  name: "communeCode",
  label: labels.communeCode,
  selected: values.communeCode,
  options: [{ value: "", label: words.chooseCommune }],
  groups: communeGroups(view.communeChoices),
  notes: { error: errorOf("communeCode") },
})}
${selectField({
  id: "session-topic",
  name: "topic",
  label: labels.topic,
  selected: values.topic,
  options: [{ value: "", label: words.chooseTopic }, ...view.topicChoices.map((topic) => ({ value: topic.code, label: topic.name }))],
  notes: { error: errorOf("topic") },
})}
${textField({ id: "session-placeName", name: "placeName", label: labels.placeName, value: values.placeName, notes: { hint: words.placeNameHint, error: errorOf("placeName") } })}
${number("participantsFemale")}
${number("participantsMale")}
${textField({ id: "session-note", name: "note", label: labels.note, value: values.note, notes: { hint: words.noteHint, error: errorOf("note") } })}
<p class="actions"><button type="submit">${words.save}</button><a href="${safeUrl(view.cancelUrl)}">${words.cancel}</a></p>
</form>
${
  view.removeAction !== null &&
  html`<form method="post" action="${safeUrl(view.removeAction)}">${csrfField(context.csrfToken)}<p>${words.removeHint}</p><p class="actions"><button type="submit" class="secondary">${words.remove}</button></p></form>`
}`;
  return renderPage({ context, title: view.mode === "new" ? words.title : words.changeTitle, hasErrors: problems.length > 0, position: { section: "stats", at: "within" }, content });
}
