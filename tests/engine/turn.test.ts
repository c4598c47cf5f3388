import { describe, expect, it } from "vitest";
import type { ContactSnapshot } from "../../src/engine/contact-snapshot.ts";
import type { Condition } from "../../src/engine/flow-schema.ts";
import { buildSetup, Chat, choice, eventsOfType, keysOf, messagesOf, typesOf, type SetupOptions } from "./engine-fixture.ts";

const settings = "entry: { flow: t }\nhome: { flow: t }\nlanguage: { flow: t }";

/** A setup whose entry is flow `t`, given as YAML, plus any other flow files. */
function setupOf(flowT: string, others: Record<string, string> = {}, options: Partial<SetupOptions> = {}) {
  return buildSetup({ settings, ...options, flows: { "flows/t.yaml": flowT, ...others } });
}

function started(flowT: string, others: Record<string, string> = {}, contact: Partial<ContactSnapshot> = {}) {
  const chat = new Chat(setupOf(flowT, others), { contact });
  const first = chat.start();
  return { chat, first };
}

describe("say", () => {
  it("sends each key as its own message, in order, then follows next", () => {
    const { chat, first } = started(`
id: t
start: a
nodes:
  a: { kind: say, say: [t:one, t:two, t:three], next: b }
  b: { kind: say, say: [t:four] }
`);
    expect(keysOf(first.events)).toEqual([["t:one"], ["t:two"], ["t:three"], ["t:four"]]);
    expect(eventsOfType(first.events, "message_created").map((event) => event.nodeId)).toEqual(["a", "a", "a", "b"]);
    expect(eventsOfType(first.events, "flow_ended")).toEqual([{ type: "flow_ended", flowId: "t" }]);
    expect(chat.state).toBeNull();
  });
});

const menuFlow = `
id: t
start: pick
nodes:
  pick:
    kind: menu
    prompt: t:pick
    reprompt: t:pick.again
    options:
      - { id: violence, label: common:home.violence, next: chose-violence }
      - { id: place, label: common:home.place, next: chose-place }
  chose-violence: { kind: say, say: [t:violence] }
  chose-place: { kind: say, say: [t:place] }
  other:
    kind: menu
    prompt: t:other
    options:
      - { label: t:first, next: chose-violence }
      - { label: t:second, next: chose-place }
  to-other: { kind: goto, node: other }
`;

