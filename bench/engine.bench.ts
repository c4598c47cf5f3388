/**
 * Engine throughput: full scripted conversations through a 20-node flow that calls a second flow, timed
 * turn by turn. Run with `npm run bench:engine`; the figures depend on the machine, so nothing asserts them.
 */
import { noPlaces } from "../src/engine/place-lookup.ts";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { loadContentCatalog } from "../src/content/content-catalog.ts";
import { emptyContact, type ContactSnapshot } from "../src/engine/contact-snapshot.ts";
import type { EngineInput } from "../src/engine/engine-input.ts";
import { defaultEngineLimits, type EngineSetup, type FlowDefinition, type TriggerKeywords } from "../src/engine/flow-definition.ts";
import { inspectFlows } from "../src/engine/flow-inspector.ts";
import { formatFlowIssue } from "../src/engine/flow-issue.ts";
import { parseFlowText, parseSettingsText } from "../src/engine/flow-loader.ts";
import type { SessionState } from "../src/engine/session-state.ts";
import { step } from "../src/engine/step.ts";

const warmUpConversations = 2_000;
const measuredConversations = 20_000;

/** 20 nodes: say chains, a consent menu, sets, branches, a home menu, a quiz, an ask, help and a goto. */
const mainFlow = `
id: main
start: welcome
nodes:
  welcome: { kind: say, say: [common:welcome.1, common:welcome.2], next: intro }
  intro: { kind: say, say: [common:intro], next: consent }
  consent:
    kind: menu
    prompt: common:consent.ask
    options:
      - { id: agree, label: common:consent.yes, next: agreed }
      - { id: decline, label: common:consent.no, next: goodbye }
  agreed: { kind: set, field: consent, value: true, next: count-visit }
  count-visit: { kind: set, variable: visits, value: 1, next: check-place }
  check-place:
    kind: branch
    cases:
      - { when: { field: provinceCode, isSet: true }, next: known-place }
    otherwise: default-place
  default-place: { kind: set, field: provinceCode, value: "14", next: known-place }
  known-place: { kind: say, say: [common:place.known], next: home }
  home:
    kind: menu
    prompt: common:home.prompt
    options:
      - { id: learn, label: common:home.learn, next: to-topic }
      - { id: quiz, label: common:home.quiz, next: quiz }
      - { id: place, label: common:home.place, next: ask-commune }
      - { id: bye, label: common:home.bye, next: goodbye }
  to-topic: { kind: goto, flow: violence, next: after-topic }
  after-topic: { kind: say, say: [common:topic.after], next: mark-done }
  mark-done: { kind: set, variable: learned, value: true, next: home }
  quiz:
    kind: quiz
    id: hotline
    question: common:quiz.q
    options:
      - { id: police, label: common:quiz.police, correct: true }
      - { id: nobody, label: common:quiz.nobody, correct: false }
    feedback: { correct: common:quiz.right, incorrect: common:quiz.wrong }
    next: quiz-check
  quiz-check:
    kind: branch
    cases:
      - { when: { all: [{ variable: learned, equals: true }, { field: consent, equals: true }] }, next: praise }
    otherwise: encourage
  praise: { kind: say, say: [common:quiz.praise], next: home }
  encourage: { kind: say, say: [common:quiz.encourage], next: home }
  ask-commune:
    kind: ask
    prompt: common:commune.ask
    answer: { type: text, maxLength: 60 }
    save: { field: communeName }
    sensitive: false
    reprompt: common:commune.reprompt
    next: show-help
  show-help: { kind: help, intro: common:help.intro, next: home }
  goodbye: { kind: say, say: [common:goodbye], next: done }
  done: { kind: end }
`;

const topicFlow = `
id: violence
topic: violence
start: rights
nodes:
  rights: { kind: say, say: [violence:rights.1, violence:rights.2], next: detail }
  detail: { kind: say, say: [violence:detail], next: check }
  check:
    kind: branch
    cases:
      - { when: { not: { field: consent, equals: false } }, next: question }
    otherwise: finish
  question:
    kind: quiz
    id: who-helps
    question: violence:quiz.q
    options:
      - { id: commune, label: violence:quiz.commune, correct: true }
      - { id: alone, label: violence:quiz.alone, correct: false }
    feedback: { correct: violence:quiz.right, incorrect: violence:quiz.wrong }
    next: remember
  remember: { kind: set, variable: topic-seen, value: violence, next: finish }
  finish: { kind: end }
`;

