import { writtenTextMaxLength } from "../campaigns/campaign-spec.ts";
import { consoleText, fillText, formatCount, formatShare, type ConsoleLocale } from "./console-locale.ts";
import type { ConsoleText } from "./console-text/vi.ts";
import { choiceGroup, csrfField, selectField, textAreaField, textField } from "./form-fields.ts";
import { html, safeUrl, type SafeHtml } from "./html.ts";
import { renderPage } from "./layout.ts";
import type {
  CampaignActions,
  CampaignDetailView,
  CampaignFormField,
  CampaignFormView,
  CampaignListView,
  CampaignProgressView,
  NamedCount,
  NamedText,
} from "./view-models.ts";

/**
 * The campaign pages: the list with each campaign's status and progress, the form to draft one (with a
 * server-side preview of how many people it reaches and of the text written for it), and one campaign's content,
 * audience, progress, results and the actions she may take now. Every action is a POST form with the CSRF token;
 * choosing the province is a GET form; nothing needs JavaScript.
 */

/**
 * A progress bar that every reader gets: a native `<progress>` named by `label` (or by a `<label for>`), its share as text inside
 * (shown where progress bars are not drawn) and again beside it.
 */
function progressBar(locale: ConsoleLocale, id: string, label: string | null, progress: CampaignProgressView): SafeHtml {
  const share = formatShare(locale, progress.done, progress.total);
  return html`<progress id="${id}"${label !== null && html` aria-label="${label}"`} max="${Math.max(progress.total, 1)}" value="${progress.done}">${share}</progress> <span>${share}</span>`;
}

/** The campaigns list page. */
export function renderCampaignListPage(view: CampaignListView): string {
  const { context } = view;
  const text = consoleText(context.locale);
  const words = text.campaigns;
  const add = view.newCampaignUrl !== null && html`<p class="actions"><a class="button" href="${safeUrl(view.newCampaignUrl)}">${words.newCampaign}</a></p>`;
  const rows = view.campaigns.map(
    (campaign, index) => html`<tr><th scope="row"><a href="${safeUrl(campaign.url)}">${campaign.name}</a></th><td>${words.statuses[campaign.status]}</td><td>${
      campaign.startsAt ?? words.notScheduled
    }</td><td>${progressBar(context.locale, `progress-${index}`, fillText(words.progressOf, { name: campaign.name }), campaign.progress)}</td></tr>
`,
  );
  const table =
    view.campaigns.length === 0
      ? html`<p>${words.empty}</p>`
      : html`<div class="scroll" role="region" aria-labelledby="campaigns-caption" tabindex="0"><table>
<caption id="campaigns-caption">${words.caption}</caption>
<thead><tr>${[words.name, words.status, words.startsAt, words.progress].map((column) => html`<th scope="col">${column}</th>`)}</tr></thead>
<tbody>${rows}</tbody></table></div>`;
  return renderPage({ context, title: words.title, position: { section: "campaigns", at: "page" }, content: html`${add}${table}` });
}

/** The form's fields in the order they appear, for the list of problems. */
function formFields(view: CampaignFormView): CampaignFormField[] {
  return ["name", "content", ...view.textLanguages.map((language): CampaignFormField => `text-${language.code}`), "topic", "communes", "languages", "channels", "quietStart", "quietEnd"];
}

/** Where each field's problem in the summary links to: the field, or the first box of a group. */
function fieldTarget(field: CampaignFormField, view: CampaignFormView): string {
  const firstOf = (group: string, values: readonly string[]) => (values[0] === undefined ? `campaign-${group}` : `campaign-${group}-${values[0]}`);
  switch (field) {
    case "content":
      return "campaign-template";
    case "communes":
      return firstOf("communes", view.communeChoices.map((choice) => choice.code));
    case "languages":
      return firstOf("languages", view.languageChoices.map((choice) => choice.code));
    case "channels":
      return firstOf("channels", view.channelChoices.map((choice) => choice.code));
    default:
      return `campaign-${field}`;
  }
}

