import { describe, expect, it } from "vitest";
import type { EngineSetup } from "../../src/engine/flow-definition.ts";
import type { DangerSign, QuestionLookup, QuestionMatch } from "../../src/engine/question-lookup.ts";
import { Chat, chatAtHome, choice, eventsOfType, keysOf, standardSetup, typesOf } from "./engine-fixture.ts";

/**
 * Free text the waiting question does not expect, through a fake question index: the engine decides where
 * text may be a question and what to say; finding the answer is the index's business (tests/questions).
 */

const answered: QuestionMatch = { kind: "answer", topic: "violence", keys: ["violence:rights.1", "violence:rights.2"] };

/** A fake index: `match` answers every text with `found`; `danger` flags texts that contain "DANGER". */
function fakeQuestions(found: QuestionMatch, hostedModel = false): QuestionLookup & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    hostedModel,
    danger: (text): DangerSign | null => (text.includes("DANGER") ? { topic: "safe-birth", sign: "test-sign" } : null),
    match(text) {
      asked.push(text);
      return found;
    },
  };
}

function setupWith(questions: QuestionLookup): EngineSetup {
  return { ...standardSetup(), questions };
}

const homeMenu = ["common:home.prompt"];
const intro = "common:questions.intro";

describe("a question at a menu", () => {
  it("answers from the approved messages, then asks the menu again without counting a wrong answer", () => {
    const chat = chatAtHome(setupWith(fakeQuestions(answered)));
    const result = chat.send("chồng tôi hay chửi tôi có sao không");
    expect(keysOf(result.events)).toEqual([[intro, "violence:rights.1", "violence:rights.2"], homeMenu]);
    expect(eventsOfType(result.events, "question_answered")).toEqual([{ type: "question_answered", topic: "violence", keys: answered.keys }]);
    expect(typesOf(result.events)).not.toContain("input_rejected");
    expect(chat.at).toBe("main/home");
    expect(chat.state?.stack.at(-1)?.attempts).toBe(0);
  });

  it("says kindly that there is no answer when the text reads as a question", () => {
    const chat = chatAtHome(setupWith(fakeQuestions({ kind: "unmatched", questionLike: true })));
    const result = chat.send("giá lúa hôm nay bao nhiêu?");
    expect(keysOf(result.events)).toEqual([["common:questions.no_match"], homeMenu]);
    expect(typesOf(result.events)).toContain("question_unmatched");
  });

  it("asks again, as before, when unmatched text does not read as a question", () => {
    const chat = chatAtHome(setupWith(fakeQuestions({ kind: "unmatched", questionLike: false })));
    const result = chat.send("hôm nay trời đẹp");
    expect(typesOf(result.events)).toContain("input_rejected");
    expect(keysOf(result.events)).toEqual([["common:home.reprompt", ...homeMenu]]);
  });

  it("still takes an option typed or tapped, without asking the index", () => {
    const questions = fakeQuestions(answered);
    const chat = chatAtHome(setupWith(questions));
    chat.send("Bạo lực gia đình");
    expect(chat.at).toBe("violence/quiz");
    expect(questions.asked).toEqual([]);
  });

  it("treats a stale button as a stale button, not as a question", () => {
    const questions = fakeQuestions(answered);
    const chat = chatAtHome(setupWith(questions));
    const result = chat.send(choice("violence", "main/consent"));
    expect(typesOf(result.events)).toContain("input_rejected");
    expect(questions.asked).toEqual([]);
  });
});

