import { describe, expect, it } from "vitest";
import type { ContactSnapshot } from "../../src/engine/contact-snapshot.ts";
import type { EngineSetup } from "../../src/engine/flow-definition.ts";
import { buildSetup, Chat, eventsOfType, keysOf, typesOf } from "./engine-fixture.ts";

const settings = "entry: { flow: intro }\nhome: { flow: home }\nlanguage: { flow: home }";

const intro = `
id: intro
start: hello
nodes:
  hello: { kind: say, say: [intro:hello], next: go }
  go: { kind: goto, flow: topic, next: outro }
  outro: { kind: say, say: [intro:outro] }
`;
const home = "id: home\nstart: menu\nnodes:\n  menu: { kind: menu, prompt: home:menu, options: [{ label: home:again, next: menu }] }\n";
const topic = `
id: topic
start: lesson
nodes:
  lesson: { kind: say, say: [topic:lesson.1], next: pick }
  pick:
    kind: menu
    prompt: topic:pick
    options:
      - { id: more, label: topic:more, next: more }
      - { id: done, label: topic:done, next: finish }
  more: { kind: say, say: [topic:more.text], next: pick }
  finish: { kind: say, say: [topic:finish] }
`;

const original = { "flows/intro.yaml": intro, "flows/home.yaml": home, "flows/topic.yaml": topic };

/** A conversation that went from intro into topic and waits at topic/pick. */
function waitingAtPick(contact: Partial<ContactSnapshot> = {}) {
  const chat = new Chat(buildSetup({ settings, flows: original }), { contact });
  chat.start();
  expect(chat.state?.stack.map((frame) => `${frame.flowId}/${frame.nodeId}`)).toEqual(["intro/outro", "topic/pick"]);
  return chat;
}

/** The same person, continuing after the flows were reloaded. */
function afterEdit(chat: Chat, flows: Record<string, string>): Chat {
  const setup: EngineSetup = buildSetup({ settings, flows });
  return new Chat(setup, { contact: chat.contact, state: chat.state, now: chat.now });
}

describe("flows edited under a waiting conversation", () => {
  it("an unchanged flow continues without a flow_changed event", () => {
    const chat = afterEdit(waitingAtPick(), original);
    const result = chat.send("2");
    expect(typesOf(result.events)).not.toContain("flow_changed");
    expect(keysOf(result.events)).toEqual([["topic:finish"], ["intro:outro"]]);
  });

  it("continues at the same menu when it still exists, and applies the answer", () => {
    const before = waitingAtPick();
    const edited = topic.replace("topic:lesson.1", "topic:lesson.1b");
    const chat = afterEdit(before, { ...original, "flows/topic.yaml": edited });
    const oldRevision = before.state?.stack[1]?.revision;
    const newRevision = chat.setup.flows.get("topic")?.revision;
    expect(newRevision).not.toBe(oldRevision);

    const result = chat.send("2");
    expect(eventsOfType(result.events, "flow_changed")).toEqual([{ type: "flow_changed", flowId: "topic", outcome: "continued" }]);
    expect(eventsOfType(result.events, "option_chosen").map((event) => event.optionId)).toEqual(["done"]);
    expect(keysOf(result.events)).toEqual([["topic:finish"], ["intro:outro"]]);
    expect(keysOf(result.events).flat()).not.toContain("common:flow.changed");
  });

  it("keeps the new revision in the state, so the next turn sees no change", () => {
    const before = waitingAtPick();
    const chat = afterEdit(before, { ...original, "flows/topic.yaml": topic.replace("topic:lesson.1", "topic:lesson.1b") });
    chat.send("1");
    expect(chat.state?.stack.at(-1)?.revision).toBe(chat.setup.flows.get("topic")?.revision);
    expect(typesOf(chat.send("1").events)).not.toContain("flow_changed");
  });

  it("restarts the flow from its start with an apology when the waiting node is gone, without applying the answer", () => {
    const edited = `
id: topic
start: lesson
nodes:
  lesson: { kind: say, say: [topic:lesson.1], next: choose }
  choose: { kind: menu, prompt: topic:choose, options: [{ label: topic:done, next: finish }] }
  finish: { kind: say, say: [topic:finish] }
`;
    const chat = afterEdit(waitingAtPick(), { ...original, "flows/topic.yaml": edited });
    const result = chat.send("1");
    expect(eventsOfType(result.events, "flow_changed")).toEqual([{ type: "flow_changed", flowId: "topic", outcome: "restarted" }]);
    expect(typesOf(result.events)).not.toContain("option_chosen");
    expect(keysOf(result.events)).toEqual([["common:flow.changed"], ["topic:lesson.1"], ["topic:choose"]]);
    expect(chat.state?.stack.map((frame) => `${frame.flowId}/${frame.nodeId}`)).toEqual(["intro/outro", "topic/choose"]);
  });

  it("restarts the flow when the waiting node id now names a node that does not wait", () => {
    const edited = topic.replace(/ {2}pick:\n(?: {4}.*\n)+/, "  pick: { kind: say, say: [topic:pick.text], next: finish }\n");
    expect(edited).not.toBe(topic);
    const chat = afterEdit(waitingAtPick(), { ...original, "flows/topic.yaml": edited });
    const result = chat.send("1");
    expect(eventsOfType(result.events, "flow_changed")[0]?.outcome).toBe("restarted");
    expect(keysOf(result.events)[0]).toEqual(["common:flow.changed"]);
  });

  it("restarts a calling flow whose continue-at node is gone, dropping the flow it had called", () => {
    const edited = intro.replace("next: outro", "next: goodbye").replace("  outro:", "  goodbye:");
    const chat = afterEdit(waitingAtPick(), { ...original, "flows/intro.yaml": edited });
    const result = chat.send("1");
    expect(eventsOfType(result.events, "flow_changed")).toEqual([{ type: "flow_changed", flowId: "intro", outcome: "restarted" }]);
    expect(keysOf(result.events)).toEqual([["common:flow.changed"], ["intro:hello"], ["topic:lesson.1"], ["topic:pick"]]);
    expect(chat.state?.stack.map((frame) => `${frame.flowId}/${frame.nodeId}`)).toEqual(["intro/goodbye", "topic/pick"]);
  });

  const withoutTopic = {
    "flows/intro.yaml": intro.replace("  go: { kind: goto, flow: topic, next: outro }", "  go: { kind: say, say: [intro:go], next: outro }"),
    "flows/home.yaml": home,
  };

  it("starts again from home when the whole flow was removed, for a consented contact", () => {
    const chat = afterEdit(waitingAtPick({ consented: true }), withoutTopic);
    expect(chat.setup.flows.has("topic")).toBe(false);
    const result = chat.send("1");
    expect(eventsOfType(result.events, "flow_changed")).toEqual([{ type: "flow_changed", flowId: "topic", outcome: "restarted" }]);
    expect(keysOf(result.events)).toEqual([["common:flow.changed"], ["home:menu"]]);
    expect(chat.at).toBe("home/menu");
  });

  it("starts again from the entry when the whole flow was removed, for a contact who has not consented", () => {
    const chat = afterEdit(waitingAtPick({ consented: false }), withoutTopic);
    const result = chat.send("1");
    expect(keysOf(result.events)).toEqual([["common:flow.changed"], ["intro:hello"], ["intro:go"], ["intro:outro"]]);
    expect(typesOf(result.events)).not.toContain("option_chosen");
    expect(result.state).toBeNull();
  });
});
