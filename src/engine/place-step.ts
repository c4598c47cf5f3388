import { matchOption } from "./answer-matching.ts";
import type { EngineInput } from "./engine-input.ts";
import type { FlowDefinition } from "./flow-definition.ts";
import type { MessageOption, MessageSpec } from "./flow-events.ts";
import type { FlowNode } from "./flow-schema.ts";
import { matchesAnswer } from "./global-triggers.ts";
import type { LookupPlace } from "./place-lookup.ts";
import type { SessionFrame } from "./session-state.ts";
import type { Turn } from "./turn.ts";

type PlaceNode = Extract<FlowNode, { kind: "place" }>;

/** Content keys of the place step; every shipped locale must have them. */
export const placeContentKeys = {
  provincePrompt: "places:province_prompt",
  provinceOther: "places:province_other",
  provinceAsk: "places:province_ask",
  provinceUnknown: "places:province_unknown",
  provinceChoose: "places:province_choose",
  communePrompt: "places:commune_prompt",
  communeUnknown: "places:commune_unknown",
  communeConfirm: "places:commune_confirm",
  communeChoose: "places:commune_choose",
  communeRetry: "places:commune_retry",
  saved: "places:saved",
  notFound: "places:not_found",
  skip: "places:skip",
  noneOfThese: "places:none_of_these",
  yes: "places:yes",
  no: "places:no",
} as const;
const keys = placeContentKeys;

/** The place keys shown as button labels rather than messages, so translators get a button's length limit. */
export const placeOptionLabelKeys: ReadonlySet<string> = new Set([keys.provinceOther, keys.skip, keys.noneOfThese, keys.yes, keys.no]);

/** The steps of the place question; the stage is kept on the session frame between messages. */
type StageName = "province" | "province-name" | "province-choose" | "commune" | "commune-confirm" | "commune-choose";

const candidateLimit = 5;
const skipOption: MessageOption = { id: "skip", label: keys.skip };
const noneOption: MessageOption = { id: "none", label: keys.noneOfThese };

function literal(id: string, label: string): MessageOption {
  return { id, label, literal: true };
}

function stageOf(frame: SessionFrame): { name: StageName; candidates: string[] } {
  const name = frame.stage?.name;
  const known: StageName[] = ["province", "province-name", "province-choose", "commune", "commune-confirm", "commune-choose"];
  return { name: known.find((stage) => stage === name) ?? "province", candidates: frame.stage?.candidates ?? [] };
}

/** The message that asks the current stage's question, with its options. */
export function placeQuestion(turn: Turn, node: PlaceNode, frame: SessionFrame, lead: readonly string[] = []): MessageSpec {
  const places = turn.setup.places;
  const stage = stageOf(frame);
  const named = (codes: readonly string[]) =>
    codes.flatMap((code) => {
      const place = places.find(code);
      return place ? [literal(code, places.displayName(place))] : [];
    });
  const provinceName = () => {
    const province = turn.contact.provinceCode === null ? undefined : places.find(turn.contact.provinceCode);
    return province ? places.displayName(province) : "";
  };
  switch (stage.name) {
    case "province":
      return {
        keys: [...lead, keys.provincePrompt],
        options: [...named(node.featured.filter((code) => places.find(code) !== undefined)), { id: "other", label: keys.provinceOther }, skipOption],
      };
    case "province-name":
      return { keys: [...lead, keys.provinceAsk], options: [skipOption] };
    case "province-choose":
      return { keys: [...lead, keys.provinceChoose], options: [...named(stage.candidates), noneOption] };
    case "commune":
      return { keys: [...lead, keys.communePrompt], params: { province: provinceName() }, options: [skipOption] };
    case "commune-confirm": {
      const place = places.find(stage.candidates[0] ?? "");
      return {
        keys: [...lead, keys.communeConfirm],
        params: { place: place ? places.displayName(place) : "", province: provinceName() },
        options: [
          { id: "yes", label: keys.yes },
          { id: "no", label: keys.no },
        ],
      };
    }
    case "commune-choose":
      return { keys: [...lead, keys.communeChoose], params: { province: provinceName() }, options: [...named(stage.candidates), noneOption] };
  }
}

function setStage(frame: SessionFrame, name: StageName, candidates: string[] = []): void {
  frame.stage = { name, candidates };
}

/** Starts the place question: skipped when no provinces are loaded, so a bot without places still runs. */
export function enterPlace(turn: Turn, flow: FlowDefinition, node: PlaceNode, frame: SessionFrame, at: { flowId: string; nodeId: string }): boolean {
  if (turn.setup.places.provinces.length === 0) return false;
  const featured = node.featured.filter((code) => turn.setup.places.find(code) !== undefined);
  frame.attempts = 0;
  setStage(frame, featured.length > 0 ? "province" : "province-name");
  turn.say({ ...placeQuestion(turn, node, frame), ...topicOf(flow) }, at);
  return true;
}

/** The option a person picked from a message's options: a tapped id, a typed number, or a label's words. */
function pickedOption(turn: Turn, input: EngineInput, options: readonly MessageOption[]): MessageOption | undefined {
  const index = matchOption(input, options, turn.setup.labelsOf);
  return index === null ? undefined : options[index];
}

/**
 * Handles an answer to the place question. Returns true when the question is over and the flow should go
 * on to the node's `next`; false when the person is asked again (the next stage, or the same one).
 */
