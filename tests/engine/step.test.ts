import { describe, expect, it } from "vitest";
import type { EngineInput } from "../../src/engine/engine-input.ts";
import { step } from "../../src/engine/step.ts";
import {
  Chat,
  chatAtHome,
  choice,
  eventsOfType,
  keysOf,
  messagesOf,
  standardSetup,
  startTime,
  typesOf,
} from "./engine-fixture.ts";

const emergencyReply = [{ keys: ["common:emergency.reply"], help: "emergency" }];
const homeMenu = {
  keys: ["common:home.prompt"],
  options: [
    { id: "violence", label: "common:home.violence" },
    { id: "place", label: "common:home.place" },
  ],
};

describe("starting a conversation", () => {
  it("runs the entry flow up to its first question and waits there", () => {
    const chat = new Chat(standardSetup());
    const result = chat.start();
    expect(keysOf(result.events)).toEqual([["common:welcome"], ["common:consent.ask"]]);
    expect(chat.at).toBe("main/consent");
    expect(result.state?.expiresAt).toBe(new Date(startTime.getTime() + 72 * 3_600_000).toISOString());
  });
});

describe("emergency", () => {
  /** Conversations in every kind of state, each about to receive an emergency message. */
  const situations: Array<[string, () => Chat]> = [
    ["waiting at a menu", () => chatAtHome()],
    [
      "waiting at an ask",
      () => {
        const chat = chatAtHome();
        chat.send(choice("place"));
        return chat;
      },
    ],
    [
      "during a pending deletion",
      () => {
        const chat = chatAtHome();
        chat.send("xóa dữ liệu");
        return chat;
      },
    ],
    ["with no session", () => new Chat(standardSetup())],
    [
      "for a stopped contact",
      () => {
        const chat = chatAtHome();
        chat.send("dừng");
        return chat;
      },
    ],
  ];

  for (const [situation, open] of situations) {
    it(`is answered inside a sentence ${situation}, with one message and the waiting state kept`, () => {
      const chat = open();
      const before = chat.state;
      const result = chat.send("Chị ơi, chong toi đánh tôi, em sợ lắm");
      expect(messagesOf(result.events)).toEqual(emergencyReply);
      expect(typesOf(result.events)).toContain("emergency_answered");
      expect(eventsOfType(result.events, "help_shown")).toEqual([{ type: "help_shown", scope: "emergency" }]);
      expect(typesOf(result.events)).not.toContain("input_rejected");
      expect(result.state?.stack ?? null).toEqual(before?.stack ?? null);
      expect(result.state?.pendingDeletion ?? false).toBe(before?.pendingDeletion ?? false);
    });
  }

  it("leaves the question open so she can carry on answering it", () => {
    const chat = chatAtHome();
    chat.send("cứu tôi");
    const result = chat.send(choice("place"));
    expect(eventsOfType(result.events, "option_chosen")).toHaveLength(1);
    expect(chat.at).toBe("main/ask-commune");
  });

  it("a stopped contact in danger is also opted back in", () => {
    const chat = chatAtHome();
    chat.send("dừng");
    const result = chat.send("cứu");
    expect(typesOf(result.events)).toContain("opted_in");
    expect(result.contact.stopped).toBe(false);
    expect(result.state).toBeNull();
  });
});

describe("stop", () => {
  it("ends the conversation and marks the contact stopped", () => {
    const chat = chatAtHome();
    const result = chat.send("DUNG");
    expect(result.state).toBeNull();
    expect(result.contact.stopped).toBe(true);
    expect(typesOf(result.events)).toContain("opted_out");
    expect(keysOf(result.events)).toEqual([["common:stop.confirmed"]]);
  });

  it("is not triggered by a sentence that contains the word", () => {
    const chat = chatAtHome();
    const result = chat.send("tôi không muốn dừng học");
    expect(result.contact.stopped).toBe(false);
    expect(typesOf(result.events)).toContain("input_rejected");
    expect(chat.at).toBe("main/home");
  });

  it("a stopped contact who writes again is opted in and welcomed back at the entry", () => {
    const chat = chatAtHome();
    chat.send("stop");
    const result = chat.send("xin chào");
    expect(typesOf(result.events)).toContain("opted_in");
    expect(result.contact.stopped).toBe(false);
    expect(keysOf(result.events)).toEqual([["common:optin.welcome_back"], ["common:welcome"], ["common:consent.ask"]]);
    expect(chat.at).toBe("main/consent");
  });

  it("a contact who never stopped is not 'opted in' again", () => {
    const chat = chatAtHome();
    expect(typesOf(chat.send("xin chào").events)).not.toContain("opted_in");
  });
});

