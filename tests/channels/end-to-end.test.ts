import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SeenMessage } from "./platform-people.ts";
import {
  startTelegramUnderTest,
  startZaloBotUnderTest,
  startZaloOaUnderTest,
  telegramAccount,
  zaloBotAccount,
  zaloOaAccount,
  type PlatformUnderTest,
} from "./platforms-under-test.ts";
import { waitFor, type RunningLoa, type WebhookDelivery } from "./running-loa.ts";
import { zaloBotError, zaloBotErrors } from "./zalo-bot/fake-zalo-bot-platform.ts";
import { fakeApp } from "./zalo-oa/fake-zalo-oa-platform.ts";

/**
 * Loa end to end on each platform, in one process: the platform's local fake, Loa built from configuration as
 * `npm start` builds it (webhook mode), and a person whose actions are the platform's real webhook requests.
 * Everything asserted is what the fake platform received, what Loa answered over HTTP, and what it stored.
 */

/** A content key, with the values for its placeholders if it has some. */
type Reply = string | { key: string; params: Record<string, string> };

/** The Vietnamese text of a content key, as the catalog renders it (NFC, as channels send it). */
function vi(loa: RunningLoa, reply: Reply): string {
  const { key, params } = typeof reply === "string" ? { key: reply, params: {} } : reply;
  return loa.runtime.assets.catalog.render(key, "vi", params).text.normalize("NFC");
}

/** POSTs a delivery and expects Loa to take it (200). */
async function deliver(loa: RunningLoa, delivery: WebhookDelivery): Promise<void> {
  expect(await loa.post(delivery), `POST /webhooks/${delivery.route}`).toBe(200);
}

/**
 * Waits until Loa has handled and sent everything, then checks that she received exactly the messages of
 * `keys` since `before`, in order, each once (a message contains its key's rendered text).
 */
async function expectNewMessages(platform: PlatformUnderTest, before: number, keys: readonly Reply[]): Promise<SeenMessage[]> {
  await platform.loa.settle();
  const fresh = platform.person.received().slice(before);
  expect(fresh.map((message) => message.text.normalize("NFC"))).toEqual(keys.map((key) => expect.stringContaining(vi(platform.loa, key))));
  return fresh;
}

const sonLa = "tỉnh Sơn La";
const muongBu = "xã Mường Bú";

/** The demo flow (flows/main.yaml, the place step and the child-marriage module) as content keys of what she receives. */
const replies = {
  hello: ["common:welcome", "common:privacy.about", "common:privacy.kept", "common:privacy.controls", "common:consent.prompt"],
  agree: ["common:language.prompt"],
  vietnamese: ["common:language.confirmed", "places:province_prompt"],
  province: [{ key: "places:commune_prompt", params: { province: sonLa } }],
  commune: [{ key: "places:commune_confirm", params: { place: muongBu } }],
  confirmed: [{ key: "places:saved", params: { place: muongBu, province: sonLa } }, "common:topics.prompt"],
  topic: ["child-marriage:intro", "child-marriage:quiz.question"],
  quizAnswer: ["child-marriage:quiz.correct", "child-marriage:health", "child-marriage:baby", "child-marriage:forced_quiz.question"],
  emergency: ["common:emergency.reply"],
} satisfies Record<string, readonly Reply[]>;

type PlatformName = "telegram" | "zalo-bot" | "zalo-oa";

/** How each platform shows the two-option consent menu: Telegram and Zalo OA as buttons, Zalo Bot as numbered text. */
const consentMenuShown: Record<PlatformName, (message: SeenMessage, labels: [string, string]) => void> = {
  telegram: (message, labels) => expect(message.buttons).toEqual(labels),
  "zalo-bot": (message, labels) => {
    expect(message.buttons).toEqual([]);
    expect(message.text.normalize("NFC")).toContain(`\n\n1. ${labels[0]}\n2. ${labels[1]}`);
  },
  "zalo-oa": (message, labels) => expect(message.buttons).toEqual(labels),
};