/** The label of a written text's box, naming its language; marked optional except for Vietnamese. */
function textLabel(words: ConsoleText["campaigns"], language: { code: string; name: string }): string {
  const label = fillText(words.messageIn, { language: language.name });
  return language.code === "vi" ? label : `${label} ${words.optional}`;
}

function problemSummary(words: ConsoleText["campaigns"], view: CampaignFormView): SafeHtml {
  const labels: ReadonlyMap<CampaignFormField, string> = new Map<CampaignFormField, string>([
    ["name", words.name],
    ["content", words.content],
    ...view.textLanguages.map((language): [CampaignFormField, string] => [`text-${language.code}`, fillText(words.messageIn, { language: language.name })]),
    ["topic", words.topic],
    ["communes", words.communes],
    ["languages", words.languages],
    ["channels", words.channels],
    ["quietStart", words.quietStart],
    ["quietEnd", words.quietEnd],
  ]);
  const problems = formFields(view).flatMap((field) => {
    const message = view.errors[field];
    return message === undefined ? [] : [html`<li><a href="#${fieldTarget(field, view)}">${labels.get(field) ?? field}: ${message}</a></li>`];
  });
  return html`${problems.length > 0 && html`<div class="alert" role="alert" aria-labelledby="problems-title"><h2 id="problems-title">${words.fixThese}</h2><ul>${problems}</ul></div>`}`;
}

function countList(locale: ConsoleLocale, counts: readonly NamedCount[]): SafeHtml {
  return html`<ul>${counts.map((item) => html`<li>${item.name}: ${formatCount(locale, item.count)}</li>`)}</ul>`;
}

/** Written text as paragraphs of lines, as the person's phone shows it. */
function textLines(text: string): SafeHtml {
  return html`<p>${text.split("\n").map((line, index) => html`${index > 0 && html`<br>`}${line}`)}</p>`;
}

/** Each language's text under its name; people of other languages get the Vietnamese one, which the note says. */
function writtenTexts(words: ConsoleText["campaigns"], texts: readonly NamedText[], headingLevel: 3 | 4): SafeHtml {
  const heading = (name: string) => (headingLevel === 3 ? html`<h3>${name}</h3>` : html`<h4>${name}</h4>`);
  return html`${texts.map((item) => html`${heading(item.language)}${textLines(item.text)}`)}<p class="hint">${words.fallbackNote}</p>`;
}

function previewSection(locale: ConsoleLocale, words: ConsoleText["campaigns"], view: CampaignFormView): SafeHtml | null {
  const { preview } = view;
  if (preview === null) return null;
  return html`<section class="success" role="status" aria-labelledby="preview-count"><p id="preview-count"><strong>${fillText(words.recipients, {
    count: formatCount(locale, preview.recipients),
  })}</strong></p>${preview.byLanguage.length > 0 && html`<p>${words.byLanguage}</p>${countList(locale, preview.byLanguage)}`}${
    preview.byChannel.length > 0 && html`<p>${words.byChannel}</p>${countList(locale, preview.byChannel)}`
  }${preview.texts.length > 0 && html`<h3>${words.message}</h3>${writtenTexts(words, preview.texts, 4)}`}</section>`;
}

/** The GET form that chooses the province whose communes the campaign form lists; shown when she has more than one. */
function provinceForm(words: ConsoleText["campaigns"], view: CampaignFormView): SafeHtml | null {
  if (view.provinceChoices.length < 2) return null;
  return html`<form method="get" action="${safeUrl(view.action)}">
<div class="filter">${selectField({
    id: "campaign-province",
    name: "province",
    label: words.province,
    selected: view.values.province,
    options: [{ value: "", label: words.noProvince }, ...view.provinceChoices.map((province) => ({ value: province.code, label: province.name }))],
    notes: { hint: words.provinceHint },
  })}<div class="field"><button type="submit" class="secondary">${words.chooseProvince}</button></div></div>
</form>`;
}