describe("delete my data", () => {
  const asked = () => {
    const chat = chatAtHome();
    const result = chat.send("XÓA DỮ LIỆU".normalize("NFD"));
    return { chat, result };
  };

  it("asks for confirmation with yes and no options, keeping the conversation's place", () => {
    const { chat, result } = asked();
    expect(typesOf(result.events)).toContain("data_deletion_requested");
    expect(messagesOf(result.events)).toEqual([
      {
        keys: ["common:delete.confirm"],
        options: [
          { id: "yes", label: "common:delete.yes" },
          { id: "no", label: "common:delete.no" },
        ],
      },
    ]);
    expect(chat.state?.pendingDeletion).toBe(true);
    expect(chat.at).toBe("main/home");
    expect(typesOf(result.events)).not.toContain("data_deletion_confirmed");
  });

  for (const confirm of ["có", "CO", "yes", choice("yes")] as Array<string | EngineInput>) {
    it(`is confirmed by ${JSON.stringify(confirm)}: the conversation ends`, () => {
      const { chat } = asked();
      const result = chat.send(confirm);
      expect(typesOf(result.events)).toContain("data_deletion_confirmed");
      expect(keysOf(result.events)).toEqual([["common:delete.done"]]);
      expect(result.state).toBeNull();
    });
  }

  for (const other of ["không", choice("no"), "2", "có lẽ"] as Array<string | EngineInput>) {
    it(`is cancelled by ${JSON.stringify(other)}, which repeats the waiting question and is not applied to it`, () => {
      const { chat } = asked();
      const result = chat.send(other);
      expect(typesOf(result.events)).toContain("data_deletion_cancelled");
      expect(typesOf(result.events)).not.toContain("data_deletion_confirmed");
      expect(typesOf(result.events)).not.toContain("option_chosen");
      expect(messagesOf(result.events)).toEqual([{ keys: ["common:delete.cancelled"] }, homeMenu]);
      expect(chat.state?.pendingDeletion).toBe(false);
      expect(chat.at).toBe("main/home");
      // The question works again afterwards.
      expect(eventsOfType(chat.send("2").events, "option_chosen")).toHaveLength(1);
    });
  }

  it("outside any flow, asks and confirms with no stack", () => {
    const chat = new Chat(standardSetup());
    chat.send("delete my data");
    expect(chat.state).toMatchObject({ stack: [], pendingDeletion: true });
    expect(typesOf(chat.send("yes").events)).toContain("data_deletion_confirmed");
    expect(chat.state).toBeNull();
  });
});

describe("language and home", () => {
  it("language resets the stack, runs the language flow, then returns to home", () => {
    const chat = chatAtHome();
    chat.send(choice("violence"));
    expect(chat.state?.stack.map((frame) => frame.flowId)).toEqual(["main", "violence"]);
    const result = chat.send("Ngôn ngữ");
    expect(keysOf(result.events)).toEqual([["common:lang.prompt"]]);
    expect(chat.state?.stack.map((frame) => `${frame.flowId}/${frame.nodeId}`)).toEqual(["main/home", "language/choose"]);
    const chosen = chat.send("English");
    expect(eventsOfType(chosen.events, "contact_field_set")).toEqual([{ type: "contact_field_set", field: "locale", value: "en" }]);
    expect(chosen.contact.locale).toBe("en");
    expect(keysOf(chosen.events)).toEqual([["common:home.prompt"]]);
    expect(chat.at).toBe("main/home");
  });

  it("before consent, home and language lead back to the entry, so no keyword skips the consent question", () => {
    const chat = new Chat(standardSetup());
    chat.start();
    const home = chat.send("menu");
    expect(keysOf(home.events)).toEqual([["common:welcome"], ["common:consent.ask"]]);
    expect(chat.at).toBe("main/consent");
    chat.send("language");
    expect(chat.state?.stack.map((frame) => `${frame.flowId}/${frame.nodeId}`)).toEqual(["main/welcome", "language/choose"]);
    const chosen = chat.send("2");
    expect(keysOf(chosen.events)).toEqual([["common:welcome"], ["common:consent.ask"]]);
    expect(chosen.contact).toMatchObject({ locale: "en", consented: false });
  });

  it("home resets the stack to the home menu from inside another flow", () => {
    const chat = chatAtHome();
    chat.send(choice("violence"));
    const result = chat.send("trang chu");
    expect(messagesOf(result.events)).toEqual([homeMenu]);
    expect(chat.state?.stack.map((frame) => `${frame.flowId}/${frame.nodeId}`)).toEqual(["main/home"]);
    expect(typesOf(result.events)).not.toContain("quiz_answered");
  });
});

describe("help", () => {
  it("sends help and repeats the waiting question, without counting an attempt", () => {
    const chat = chatAtHome();
    chat.send(choice("place"));
    const before = chat.state;
    const result = chat.send("trợ giúp");
    expect(eventsOfType(result.events, "help_shown")).toEqual([{ type: "help_shown", scope: "help" }]);
    expect(messagesOf(result.events).map((message) => [message.keys, message.help])).toEqual([
      [["common:help.intro"], "help"],
      [["common:commune.ask"], undefined],
    ]);
    expect(chat.state?.stack).toEqual(before?.stack);
    expect(typesOf(result.events)).not.toContain("input_rejected");
  });
});