describe.each([
  ["Telegram", startTelegramUnderTest],
  ["Zalo Bot", startZaloBotUnderTest],
  ["Zalo OA", startZaloOaUnderTest],
] as const)("%s webhook, end to end", (_name, start) => {
  let platform: Awaited<ReturnType<typeof start>>;

  beforeEach(async () => {
    platform = await start();
  });
  afterEach(async () => {
    await platform.close();
  });

  it("takes a person through the demo flow, each reply delivered once and in order, and answers 'cứu tôi' with the emergency numbers", async () => {
    const { loa, person } = platform;
    const label = (key: string) => vi(loa, key);
    let seen = 0;
    const step = async (delivery: WebhookDelivery, keys: readonly Reply[]) => {
      await deliver(loa, delivery);
      const fresh = await expectNewMessages(platform, seen, keys);
      seen += fresh.length;
      return fresh;
    };

    // Her first message, then the platform redelivering it three times (as after a slow 200).
    const hello = person.types("xin chào");
    await deliver(loa, hello);
    await Promise.all([1, 2, 3].map(() => deliver(loa, hello)));
    const welcome = await expectNewMessages(platform, seen, replies.hello);
    seen += welcome.length;
    consentMenuShown[platform.name](welcome.at(-1) ?? { text: "", buttons: [] }, [label("common:consent.agree"), label("common:consent.not_now")]);

    const agree = person.chooses(label("common:consent.agree"));
    await step(agree, replies.agree);
    // A redelivered press changes nothing once handled.
    await Promise.all([1, 2, 3].map(() => deliver(loa, agree)));
    await expectNewMessages(platform, seen, []);

    await step(person.chooses("Tiếng Việt"), replies.vietnamese);
    await step(person.chooses(sonLa), replies.province);
    await step(person.types("Muong Bu"), replies.commune);
    await step(person.chooses(label("places:yes")), replies.confirmed);
    await step(person.chooses(label("common:topics.child_marriage")), replies.topic);
    await step(person.chooses(label("child-marriage:quiz.age_18")), replies.quizAnswer);
    const [emergency] = await step(person.types("cứu tôi"), replies.emergency);
    for (const number of ["111", "113", "115"]) expect(emergency?.text).toMatch(new RegExp(`\\b${number}\\b`));

    // Everything she received, from the first message to the last: in order, each once.
    const all = Object.values(replies).flat();
    expect(person.received().map((message) => message.text.normalize("NFC"))).toEqual(all.map((key) => expect.stringContaining(vi(loa, key))));
    const contact = await loa.db.contact.findUniqueOrThrow({ where: { channel_channelUserId: { channel: platform.name, channelUserId: person.channelUserId } } });
    const commune = await loa.db.place.findFirstOrThrow({ where: { name: "Mường Bú", provinceCode: "14" } });
    expect(contact).toMatchObject({ locale: "vi", provinceCode: "14", communeCode: commune.code, communeName: null, stoppedAt: null });
    expect(contact.consentedAt).not.toBeNull();
    if (platform.name === "telegram") {
      expect(platform.person.pressedQueries).toHaveLength(6);
      expect(new Set(platform.fake.answeredCallbackQueries)).toEqual(new Set(platform.person.pressedQueries));
    }
  });

  it("refuses a request with a wrong or missing secret with 401 and stores nothing", async () => {
    const { loa, person } = platform;
    const hello = person.types("xin chào");
    expect(await loa.post(person.forged(hello))).toBe(401);
    expect(await loa.post({ ...hello, headers: {} })).toBe(401);
    expect(await loa.db.inboxMessage.count()).toBe(0);
    expect(await loa.db.contact.count()).toBe(0);
    await loa.letTimePass(5_000);
    expect(await loa.db.outboxMessage.count()).toBe(0);
    expect(person.received()).toEqual([]);
    expect(await loa.metrics()).toContain(`loa_webhook_requests_total{channel="${platform.name}",outcome="unauthorized"} 2`);
  });
});