describe("menu", () => {
  it("asks its prompt with its options and waits", () => {
    const { chat, first } = started(menuFlow);
    expect(messagesOf(first.events)).toEqual([
      {
        keys: ["t:pick"],
        options: [
          { id: "violence", label: "common:home.violence" },
          { id: "place", label: "common:home.place" },
        ],
      },
    ]);
    expect(chat.at).toBe("t/pick");
  });

  it("rejects a button from a node of the same name in another flow", () => {
    const { chat } = started(menuFlow);
    const result = chat.send(choice("place", "other-flow/pick"));
    expect(typesOf(result.events)).toContain("input_rejected");
    expect(typesOf(result.events)).not.toContain("option_chosen");
  });

  const answers: Array<[string, string | ReturnType<typeof choice>, string]> = [
    ["a button, by option id", choice("place"), "place"],
    ["a button naming this node", choice("place", "t/pick"), "place"],
    ["a typed number", "2", "place"],
    ["'số 2'", "số 2", "place"],
    ["'hai' written out", "hai", "place"],
    ["'số hai' written out", "Số Hai", "place"],
    ["'so 2'", "SO 2", "place"],
    ["'2.'", "2.", "place"],
    ["'1'", "1", "violence"],
    ["the Vietnamese label", "bao luc gia dinh", "violence"],
    ["the English label", "Where I live", "place"],
  ];
  for (const [what, input, expected] of answers) {
    it(`accepts ${what}`, () => {
      const { chat } = started(menuFlow);
      const result = chat.send(input);
      expect(eventsOfType(result.events, "option_chosen")).toEqual([
        { type: "option_chosen", optionId: expected, flowId: "t", nodeId: "pick" },
      ]);
      expect(keysOf(result.events)).toEqual([[`t:${expected}`]]);
      expect(typesOf(result.events)).not.toContain("input_rejected");
    });
  }

  for (const invalid of ["3", "0", "số 12", "ba", "hài", "nơi", "maybe later", choice("nope")]) {
    it(`rejects ${JSON.stringify(invalid)}, says the reprompt and the menu again, and counts the attempt`, () => {
      const { chat } = started(menuFlow);
      const result = chat.send(invalid);
      expect(eventsOfType(result.events, "input_rejected")).toEqual([{ type: "input_rejected", flowId: "t", nodeId: "pick" }]);
      expect(typesOf(result.events)).not.toContain("option_chosen");
      expect(keysOf(result.events)).toEqual([["t:pick.again", "t:pick"]]);
      expect(messagesOf(result.events)[0]?.options).toHaveLength(2);
      expect(chat.state?.stack.at(-1)?.attempts).toBe(1);
      chat.send(invalid);
      expect(chat.state?.stack.at(-1)?.attempts).toBe(2);
      // A valid answer afterwards still works and resets nothing it should not.
      expect(eventsOfType(chat.send("1").events, "option_chosen")).toHaveLength(1);
    });
  }

  it("rejects a stale button from another node, even when its option id exists here", () => {
    const { chat } = started(menuFlow);
    const result = chat.send(choice("place", "t/other"));
    expect(typesOf(result.events)).toContain("input_rejected");
    expect(typesOf(result.events)).not.toContain("option_chosen");
    expect(chat.at).toBe("t/pick");
  });

  it("numbers options without an id by position, and says common:menu.invalid without a reprompt", () => {
    const { chat } = started(`
id: t
start: other
nodes:
  other:
    kind: menu
    prompt: t:other
    options:
      - { label: t:first, next: a }
      - { label: t:second, next: b }
  a: { kind: say, say: [t:a] }
  b: { kind: say, say: [t:b] }
`);
    expect(messagesOf(chat.turns[0]?.events ?? [])[0]?.options?.map((option) => option.id)).toEqual(["1", "2"]);
    expect(keysOf(chat.send("xyz").events)).toEqual([["common:menu.invalid", "t:other"]]);
    expect(eventsOfType(chat.send(choice("2")).events, "option_chosen")[0]?.optionId).toBe("2");
  });
});