/** The boxes to write the message in, one per language offered (Vietnamese first), and its topic. */
function writtenFieldset(words: ConsoleText["campaigns"], view: CampaignFormView): SafeHtml {
  const { values } = view;
  const errorOf = (field: CampaignFormField) => view.errors[field] ?? null;
  const max = fillText(words.textMax, { max: writtenTextMaxLength });
  return html`<fieldset id="campaign-written" aria-describedby="campaign-written-hint"><legend>${words.written}</legend><p class="hint" id="campaign-written-hint">${words.writtenHint}</p>
${view.textLanguages.map((language) =>
  textAreaField({
    id: `campaign-text-${language.code}`,
    name: `text-${language.code}`,
    label: textLabel(words, language),
    value: values.texts[language.code] ?? "",
    maxLength: writtenTextMaxLength,
    notes: { hint: max, error: errorOf(`text-${language.code}`) },
  }),
)}
${selectField({
  id: "campaign-topic",
  name: "topic",
  label: `${words.topic} ${words.optional}`,
  selected: values.topic,
  options: [{ value: "", label: words.noTopic }, ...view.topicChoices.map((choice) => ({ value: choice.topic, label: choice.name }))],
  notes: { hint: words.topicHint, error: errorOf("topic") },
})}
</fieldset>`;
}

/** The form to draft a campaign, shown again with the recipient count after "Xem trước" or with problems. */
export function renderCampaignFormPage(view: CampaignFormView): string {
  const { context, values } = view;
  const words = consoleText(context.locale).campaigns;
  const errorOf = (field: CampaignFormField) => view.errors[field] ?? null;
  const optional = (label: string) => `${label} ${words.optional}`;
  const templateNote = view.templates.find((template) => template.id === values.template)?.note ?? null;
  const communesHint = values.province === "" ? words.communesAfterProvince : words.communesHint;
  const content = html`${problemSummary(words, view)}${previewSection(context.locale, words, view)}${provinceForm(words, view)}
<form method="post" action="${safeUrl(view.action)}">${csrfField(context.csrfToken)}<input type="hidden" name="province" value="${values.province}">
${textField({ id: "campaign-name", name: "name", label: words.name, value: values.name, notes: { hint: words.nameHint, error: errorOf("name") } })}
${selectField({
  id: "campaign-template",
  name: "template",
  label: words.template,
  selected: values.template,
  options: [{ value: "", label: words.noTemplate }, ...view.templates.map((template) => ({ value: template.id, label: `${template.name} (${template.dates})` }))],
  notes: { hint: templateNote ?? words.templateHint, error: errorOf("content") },
})}
${choiceGroup({
  id: "campaign-keys",
  name: "keys",
  type: "checkbox",
  legend: words.keys,
  choices: view.keyChoices.map((choice) => ({ value: choice.key, label: choice.label, checked: values.keys.includes(choice.key) })),
  notes: { hint: words.keysHint },
})}
${writtenFieldset(words, view)}
${choiceGroup({
  id: "campaign-communes",
  name: "communes",
  type: "checkbox",
  legend: words.communes,
  choices: view.communeChoices.map((choice) => ({
    value: choice.code,
    label: fillText(words.communeReach, { name: choice.name, count: formatCount(context.locale, choice.reachable) }),
    checked: values.communes.includes(choice.code),
  })),
  notes: { hint: communesHint, error: errorOf("communes") },
})}
${choiceGroup({
  id: "campaign-languages",
  name: "languages",
  type: "checkbox",
  legend: optional(words.languages),
  choices: view.languageChoices.map((choice) => ({ value: choice.code, label: choice.name, checked: values.languages.includes(choice.code) })),
  notes: { hint: words.languagesHint, error: errorOf("languages") },
})}
${choiceGroup({
  id: "campaign-channels",
  name: "channels",
  type: "checkbox",
  legend: optional(words.channels),
  choices: view.channelChoices.map((choice) => ({ value: choice.code, label: choice.name, checked: values.channels.includes(choice.code) })),
  notes: { hint: words.channelsHint, error: errorOf("channels") },
})}
${textField({ id: "campaign-quietStart", name: "quietStart", label: words.quietStart, value: values.quietStart, literal: true, notes: { hint: words.quietHint, error: errorOf("quietStart") } })}
${textField({ id: "campaign-quietEnd", name: "quietEnd", label: words.quietEnd, value: values.quietEnd, literal: true, notes: { error: errorOf("quietEnd") } })}
<p class="actions"><button type="submit" name="intent" value="preview" class="secondary">${words.preview}</button><button type="submit" name="intent" value="save">${
    words.saveDraft
  }</button><a href="${safeUrl(view.cancelUrl)}">${words.cancel}</a></p>
</form>`;
  const hasErrors = Object.values(view.errors).some((message) => message !== undefined);
  return renderPage({ context, title: words.formTitle, hasErrors, position: { section: "campaigns", at: "within" }, content });
}