describe("wait expiry", () => {
  it("restarts an expired conversation at home for a consented contact, without applying the input", () => {
    const chat = chatAtHome();
    chat.send(choice("violence"));
    expect(chat.at).toBe("violence/quiz");
    chat.wait(73);
    const result = chat.send("1");
    expect(typesOf(result.events)).toContain("session_expired");
    expect(typesOf(result.events)).not.toContain("quiz_answered");
    expect(keysOf(result.events)).toEqual([["common:session.expired"], ["common:home.prompt"]]);
    expect(chat.at).toBe("main/home");
    expect(chat.state?.stack).toHaveLength(1);
    expect(result.state?.expiresAt).toBe(new Date(chat.now.getTime() - 1000 + 72 * 3_600_000).toISOString());
  });

  it("restarts at the entry for a contact who has not consented", () => {
    const chat = new Chat(standardSetup());
    chat.start();
    chat.wait(72);
    const result = chat.send("1");
    expect(keysOf(result.events)).toEqual([["common:session.expired"], ["common:welcome"], ["common:consent.ask"]]);
    expect(typesOf(result.events)).not.toContain("option_chosen");
    expect(result.contact.consented).toBe(false);
  });

  it("applies the same answer when the wait has not expired", () => {
    const chat = chatAtHome();
    chat.send(choice("violence"));
    chat.wait(71);
    const result = chat.send("1");
    expect(typesOf(result.events)).not.toContain("session_expired");
    expect(eventsOfType(result.events, "quiz_answered")).toHaveLength(1);
  });

  it("expires exactly at expiresAt, not a millisecond before", () => {
    const atHome = chatAtHome();
    const expiresAt = Date.parse(atHome.state?.expiresAt ?? "");
    const justBefore = new Chat(atHome.setup, { contact: atHome.contact, state: atHome.state, now: new Date(expiresAt - 1) });
    expect(typesOf(justBefore.send("1").events)).not.toContain("session_expired");
    const atExpiry = new Chat(atHome.setup, { contact: atHome.contact, state: atHome.state, now: new Date(expiresAt) });
    expect(typesOf(atExpiry.send("1").events)).toContain("session_expired");
  });

  it("uses the configured waitHours for the new expiry", () => {
    const setup = standardSetup({ settings: "entry: { flow: main }\nhome: { flow: main, node: home }\nlanguage: { flow: language }\nwaitHours: 2" });
    const chat = new Chat(setup);
    const result = chat.start();
    expect(result.state?.expiresAt).toBe(new Date(startTime.getTime() + 2 * 3_600_000).toISOString());
    chat.wait(2);
    expect(typesOf(chat.send("1").events)).toContain("session_expired");
  });
});

describe("determinism", () => {
  const script: Array<string | EngineInput> = [
    { kind: "start" },
    "Đồng ý",
    "số 1",
    "2",
    "trợ giúp",
    choice("place"),
    "Xã Pà Cò",
    "cứu tôi",
    "ngon ngu",
    "Tiếng Anh",
    "delete my data",
    "no",
  ];

  const play = () => {
    const chat = new Chat(standardSetup());
    return script.map((input) => chat.send(input));
  };

  it("gives deep-equal results when a conversation is replayed", () => {
    const first = play();
    const second = play();
    expect(second).toEqual(first);
    expect(first.flatMap((result) => typesOf(result.events))).toContain("quiz_answered");
    expect(first.at(-1)?.state).not.toBeNull();
  });

  it("does not change the state, contact or input it is given", () => {
    const chat = chatAtHome();
    chat.send(choice("place"));
    const request = { contact: chat.contact, state: chat.state, input: { kind: "text" as const, text: "Xã Pà Cò" }, now: chat.now };
    const frozen = structuredClone(request);
    const first = step(chat.setup, request);
    const second = step(chat.setup, request);
    expect(request).toEqual(frozen);
    expect(second).toEqual(first);
    expect(first.contact.communeName).toBe("Xã Pà Cò");
  });
});

describe("hostile input never throws", () => {
  const inputs: Array<[string, string]> = [
    ["a 10,000-character message", "ừm ".repeat(3_334).slice(0, 10_000)],
    ["an emoji-only message", "😀🙏🏽👩‍👧"],
    ["a zero-width-only message", "\u200B\u200C\u200D\u2060\uFEFF"],
    ["an empty message", ""],
  ];

  for (const [what, typed] of inputs) {
    it(`${what} at a menu is rejected and the menu asked again`, () => {
      const chat = chatAtHome();
      const result = chat.send(typed);
      expect(typesOf(result.events)).toContain("input_rejected");
      expect(chat.at).toBe("main/home");
      expect(chat.state?.stack.at(-1)?.attempts).toBe(1);
    });

    it(`${what} at an ask does not throw`, () => {
      const chat = chatAtHome();
      chat.send(choice("place"));
      const result = chat.send(typed);
      if (what === "an emoji-only message") {
        // Emoji are text, so a free-text question takes them (with the zero-width joiners cleaned out).
        expect(eventsOfType(result.events, "contact_field_set")).toEqual([
          { type: "contact_field_set", field: "communeName", value: "😀🙏🏽👩 👧" },
        ]);
        expect(chat.at).toBe("main/home");
        return;
      }
      expect(typesOf(result.events)).toContain("input_rejected");
      expect(typesOf(result.events)).not.toContain("contact_field_set");
      expect(chat.at).toBe("main/ask-commune");
    });
  }
});