describe("ask", () => {
  const communeFlow = `
id: t
start: q
nodes:
  q:
    kind: ask
    prompt: t:q
    answer: { type: text, maxLength: 20 }
    save: { field: communeName }
    sensitive: false
    reprompt: t:q.again
    next: done
  done: { kind: say, say: [t:done] }
`;

  it("saves a non-sensitive text answer to a contact field, cleaned", () => {
    const { chat } = started(communeFlow);
    const result = chat.send("  Xã\u200B Pà\n\n  Cò\u0007 ");
    expect(eventsOfType(result.events, "contact_field_set")).toEqual([
      { type: "contact_field_set", field: "communeName", value: "Xã Pà Cò" },
    ]);
    expect(result.contact.communeName).toBe("Xã Pà Cò");
    expect(keysOf(result.events)).toEqual([["t:done"]]);
  });

  it("keeps the answer out of every other event", () => {
    const { chat } = started(communeFlow);
    const result = chat.send("Xã Pà Cò");
    const others = result.events.filter((event) => event.type !== "contact_field_set");
    expect(JSON.stringify(others)).not.toContain("Pà Cò");
    expect(JSON.stringify(result.events)).toContain("Pà Cò");
  });

  it("rejects a text answer longer than maxLength and one that cleans to nothing", () => {
    const { chat } = started(communeFlow);
    const result = chat.send("Xã Pà Cò, huyện Mai Châu");
    expect(typesOf(result.events)).toContain("input_rejected");
    expect(keysOf(result.events)).toEqual([["t:q.again", "t:q"]]);
    expect(result.contact.communeName).toBeNull();
    expect(typesOf(chat.send(" \u200B\t ").events)).toContain("input_rejected");
    expect(chat.contact.communeName).toBeNull();
  });

  it("rejects a button press", () => {
    const { chat } = started(communeFlow);
    expect(typesOf(chat.send(choice("1")).events)).toContain("input_rejected");
  });

  const numberFlow = `
id: t
start: age
nodes:
  age:
    kind: ask
    prompt: t:age
    answer: { type: number, min: 10, max: 60 }
    save: { variable: age }
    reprompt: t:age.again
    maxAttempts: 3
    next: check
    onFail: gave-up
  check:
    kind: branch
    cases:
      - { when: { variable: age, equals: 17 }, next: seventeen }
    otherwise: other
  seventeen: { kind: say, say: [t:seventeen] }
  other: { kind: say, say: [t:other] }
  gave-up: { kind: say, say: [t:gave-up] }
`;

  for (const [typed, value] of [["17", 17], [" 17 ", 17], ["42,5", 42.5], ["10", 10], ["60", 60]] as const) {
    it(`takes the number ${JSON.stringify(typed)} within min and max`, () => {
      const { chat } = started(numberFlow);
      const result = chat.send(typed);
      expect(eventsOfType(result.events, "variable_set")).toEqual([{ type: "variable_set", name: "age", value }]);
      expect(keysOf(result.events)).toEqual([[value === 17 ? "t:seventeen" : "t:other"]]);
    });
  }

  for (const typed of ["9", "61", "mười bảy", "17 tuổi", "1e3", "-"]) {
    it(`rejects ${JSON.stringify(typed)} with common:ask.invalid_number`, () => {
      const { chat } = started(numberFlow);
      const result = chat.send(typed);
      expect(keysOf(result.events)).toEqual([["common:ask.invalid_number", "t:age"]]);
      expect(typesOf(result.events)).not.toContain("variable_set");
    });
  }

  it("goes to onFail after maxAttempts invalid answers, not before", () => {
    const { chat } = started(numberFlow);
    chat.send("no idea");
    const second = chat.send("still no");
    expect(chat.at).toBe("t/age");
    expect(chat.state?.stack.at(-1)?.attempts).toBe(2);
    expect(typesOf(second.events)).not.toContain("node_entered");
    const third = chat.send("never");
    expect(typesOf(third.events)).toContain("input_rejected");
    expect(keysOf(third.events)).toEqual([["t:gave-up"]]);
    expect(chat.state).toBeNull();
  });

  it("goes to next after maxAttempts invalid answers when there is no onFail", () => {
    const { chat } = started(numberFlow.replace("    onFail: gave-up\n", "").replace("maxAttempts: 3", "maxAttempts: 1"));
    expect(keysOf(chat.send("never").events)).toEqual([["t:other"]]);
  });

  it("keeps a free-text answer saved to a variable out of the events, but usable by a branch", () => {
    const { chat } = started(`
id: t
start: q
nodes:
  q:
    kind: ask
    prompt: t:q
    answer: { type: text }
    save: { variable: nickname }
    sensitive: false
    reprompt: t:q.again
    next: check
  check:
    kind: branch
    cases:
      - { when: { variable: nickname, isSet: true }, next: named }
    otherwise: unnamed
  named: { kind: menu, prompt: t:named, options: [{ label: t:ok, next: unnamed }] }
  unnamed: { kind: say, say: [t:unnamed] }
`);
    const result = chat.send("Lan Anh");
    expect(JSON.stringify(result.events)).not.toContain("Lan Anh");
    expect(keysOf(result.events)).toEqual([["t:named"]]);
    expect(chat.state?.vars).toEqual({ nickname: "Lan Anh" });
  });
});