/** A POST form of one button, carrying the CSRF token. */
function actionForm(csrfToken: string, action: string, label: string, secondary: boolean): SafeHtml {
  return html`<form method="post" action="${safeUrl(action)}">${csrfField(csrfToken)}<button type="submit"${secondary && html` class="secondary"`}>${label}</button></form>`;
}

function scheduleForm(view: CampaignDetailView, action: string): SafeHtml {
  const words = consoleText(view.context.locale).campaigns;
  return html`<form method="post" action="${safeUrl(action)}" aria-labelledby="schedule-title">${csrfField(view.context.csrfToken)}
<h3 id="schedule-title">${words.schedule}</h3>
<div class="field"><label for="schedule-start">${words.scheduleStart}</label><input type="datetime-local" id="schedule-start" name="startsAt" value="${view.scheduleStart}" required></div>
${selectField({
  id: "schedule-every",
  name: "every",
  label: words.repeat,
  selected: "",
  options: [
    { value: "", label: words.repeatNone },
    { value: "week", label: words.week },
    { value: "month", label: words.month },
  ],
})}
<div class="field"><label for="schedule-count">${words.repeatCount}</label><p class="hint" id="schedule-count-hint">${words.repeatCountHint}</p><input type="number" id="schedule-count" name="count" min="2" max="52" value="2" aria-describedby="schedule-count-hint"></div>
<p class="actions"><button type="submit">${words.schedule}</button></p>
</form>`;
}

function actionsSection(view: CampaignDetailView): SafeHtml | null {
  const words = consoleText(view.context.locale).campaigns;
  const { actions } = view;
  const buttons: Array<[keyof CampaignActions, string, boolean]> = [
    ["submit", words.submit, false],
    ["approve", words.approve, false],
    ["reject", words.reject, true],
    ["pause", words.pause, true],
    ["resume", words.resume, false],
    ["cancel", words.cancelCampaign, true],
  ];
  const forms = buttons.flatMap(([name, label, secondary]) => {
    const action = actions[name];
    return action === null ? [] : [actionForm(view.context.csrfToken, action, label, secondary)];
  });
  if (forms.length === 0 && actions.schedule === null) return null;
  return html`<h2>${words.actions}</h2>${forms.length > 0 && html`<div class="actions">${forms}</div>`}${actions.schedule !== null && scheduleForm(view, actions.schedule)}`;
}