describe("a question at other waits", () => {
  it("answers at a quiz, then asks the quiz again", () => {
    const chat = chatAtHome(setupWith(fakeQuestions(answered)));
    chat.send(choice("violence"));
    const result = chat.send("ai giúp được tôi?");
    expect(keysOf(result.events)).toEqual([[intro, ...answered.keys], ["violence:quiz.q"]]);
    expect(chat.at).toBe("violence/quiz");
  });

  it("never takes an ask node's free answer for a question", () => {
    const questions = fakeQuestions(answered);
    const chat = chatAtHome(setupWith(questions));
    chat.send(choice("place"));
    const result = chat.send("Mường Bú có sao không");
    expect(eventsOfType(result.events, "contact_field_set")).toEqual([{ type: "contact_field_set", field: "communeName", value: "Mường Bú có sao không" }]);
    expect(questions.asked).toEqual([]);
  });

  it("answers nothing before consent: she has not yet read what Loa does with what she writes", () => {
    const questions = fakeQuestions(answered);
    const chat = new Chat(setupWith(questions));
    chat.start();
    const result = chat.send("đẻ ở nhà được không?");
    expect(typesOf(result.events)).toContain("input_rejected");
    expect(questions.asked).toEqual([]);
  });

  it("answers when the conversation had ended and then shows the home menu; anything else starts as before", () => {
    const chat = chatAtHome(setupWith(fakeQuestions(answered)));
    chat.state = null;
    const result = chat.send("đẻ ở nhà được không?");
    expect(keysOf(result.events)).toEqual([[intro, ...answered.keys], homeMenu]);

    const unmatched = chatAtHome(setupWith(fakeQuestions({ kind: "unmatched", questionLike: true })));
    unmatched.state = null;
    expect(keysOf(unmatched.send("xin chào").events)[0]).toEqual(["common:welcome"]);
  });
});

describe("danger in free text", () => {
  /** Conversations in every kind of state, each about to receive a message with a danger sign. */
  const situations: Array<[string, (setup: EngineSetup) => Chat]> = [
    ["at a menu", (setup) => chatAtHome(setup)],
    [
      "at an ask",
      (setup) => {
        const chat = chatAtHome(setup);
        chat.send(choice("place"));
        return chat;
      },
    ],
    [
      "before consent",
      (setup) => {
        const chat = new Chat(setup);
        chat.start();
        return chat;
      },
    ],
    ["with no session", (setup) => new Chat(setup)],
  ];

  it.each(situations)("is answered at once with what to do and the emergency numbers, %s, and the conversation stays", (_, make) => {
    const questions = fakeQuestions(answered);
    const chat = make(setupWith(questions));
    const before = chat.at;
    const result = chat.send("vợ tôi DANGER quá");
    expect(eventsOfType(result.events, "urgency_detected")).toEqual([{ type: "urgency_detected", topic: "safe-birth", sign: "test-sign" }]);
    expect(typesOf(result.events)).toEqual(expect.arrayContaining(["emergency_answered", "help_shown"]));
    expect(result.events.filter((event) => event.type === "message_created")).toEqual([
      { type: "message_created", message: { keys: ["common:questions.urgent.safe_birth", "common:emergency.reply"], help: "emergency" } },
    ]);
    expect(chat.at).toBe(before);
    expect(questions.asked).toEqual([]);
  });

  it("leaves the keyword triggers first: an emergency keyword is answered without a danger lead", () => {
    const chat = chatAtHome(setupWith(fakeQuestions(answered)));
    const result = chat.send("cứu tôi DANGER");
    expect(typesOf(result.events)).not.toContain("urgency_detected");
    expect(keysOf(result.events)).toEqual([["common:emergency.reply"]]);
  });
});

describe("the questions-hosted setting", () => {
  const flows = {
    "flows/main.yaml": `
id: main
start: check
nodes:
  check:
    kind: branch
    cases:
      - when: { setting: questions-hosted, equals: true }
        next: hosted
    otherwise: local
  hosted:
    kind: say
    say: [common:privacy.hosted]
    next: home
  local:
    kind: say
    say: [common:privacy.local]
    next: home
  home:
    kind: menu
    prompt: common:home.prompt
    options:
      - { id: again, label: common:home.place, next: check }
`,
  };

  it("lets a flow say that questions leave the server only when a hosted model is configured", () => {
    const hosted = new Chat({ ...standardSetup({ flows }), questions: fakeQuestions(answered, true) });
    expect(keysOf(hosted.start().events)[0]).toEqual(["common:privacy.hosted"]);
    const local = new Chat({ ...standardSetup({ flows }), questions: fakeQuestions(answered, false) });
    expect(keysOf(local.start().events)[0]).toEqual(["common:privacy.local"]);
    const none = new Chat(standardSetup({ flows }));
    expect(keysOf(none.start().events)[0]).toEqual(["common:privacy.local"]);
  });
});