describe("branch", () => {
  const branchFlow = (when: Condition) => `
id: t
start: s1
nodes:
  s1: { kind: set, variable: age, value: 17, next: s2 }
  s2: { kind: set, variable: ethnic, value: hmong, next: s3 }
  s3: { kind: set, variable: blank, value: "", next: check }
  check:
    kind: branch
    cases:
      - when: ${JSON.stringify(when)}
        next: is-true
    otherwise: is-false
  is-true: { kind: say, say: [t:true] }
  is-false: { kind: say, say: [t:false] }
`;
  const contact: Partial<ContactSnapshot> = { provinceCode: "10", groups: { village: "pa-co" }, consented: true };
  const cases: Array<[string, Condition, boolean]> = [
    ["field equals", { field: "provinceCode", equals: "10" }, true],
    ["field equals, other value", { field: "provinceCode", equals: "11" }, false],
    ["field equals a number, compared as text", { field: "provinceCode", equals: 10 }, true],
    ["unset field equals nothing", { field: "communeCode", equals: "" }, false],
    ["consent equals true", { field: "consent", equals: true }, true],
    ["group field", { field: "group.village", equals: "pa-co" }, true],
    ["variable equals", { variable: "age", equals: 17 }, true],
    ["variable equals, other value", { variable: "age", equals: 18 }, false],
    ["isSet on a set variable", { variable: "age", isSet: true }, true],
    ["isSet on an unset variable", { variable: "missing", isSet: true }, false],
    ["isSet on a variable set to an empty string", { variable: "blank", isSet: true }, false],
    ["isSet false on an unset field", { field: "communeName", isSet: false }, true],
    ["in, matching", { variable: "ethnic", in: ["dao", "hmong"] }, true],
    ["in, not matching", { field: "provinceCode", in: ["11", "12"] }, false],
    ["all, every one true", { all: [{ variable: "age", equals: 17 }, { field: "provinceCode", equals: "10" }] }, true],
    ["all, one false", { all: [{ variable: "age", equals: 17 }, { field: "provinceCode", equals: "11" }] }, false],
    ["any, one true", { any: [{ variable: "age", equals: 99 }, { field: "provinceCode", equals: "10" }] }, true],
    ["any, none true", { any: [{ variable: "age", equals: 99 }, { field: "provinceCode", equals: "11" }] }, false],
    ["not", { not: { variable: "ethnic", equals: "dao" } }, true],
    ["not of a true condition", { not: { variable: "ethnic", equals: "hmong" } }, false],
  ];
  for (const [what, when, expected] of cases) {
    it(`${what} is ${expected}`, () => {
      const { first } = started(branchFlow(when), {}, contact);
      expect(keysOf(first.events)).toEqual([[`t:${expected}`]]);
    });
  }

  it("takes the first matching case", () => {
    const { first } = started(`
id: t
start: check
nodes:
  check:
    kind: branch
    cases:
      - { when: { field: consent, equals: false }, next: a }
      - { when: { field: consent, equals: true }, next: b }
      - { when: { field: consent, isSet: true }, next: c }
    otherwise: d
  a: { kind: say, say: [t:a] }
  b: { kind: say, say: [t:b] }
  c: { kind: say, say: [t:c] }
  d: { kind: say, say: [t:d] }
`, {}, { consented: true });
    expect(keysOf(first.events)).toEqual([["t:b"]]);
  });
});

describe("set", () => {
  const setFlow = `
id: t
start: s-field
nodes:
  s-field: { kind: set, field: provinceCode, value: "14", next: s-var }
  s-var: { kind: set, variable: seen, value: true, next: s-consent }
  s-consent: { kind: set, field: consent, value: true, next: check }
  check:
    kind: branch
    cases:
      - when: { all: [{ field: provinceCode, equals: "14" }, { variable: seen, equals: true }, { field: consent, equals: true }] }
        next: seen
    otherwise: unseen
  seen: { kind: menu, prompt: t:seen, options: [{ label: t:ok, next: clear }] }
  unseen: { kind: say, say: [t:unseen] }
  clear: { kind: set, variable: seen, value: null, next: check }
`;

  it("sets a field and a variable that a later branch in the same turn sees; consent sets contact.consented", () => {
    const { chat, first } = started(setFlow, {}, { consented: false, provinceCode: null });
    expect(eventsOfType(first.events, "contact_field_set")).toEqual([
      { type: "contact_field_set", field: "provinceCode", value: "14" },
      { type: "contact_field_set", field: "consent", value: true },
    ]);
    expect(eventsOfType(first.events, "variable_set")).toEqual([{ type: "variable_set", name: "seen", value: true }]);
    expect(first.contact).toMatchObject({ provinceCode: "14", consented: true });
    expect(keysOf(first.events)).toEqual([["t:seen"]]);
    expect(chat.state?.vars).toEqual({ seen: true });
  });

  it("a null value clears a variable, which the branch then sees as unset", () => {
    const { chat } = started(setFlow);
    const result = chat.send("1");
    expect(eventsOfType(result.events, "variable_set")).toEqual([{ type: "variable_set", name: "seen", value: null }]);
    expect(keysOf(result.events)).toEqual([["t:unseen"]]);
  });
});