export function answerPlace(turn: Turn, flow: FlowDefinition, node: PlaceNode, frame: SessionFrame, input: EngineInput): boolean {
  const places = turn.setup.places;
  const at = { flowId: flow.id, nodeId: frame.nodeId ?? "" };
  const stage = stageOf(frame);
  const ask = (name: StageName, candidates: string[] = [], lead: string[] = []) => {
    setStage(frame, name, candidates);
    turn.say({ ...placeQuestion(turn, node, frame, lead), ...topicOf(flow) }, at);
    return false;
  };
  const giveUp = (lead: string) => {
    turn.emit({ type: "input_rejected", ...at });
    turn.say({ keys: [lead, keys.notFound], params: placeQuestion(turn, node, frame).params ?? {}, ...topicOf(flow) }, at);
    return done(frame);
  };
  const miss = (reprompt: string) => {
    frame.attempts += 1;
    if (frame.attempts >= node.maxAttempts) return giveUp(reprompt);
    turn.emit({ type: "input_rejected", ...at });
    turn.say({ ...placeQuestion(turn, node, frame, [reprompt]), ...topicOf(flow) }, at);
    return false;
  };
  const chooseProvince = (province: LookupPlace) => {
    turn.emit({ type: "option_chosen", optionId: province.code, ...at });
    turn.assign({ field: "provinceCode" }, province.code);
    const commune = turn.contact.communeCode === null ? undefined : places.find(turn.contact.communeCode);
    if (commune !== undefined && commune.provinceCode !== province.code) turn.assign({ field: "communeCode" }, null);
    frame.attempts = 0;
    if (places.communesOf(province.code).length === 0) return done(frame);
    return ask("commune");
  };
  const chooseCommune = (commune: LookupPlace) => {
    turn.emit({ type: "option_chosen", optionId: commune.code, ...at });
    if (commune.provinceCode !== null && commune.provinceCode !== turn.contact.provinceCode) turn.assign({ field: "provinceCode" }, commune.provinceCode);
    turn.assign({ field: "communeCode" }, commune.code);
    const province = commune.provinceCode === null ? undefined : places.find(commune.provinceCode);
    turn.say({ keys: [keys.saved], params: { place: places.displayName(commune), province: province ? places.displayName(province) : "" }, ...topicOf(flow) }, at);
    return done(frame);
  };
  const options = placeQuestion(turn, node, frame).options ?? [];
  const picked = pickedOption(turn, input, options);
  if (picked?.id === "skip") {
    turn.emit({ type: "option_chosen", optionId: "skip", ...at });
    return done(frame);
  }
  const typed = input.kind === "text" && picked === undefined ? input.text : null;

  switch (stage.name) {
    case "province":
    case "province-name":
    case "province-choose": {
      if (picked?.id === "other") {
        turn.emit({ type: "option_chosen", optionId: "other", ...at });
        return ask("province-name");
      }
      if (picked?.id === "none") return ask("province-name");
      const chosen = picked === undefined ? undefined : places.find(picked.id);
      if (chosen) return chooseProvince(chosen);
      if (typed === null) return miss(keys.provinceUnknown);
      const matches = places.matchProvince(typed, candidateLimit);
      const exact = matches.filter((match) => match.quality === "exact");
      const only = exact.length === 1 ? exact[0] : undefined;
      if (only) return chooseProvince(only.place);
      if (matches.length > 0) return ask("province-choose", matches.map((match) => match.place.code));
      return miss(keys.provinceUnknown);
    }
    case "commune":
    case "commune-choose": {
      if (picked?.id === "none") return ask("commune", [], [keys.communeRetry]);
      const chosen = picked === undefined ? undefined : places.find(picked.id);
      if (chosen) return chooseCommune(chosen);
      const province = turn.contact.provinceCode;
      if (typed === null || province === null) return miss(keys.communeUnknown);
      const matches = places.matchCommune(province, typed, candidateLimit);
      const exact = matches.filter((match) => match.quality === "exact");
      if (exact.length === 1 || matches.length === 1) {
        const best = (exact[0] ?? matches[0]) as { place: LookupPlace };
        frame.attempts = 0;
        return ask("commune-confirm", [best.place.code]);
      }
      if (matches.length > 0) return ask("commune-choose", (exact.length > 1 ? exact : matches).map((match) => match.place.code));
      return miss(keys.communeUnknown);
    }
    case "commune-confirm": {
      const yes = picked?.id === "yes" || (typed !== null && matchesAnswer(typed, turn.setup.keywords, "yes"));
      const no = picked?.id === "no" || (typed !== null && matchesAnswer(typed, turn.setup.keywords, "no"));
      const candidate = places.find(stage.candidates[0] ?? "");
      if (yes && candidate) return chooseCommune(candidate);
      if (no || !candidate) return ask("commune", [], [keys.communeRetry]);
      if (typed === null) return miss(keys.communeRetry);
      // She typed another name instead of yes or no: take it as a new answer to "which commune?".
      setStage(frame, "commune");
      return answerPlace(turn, flow, node, frame, input);
    }
  }
}

function done(frame: SessionFrame): true {
  delete frame.stage;
  frame.attempts = 0;
  return true;
}

function topicOf(flow: FlowDefinition): { topic?: NonNullable<FlowDefinition["topic"]> } {
  return flow.topic === undefined ? {} : { topic: flow.topic };
}