/** Builds the benchmark bot; the keywords are the shipped ones, so keyword matching costs what it costs in production. */
function buildSetup(keywords: TriggerKeywords): EngineSetup {
  const flows = new Map<string, FlowDefinition>();
  const issues = [];
  for (const [file, text] of [["bench/main.yaml", mainFlow], ["bench/violence.yaml", topicFlow]] as const) {
    const parsed = parseFlowText(file, text);
    issues.push(...parsed.issues);
    if (parsed.flow) flows.set(parsed.flow.id, parsed.flow);
  }
  const { settings, issues: settingsIssues } = parseSettingsText(
    "bench/bot.yaml",
    "entry: { flow: main }\nhome: { flow: main, node: home }\nlanguage: { flow: main }\n",
  );
  issues.push(...settingsIssues);
  if (settings) issues.push(...inspectFlows(flows, settings, "bench/bot.yaml"));
  const errors = issues.filter((issue) => issue.severity === "error");
  if (errors.length > 0 || !settings) throw new Error(errors.map(formatFlowIssue).join("\n"));
  const labels: Record<string, string[]> = { "common:home.learn": ["Tìm hiểu", "Learn"] };
  return {
    flows,
    settings,
    limits: defaultEngineLimits,
    labelsOf: (key) => labels[key] ?? [],
    places: noPlaces,
    languages: [{ code: "vi", name: "Tiếng Việt" }],
    keywords,
  };
}

/** One full conversation: consent, a module with its quiz, the home quiz, a place question, a typo, goodbye. */
const script: EngineInput[] = [
  { kind: "start" },
  { kind: "text", text: "1" },
  { kind: "text", text: "tim hieu" },
  { kind: "choice", optionId: "commune" },
  { kind: "text", text: "số 2" },
  { kind: "choice", optionId: "police" },
  { kind: "choice", optionId: "place" },
  { kind: "text", text: "Xã Pà Cò, huyện Mai Châu" },
  { kind: "text", text: "không biết" },
  { kind: "text", text: "4" },
];

type Tally = { turns: number; nodes: number; micros: number[] };

function converse(setup: EngineSetup, start: Date, tally?: Tally): void {
  let state: SessionState | null = null;
  let contact: ContactSnapshot = { ...emptyContact, locale: "vi" };
  for (const [index, input] of script.entries()) {
    const now = new Date(start.getTime() + index * 1000);
    const before = process.hrtime.bigint();
    const result = step(setup, { contact, state, input, now });
    const elapsed = process.hrtime.bigint() - before;
    state = result.state;
    contact = result.contact;
    if (tally) {
      tally.turns += 1;
      tally.nodes += result.events.filter((event) => event.type === "node_entered").length;
      tally.micros.push(Number(elapsed) / 1000);
    }
    if (result.events.some((event) => event.type === "failure")) throw new Error(`turn ${index} failed`);
  }
  if (state !== null) throw new Error("the scripted conversation did not reach the end of the flow");
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

const setup = buildSetup((await loadContentCatalog(fileURLToPath(new URL("../content", import.meta.url)))).keywords());
const start = new Date("2025-01-01T00:00:00Z");
for (let index = 0; index < warmUpConversations; index += 1) converse(setup, start);

const tally: Tally = { turns: 0, nodes: 0, micros: [] };
const began = process.hrtime.bigint();
for (let index = 0; index < measuredConversations; index += 1) converse(setup, start, tally);
const wallSeconds = Number(process.hrtime.bigint() - began) / 1e9;
const stepSeconds = tally.micros.reduce((sum, value) => sum + value, 0) / 1e6;
const sorted = [...tally.micros].sort((a, b) => a - b);

const nodesInFlows = [...setup.flows.values()].map((flow) => `${flow.id} ${Object.keys(flow.nodes).length}`).join(", ");
console.log(`Loa engine benchmark`);
console.log(`  node ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"}`);
console.log(`  flows: ${nodesInFlows} nodes; ${script.length} turns per conversation`);
console.log(`  ${warmUpConversations} warm-up conversations, then ${measuredConversations} measured (${tally.turns} turns, ${tally.nodes} node executions)`);
console.log(`  turns/s:           ${Math.round(tally.turns / stepSeconds).toLocaleString("en")} (in step), ${Math.round(tally.turns / wallSeconds).toLocaleString("en")} (wall clock)`);
console.log(`  node executions/s: ${Math.round(tally.nodes / stepSeconds).toLocaleString("en")} (in step)`);
console.log(`  µs per turn:       p50 ${percentile(sorted, 0.5).toFixed(1)}, p99 ${percentile(sorted, 0.99).toFixed(1)}, max ${sorted.at(-1)?.toFixed(1)}`);