describe("help", () => {
  it("emits help_shown and a message asking for the help directory, then goes on", () => {
    const { first } = started(`
id: t
start: h
nodes:
  h: { kind: help, intro: t:help.intro, next: after }
  after: { kind: say, say: [t:after] }
`);
    expect(eventsOfType(first.events, "help_shown")).toEqual([{ type: "help_shown", scope: "help" }]);
    expect(messagesOf(first.events)).toEqual([{ keys: ["t:help.intro"], help: "help" }, { keys: ["t:after"] }]);
  });
});

describe("quiz", () => {
  const quizFlow = `
id: t
topic: safe-birth
start: q
nodes:
  q:
    kind: quiz
    id: where-to-give-birth
    question: t:q
    options:
      - { id: home, label: t:q.home, correct: false }
      - { id: clinic, label: t:q.clinic, correct: true }
      - { label: t:q.unsure, correct: false }
    feedback: { correct: t:q.right, incorrect: t:q.wrong }
    next: after
  after: { kind: say, say: [t:after] }
`;
  const labels = { "t:q.home": ["Ở nhà", "At home"], "t:q.clinic": ["Trạm y tế", "Health station"] };
  const quizChat = () => {
    const chat = new Chat(setupOf(quizFlow, {}, { labels }));
    const first = chat.start();
    return { chat, first };
  };

  it("asks the question with its options, under the flow's topic", () => {
    const { first } = quizChat();
    expect(messagesOf(first.events)).toEqual([
      {
        keys: ["t:q"],
        topic: "safe-birth",
        options: [
          { id: "home", label: "t:q.home" },
          { id: "clinic", label: "t:q.clinic" },
          { id: "3", label: "t:q.unsure" },
        ],
      },
    ]);
  });

  for (const [input, optionId, correct] of [
    [choice("clinic"), "clinic", true],
    ["2", "clinic", true],
    ["tram y te", "clinic", true],
    ["At home", "home", false],
    ["3", "3", false],
  ] as const) {
    it(`records ${JSON.stringify(input)} as ${optionId}, correct ${correct}, and gives the matching feedback`, () => {
      const { chat } = quizChat();
      const result = chat.send(input);
      expect(eventsOfType(result.events, "quiz_answered")).toEqual([
        { type: "quiz_answered", quizId: "where-to-give-birth", optionId, correct, topic: "safe-birth", flowId: "t", nodeId: "q" },
      ]);
      expect(keysOf(result.events)).toEqual([[correct ? "t:q.right" : "t:q.wrong"], ["t:after"]]);
      expect(eventsOfType(result.events, "module_completed")).toEqual([
        { type: "module_completed", topic: "safe-birth", flowId: "t", nodeId: "q" },
      ]);
    });
  }

  it("rejects a free-text opinion without recording it anywhere", () => {
    const { chat } = quizChat();
    const result = chat.send("tôi nghĩ nên đẻ ở nhà với mẹ chồng");
    expect(typesOf(result.events)).toContain("input_rejected");
    expect(typesOf(result.events)).not.toContain("quiz_answered");
    expect(keysOf(result.events)).toEqual([["common:menu.invalid", "t:q"]]);
    expect(JSON.stringify(result)).not.toContain("mẹ chồng");
  });
});