/** What she types in the scans: it must never show outside the inbox, where it is erased once handled. */
const typedText = "Mai ở bản Púng Bánh, mã 47QX";
/** Her text, and her user ids on the platforms (CONTRIBUTING: logs never hold channel user ids). */
const herData = [typedText, "Púng Bánh", "47QX", String(telegramAccount.chatId), zaloBotAccount.chatId, zaloOaAccount.userId];

/**
 * Fails when a log line, an outbox row's `lastError` or the `/metrics` page shows any of `secrets`, as given or
 * URL-encoded (a token sits in Bot API URLs).
 */
async function expectNothingShown(loa: RunningLoa, secrets: readonly string[]): Promise<void> {
  const rows = await loa.db.outboxMessage.findMany({ select: { lastError: true } });
  const places = {
    logs: loa.logs.lines.join(""),
    "outbox lastError": rows.map((row) => row.lastError ?? "").join("\n"),
    metrics: await loa.metrics(),
  };
  for (const [place, shown] of Object.entries(places)) {
    for (const secret of secrets.flatMap((value) => [value, encodeURIComponent(value)])) {
      expect(shown, `${place} shows a secret or her text`).not.toContain(secret);
    }
  }
}

/** Waits until her first outbox row has failed for good or been retried, and returns it. */
async function firstRowFailed(loa: RunningLoa) {
  return waitFor("the first outbox row to fail and be retried or given up", async () => {
    const row = await loa.db.outboxMessage.findFirst({ orderBy: { id: "asc" } });
    return row !== null && row.lastError !== null && (row.attempts >= 2 || row.status === "dead") ? row : undefined;
  });
}

const logged = (loa: RunningLoa, what: string) => loa.logs.lines.some((line) => line.includes(what));