/** One campaign's page. */
export function renderCampaignDetailPage(view: CampaignDetailView): string {
  const { context, campaign, results } = view;
  const locale = context.locale;
  const words = consoleText(locale).campaigns;
  const statuses = ["pending", "sending", "sent", "failed", "skipped"] as const;
  const total = statuses.reduce((sum, status) => sum + results.byStatus[status], 0);
  const done = results.byStatus.sent + results.byStatus.failed + results.byStatus.skipped;
  const reasonNames = new Map<string, string>(Object.entries(words.reasonNames));
  const reasonName = (reason: string) => reasonNames.get(reason) ?? reason;
  const repeat =
    campaign.recurrence === null ? words.repeatNone : fillText(words.repeatEvery, { every: campaign.recurrence.every === "week" ? words.week : words.month, count: campaign.recurrence.count });
  const content = html`${view.done !== null && html`<p class="success" role="status">${words.done[view.done]}</p>`}${
    view.problem !== null && html`<div class="alert" role="alert"><p>${view.problem}</p></div>`
  }
<p class="actions"><a href="${safeUrl(view.listUrl)}">${words.backToList}</a></p>
<dl>
<div><dt>${words.status}</dt><dd>${words.statuses[campaign.status]}</dd></div>
<div><dt>${words.startsAt}</dt><dd>${campaign.startsAt ?? words.notScheduled}</dd></div>
<div><dt>${words.repeat}</dt><dd>${repeat}</dd></div>
<div><dt>${words.createdBy}</dt><dd>${campaign.createdBy}</dd></div>
<div><dt>${words.approvedBy}</dt><dd>${campaign.approvedBy ?? words.notApproved}</dd></div>
</dl>
<h2>${words.progress}</h2>
<p><label for="campaign-progress">${words.progress}</label>${progressBar(locale, "campaign-progress", null, { done, total })}</p>
<div class="scroll" role="region" aria-labelledby="counts-caption" tabindex="0"><table>
<caption id="counts-caption">${words.counts}</caption>
<tbody>${statuses.map((status) => html`<tr><th scope="row">${words.deliveryStatuses[status]}</th><td class="num">${formatCount(locale, results.byStatus[status])}</td></tr>`)}</tbody>
</table></div>
<h3>${words.reasons}</h3>
${results.byReason.length === 0 ? html`<p>${words.noReasons}</p>` : countList(locale, results.byReason.map((item) => ({ name: reasonName(item.reason), count: item.count })))}
<p><strong>${fillText(words.reach, { count: formatCount(locale, results.reach.people) })}</strong></p>
${results.reach.byCommune.length > 0 && html`<h3>${words.reachByCommune}</h3>${countList(locale, results.reach.byCommune)}`}
${results.reach.byLanguage.length > 0 && html`<h3>${words.reachByLanguage}</h3>${countList(locale, results.reach.byLanguage)}`}
<p>${fillText(words.followedUp, { days: results.followUpDays, count: formatCount(locale, results.followedUp) })}</p>
<h2>${words.content}</h2>
${campaign.texts.length > 0 ? writtenTexts(words, campaign.texts, 3) : html`<ol>${campaign.keys.map((key) => html`<li><code>${key}</code></li>`)}</ol>`}
${campaign.topic !== null && html`<dl><div><dt>${words.topic}</dt><dd>${campaign.topic}</dd></div></dl>`}
<h2>${words.audience}</h2>
<dl>
<div><dt>${words.communes}</dt><dd>${campaign.communes.join(", ")}</dd></div>
<div><dt>${words.languages}</dt><dd>${campaign.languages.length === 0 ? words.allLanguages : campaign.languages.join(", ")}</dd></div>
<div><dt>${words.channels}</dt><dd>${campaign.channels.length === 0 ? words.allChannels : campaign.channels.join(", ")}</dd></div>
<div><dt>${words.quietHours}</dt><dd>${campaign.quietStart}–${campaign.quietEnd}</dd></div>
</dl>
${actionsSection(view)}`;
  return renderPage({ context, title: campaign.name, hasErrors: view.problem !== null, position: { section: "campaigns", at: "within" }, content });
}