describe("goto", () => {
  const caller = (gotoNode: string) => `
id: t
start: before
nodes:
  before: { kind: say, say: [t:before], next: call }
  call: ${gotoNode}
  after: { kind: menu, prompt: t:after, options: [{ label: t:ok, next: bye }] }
  bye: { kind: end }
`;
  const callee = `
id: sub
start: first
nodes:
  first: { kind: say, say: [sub:first], next: ask }
  ask: { kind: menu, prompt: sub:ask, options: [{ label: sub:ok, next: last }] }
  last: { kind: say, say: [sub:last] }
  side: { kind: say, say: [sub:side], next: ask }
`;

  it("runs another flow and comes back to next when it ends", () => {
    const { chat, first } = started(caller("{ kind: goto, flow: sub, next: after }"), { "flows/sub.yaml": callee });
    expect(keysOf(first.events)).toEqual([["t:before"], ["sub:first"], ["sub:ask"]]);
    expect(eventsOfType(first.events, "flow_started").map((event) => event.flowId)).toEqual(["t", "sub"]);
    expect(chat.state?.stack.map((frame) => `${frame.flowId}/${frame.nodeId}`)).toEqual(["t/after", "sub/ask"]);
    const result = chat.send("1");
    expect(keysOf(result.events)).toEqual([["sub:last"], ["t:after"]]);
    expect(eventsOfType(result.events, "flow_ended").map((event) => event.flowId)).toEqual(["sub"]);
    expect(chat.at).toBe("t/after");
  });

  it("starts the other flow at a named node", () => {
    const { first } = started(caller("{ kind: goto, flow: sub, node: side, next: after }"), { "flows/sub.yaml": callee });
    expect(keysOf(first.events)).toEqual([["t:before"], ["sub:side"], ["sub:ask"]]);
  });

  it("without next, ends the calling flow too when the other flow ends", () => {
    const { chat } = started(caller("{ kind: goto, flow: sub }"), { "flows/sub.yaml": callee });
    const result = chat.send("1");
    expect(keysOf(result.events)).toEqual([["sub:last"]]);
    expect(eventsOfType(result.events, "flow_ended").map((event) => event.flowId)).toEqual(["sub", "t"]);
    expect(result.state).toBeNull();
  });

  it("jumps to a node of the same flow without starting a new one", () => {
    const { chat, first } = started(caller("{ kind: goto, node: after }"));
    expect(keysOf(first.events)).toEqual([["t:before"], ["t:after"]]);
    expect(eventsOfType(first.events, "flow_started")).toHaveLength(1);
    expect(chat.state?.stack).toHaveLength(1);
  });
});

describe("end", () => {
  const flow = (topic: string) => `
id: t
${topic}
start: a
nodes:
  a: { kind: say, say: [t:a], next: stop }
  stop: { kind: end }
  never: { kind: say, say: [t:never] }
`;

  it("ends the flow, and records a completed module for a flow with a topic", () => {
    const { chat, first } = started(flow("topic: child-marriage"));
    expect(typesOf(first.events).slice(-3)).toEqual(["node_entered", "flow_ended", "module_completed"]);
    expect(eventsOfType(first.events, "module_completed")).toEqual([
      { type: "module_completed", topic: "child-marriage", flowId: "t", nodeId: "a" },
    ]);
    expect(keysOf(first.events)).toEqual([["t:a"]]);
    expect(chat.state).toBeNull();
  });

  it("records no module for a flow without a topic", () => {
    const { first } = started(flow(""));
    expect(typesOf(first.events)).toContain("flow_ended");
    expect(typesOf(first.events)).not.toContain("module_completed");
  });
});