describe("no secret and nothing she typed shows in logs, outbox errors or metrics when platform calls fail", () => {
  const started: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((platform) => platform.close()));
  });
  async function start<T extends { close(): Promise<void> }>(platform: Promise<T>): Promise<T> {
    const running = await platform;
    started.push(running);
    return running;
  }

  it("Telegram: 429, 500, 401, 403 and 400 answers, a failed button acknowledgement, a wrong token, an unreachable API", async () => {
    const secrets = [telegramAccount.token, telegramAccount.token.split(":")[1] ?? telegramAccount.token, telegramAccount.secret, ...herData];
    const failing = await start(startTelegramUnderTest());
    failing.fake.failNext(
      "sendMessage",
      { kind: "rate_limited", retryAfter: 1 },
      { kind: "server_error" },
      { kind: "error", code: 401, description: "Unauthorized" },
      { kind: "error", code: 403, description: "Forbidden: bot can't initiate conversation with a user" },
      { kind: "bad_request" },
    );
    failing.fake.failNext("answerCallbackQuery", { kind: "server_error" });
    await deliver(failing.loa, failing.person.types(typedText));
    await failing.loa.settle();
    await deliver(failing.loa, failing.person.chooses(vi(failing.loa, "common:consent.agree")));
    await deliver(failing.loa, failing.person.types(typedText));
    await failing.loa.settle();
    // Five failed calls, then every later call answered: each failure went through the dispatcher's handling.
    const sendCalls = failing.fake.calls.filter((call) => call.method === "sendMessage").length;
    expect(sendCalls - failing.fake.delivered.length).toBe(5);
    expect(await failing.loa.db.outboxMessage.count({ where: { lastError: { not: null } } })).toBeGreaterThan(0);
    expect(logged(failing.loa, "send rate-limited")).toBe(true);
    expect(logged(failing.loa, "send failed; will retry")).toBe(true);
    expect(logged(failing.loa, "message is dead")).toBe(true);
    expect(logged(failing.loa, "after-accept step failed")).toBe(true);
    await expectNothingShown(failing.loa, secrets);

    const wrongToken = "7012345678:AAE-wrong_Telegram-token_Qz8";
    const unauthorized = await start(startTelegramUnderTest({ TELEGRAM_BOT_TOKEN: wrongToken }));
    await deliver(unauthorized.loa, unauthorized.person.types(typedText));
    expect((await firstRowFailed(unauthorized.loa)).lastError).toMatch(/^channel:/);
    expect(unauthorized.fake.calls.length).toBeGreaterThan(0);
    expect(unauthorized.fake.calls.every((call) => call.token === wrongToken)).toBe(true);
    expect(unauthorized.person.received()).toEqual([]);
    await expectNothingShown(unauthorized.loa, [...secrets, wrongToken, wrongToken.split(":")[1] ?? wrongToken]);

    const unreachable = await start(startTelegramUnderTest({ TELEGRAM_API_ROOT: "http://127.0.0.1:9" }));
    await deliver(unreachable.loa, unreachable.person.types(typedText));
    expect((await firstRowFailed(unreachable.loa)).lastError).toBe("channel:transient");
    await expectNothingShown(unreachable.loa, secrets);
  });

  it("Zalo Bot: 401, 403, an HTML 500 and the 429 quota, a wrong token, an unreachable API", async () => {
    const secrets = [zaloBotAccount.token, zaloBotAccount.secret, ...herData];
    const failing = await start(startZaloBotUnderTest());
    failing.fake.fail(
      "sendMessage",
      zaloBotError(zaloBotErrors.unauthorized),
      zaloBotError(zaloBotErrors.internal),
      { kind: "raw", httpStatus: 500, body: "<html><body>500 Internal Server Error</body></html>" },
      zaloBotError(zaloBotErrors.quota),
    );
    await deliver(failing.loa, failing.person.types(typedText));
    const held = await waitFor("the quota to hold her first reply", async () => {
      const row = await failing.loa.db.outboxMessage.findFirst({ orderBy: { id: "asc" } });
      return row?.lastError === "channel:quota_exhausted" ? row : undefined;
    });
    expect(held.status).toBe("pending");
    expect(failing.fake.calls.filter((call) => call.method === "sendMessage")).toHaveLength(4);
    await expectNothingShown(failing.loa, secrets);

    const wrongToken = "1459232241:Zb-wrongZaloBot_token-Qz8";
    const unauthorized = await start(startZaloBotUnderTest({ ZALO_BOT_TOKEN: wrongToken }));
    await deliver(unauthorized.loa, unauthorized.person.types(typedText));
    expect((await firstRowFailed(unauthorized.loa)).lastError).toBe("channel:unauthorized");
    await expectNothingShown(unauthorized.loa, [...secrets, wrongToken]);

    const unreachable = await start(startZaloBotUnderTest({ ZALO_BOT_API_ROOT: "http://127.0.0.1:9" }));
    await deliver(unreachable.loa, unreachable.person.types(typedText));
    expect((await firstRowFailed(unreachable.loa)).lastError).toBe("channel:transient");
    await expectNothingShown(unreachable.loa, secrets);
  });

  it("Zalo OA: rejected access tokens, HTTP 500, the per-minute limit, a closed window, a wrong app secret, an unreachable API", async () => {
    const tokenLike = ["ACCESS-TOKEN", "REFRESH-TOKEN", "s3cr3t", fakeApp.appSecret, fakeApp.oaSecretKey, fakeApp.initialRefreshToken];
    const secrets = [...tokenLike, ...herData];
    const failing = await start(startZaloOaUnderTest());
    failing.fake.failNext(-216, 2);
    failing.fake.failNext("http500");
    failing.fake.failNext(-32);
    failing.fake.failNext(-230);
    await deliver(failing.loa, failing.person.types(typedText));
    await failing.loa.settle();
    const rows = await failing.loa.db.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((row) => [row.status, row.lastError])).toEqual([
      ["dead", "channel:window_closed"],
      ...replies.hello.slice(1).map(() => ["sent", null]),
    ]);
    expect(failing.fake.oauthCalls.filter((call) => call.answered === "rotated")).toHaveLength(2);
    expect(logged(failing.loa, "send rate-limited")).toBe(true);
    await expectNothingShown(failing.loa, secrets);

    const wrongSecret = await start(startZaloOaUnderTest({ ZALO_OA_APP_SECRET: "APP-SECRET-wrong-e2e" }));
    await deliver(wrongSecret.loa, wrongSecret.person.types(typedText));
    expect((await firstRowFailed(wrongSecret.loa)).lastError).toBe("channel:transient");
    expect(wrongSecret.fake.oauthCalls.length).toBeGreaterThan(0);
    expect(wrongSecret.fake.oauthCalls.every((call) => call.answered === "refused")).toBe(true);
    await expectNothingShown(wrongSecret.loa, [...secrets, "APP-SECRET-wrong-e2e"]);

    const unreachable = await start(startZaloOaUnderTest({ ZALO_OA_API_ROOT: "http://127.0.0.1:9" }));
    await deliver(unreachable.loa, unreachable.person.types(typedText));
    expect((await firstRowFailed(unreachable.loa)).lastError).toBe("channel:transient");
    await expectNothingShown(unreachable.loa, secrets);
  });
});