describe("limits", () => {
  /** A chain of `length` say nodes, which the inspector accepts: no loop, just long. */
  const chain = (length: number) => {
    const nodes = Array.from({ length }, (_, index) =>
      `  n${index}: { kind: say, say: [t:line]${index + 1 < length ? `, next: n${index + 1}` : ""} }`,
    );
    return `id: t\nstart: pick\nnodes:\n  pick: { kind: menu, prompt: t:pick, options: [{ label: t:go, next: n0 }] }\n${nodes.join("\n")}\n`;
  };

  const expectClosed = (result: ReturnType<Chat["send"]>, code: string) => {
    expect(eventsOfType(result.events, "failure").map((event) => event.code)).toEqual([code]);
    expect(eventsOfType(result.events, "help_shown")).toEqual([{ type: "help_shown", scope: "closing" }]);
    expect(messagesOf(result.events).at(-1)).toEqual({ keys: ["common:failure.closing"], help: "closing" });
    expect(result.state).toBeNull();
  };

  it("stops a turn that enters more nodes than the step budget, with a closing message", () => {
    const chat = new Chat(setupOf(chain(150), {}, { limits: { stepBudget: 20 } }));
    chat.start();
    const result = chat.send("1");
    expectClosed(result, "step_budget_exceeded");
    expect(eventsOfType(result.events, "node_entered")).toHaveLength(20);
    expect(typesOf(result.events)).not.toContain("flow_ended");
  });

  it("lets the same chain finish when the budget allows it", () => {
    const chat = new Chat(setupOf(chain(150), {}, { limits: { stepBudget: 200 } }));
    chat.start();
    const result = chat.send("1");
    expect(typesOf(result.events)).not.toContain("failure");
    expect(keysOf(result.events)).toHaveLength(150);
    expect(typesOf(result.events)).toContain("flow_ended");
  });

  const ping = "id: ping\nstart: call\nnodes:\n  call: { kind: goto, flow: pong, next: back }\n  back: { kind: say, say: [t:back] }\n";
  const pong = "id: pong\nstart: call\nnodes:\n  call: { kind: goto, flow: ping, next: back }\n  back: { kind: say, say: [t:back] }\n";
  const recursion = (limits: SetupOptions["limits"]) =>
    buildSetup({
      settings: "entry: { flow: ping }\nhome: { flow: ping }\nlanguage: { flow: ping }",
      flows: { "flows/ping.yaml": ping, "flows/pong.yaml": pong },
      limits,
      inspect: false,
    });

  it("the inspector refuses a goto recursion between two flows (so the limits below are a second guard)", () => {
    expect(() => buildSetup({ settings: "entry: { flow: ping }\nhome: { flow: ping }\nlanguage: { flow: ping }", flows: { "flows/ping.yaml": ping, "flows/pong.yaml": pong } })).toThrow(
      /loop with no question to wait on: ping\/call -> pong\/call -> ping\/call/,
    );
  });

  it("stops a goto recursion at maxCallDepth", () => {
    const result = new Chat(recursion({ maxCallDepth: 10, stepBudget: 100 })).start();
    expectClosed(result, "call_depth_exceeded");
    expect(eventsOfType(result.events, "flow_started")).toHaveLength(10);
  });

  it("stops a goto recursion at the step budget when that comes first", () => {
    const result = new Chat(recursion({ maxCallDepth: 1000, stepBudget: 30 })).start();
    expectClosed(result, "step_budget_exceeded");
  });

  const nested = (depth: number) =>
    Object.fromEntries(
      Array.from({ length: depth }, (_, index) => {
        const id = index === 0 ? "t" : `f${index}`;
        const body =
          index + 1 < depth
            ? `  call: { kind: goto, flow: f${index + 1}, next: done }\n  done: { kind: say, say: [t:done] }`
            : "  call: { kind: say, say: [t:deepest] }";
        return [`flows/${id}.yaml`, `id: ${id}\nstart: call\nnodes:\n${body}\n`];
      }),
    );

  it("stops a chain of nested flows deeper than maxCallDepth, which the inspector accepts", () => {
    const flows = nested(5);
    const setup = buildSetup({ settings, flows, limits: { maxCallDepth: 4 } });
    expectClosed(new Chat(setup).start(), "call_depth_exceeded");
    const deepEnough = buildSetup({ settings, flows, limits: { maxCallDepth: 5 } });
    const result = new Chat(deepEnough).start();
    expect(typesOf(result.events)).not.toContain("failure");
    expect(keysOf(result.events)).toEqual([["t:deepest"], ["t:done"], ["t:done"], ["t:done"], ["t:done"]]);
  });
});