describe("a person who blocks or unfollows the bot is stopped and sent nothing more", () => {
  /** Her contact row once it is marked stopped. */
  async function stoppedContact(platform: PlatformUnderTest) {
    const address = { channel: platform.name, channelUserId: platform.person.channelUserId };
    return waitFor("her contact to be marked stopped", async () => {
      const contact = await platform.loa.db.contact.findUnique({ where: { channel_channelUserId: address } });
      return contact?.stoppedAt ? contact : undefined;
    });
  }

  /** She leaves while four of Loa's five first replies still wait; the platform redelivers the event too. */
  async function leaveWithRepliesWaiting(platform: PlatformUnderTest): Promise<void> {
    const { loa, person } = platform;
    const leaves = person.leaves();
    await deliver(loa, leaves);
    const contact = await stoppedContact(platform);
    await deliver(loa, leaves);
    loa.clock.resume();
    await loa.letTimePass(30_000);
    await loa.settle();
    expect(person.received()).toHaveLength(1);
    const rows = await loa.db.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((row) => row.status)).toEqual(["sent", "cancelled", "cancelled", "cancelled", "cancelled"]);
    const again = await loa.db.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(again.stoppedAt).toEqual(contact.stoppedAt);
    expect(await loa.db.engagementEvent.count({ where: { kind: "blocked_bot" } })).toBe(1);
  }

  it("Telegram: a my_chat_member update with status 'kicked'", async () => {
    const platform = await startTelegramUnderTest();
    try {
      const { loa, person } = platform;
      // With Loa's clock stopped, Telegram's one-second spacing per chat holds every reply after the first.
      loa.clock.freeze();
      await deliver(loa, person.types("xin chào"));
      await waitFor("her first reply", () => person.received().length === 1);
      await waitFor("the other replies to wait", async () => (await loa.db.outboxMessage.count({ where: { status: "pending" } })) === 4);
      await leaveWithRepliesWaiting(platform);
    } finally {
      await platform.close();
    }
  });

  it("Zalo OA: an unfollow event", async () => {
    const platform = await startZaloOaUnderTest();
    try {
      const { fake, loa, person } = platform;
      // The second send fails with HTTP 500; with Loa's clock stopped its retry, and the rest, wait.
      loa.clock.freeze();
      fake.deliverNext(1);
      fake.failNext("http500");
      await deliver(loa, person.types("xin chào"));
      await waitFor("her first reply and a failed second", async () => (await loa.db.outboxMessage.count({ where: { status: "pending", lastError: "channel:transient" } })) === 1);
      expect(await loa.db.outboxMessage.count({ where: { status: "pending" } })).toBe(4);
      await leaveWithRepliesWaiting(platform);
      expect(fake.sends).toHaveLength(2);
    } finally {
      await platform.close();
    }
  });
});
