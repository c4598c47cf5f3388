import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SeenMessage } from "./platform-people.ts";
import {
  startTelegramUnderTest,
  startZaloBotUnderTest,
  startZaloOaUnderTest,
  type PlatformUnderTest,
} from "./platforms-under-test.ts";
import type { RunningLoa, WebhookDelivery } from "./running-loa.ts";

/**
 * Loa end to end on each platform, in one process: the platform's local fake, Loa built from configuration as
 * `npm start` builds it (webhook mode), and a person whose actions are the platform's real webhook requests.
 * Everything asserted is what the fake platform received, what Loa answered over HTTP, and what it stored.
 */

/** The Vietnamese text of a content key, as the catalog renders it (NFC, as channels send it). */
function vi(loa: RunningLoa, key: string): string {
  return loa.runtime.assets.catalog.render(key, "vi").text.normalize("NFC");
}

/** POSTs a delivery and expects Loa to take it (200). */
async function deliver(loa: RunningLoa, delivery: WebhookDelivery): Promise<void> {
  expect(await loa.post(delivery), `POST /webhooks/${delivery.route}`).toBe(200);
}

/**
 * Waits until Loa has handled and sent everything, then checks that she received exactly the messages of
 * `keys` since `before`, in order, each once (a message contains its key's rendered text).
 */
async function expectNewMessages(platform: PlatformUnderTest, before: number, keys: readonly string[]): Promise<SeenMessage[]> {
  await platform.loa.settle();
  const fresh = platform.person.received().slice(before);
  expect(fresh.map((message) => message.text.normalize("NFC"))).toEqual(keys.map((key) => expect.stringContaining(vi(platform.loa, key))));
  return fresh;
}

/** The demo flow (flows/main.yaml and the child-marriage module) as content keys of what she receives. */
const replies = {
  hello: ["common:welcome", "common:privacy.about", "common:privacy.kept", "common:privacy.controls", "common:consent.prompt"],
  agree: ["common:language.prompt"],
  vietnamese: ["common:language.confirmed", "common:place.prompt"],
  province: ["common:place.commune_prompt"],
  commune: ["common:topics.prompt"],
  topic: ["child-marriage:intro", "child-marriage:quiz.question"],
  quizAnswer: ["child-marriage:quiz.correct", "child-marriage:health", "child-marriage:forced", "child-marriage:help_intro", "common:topics.again_prompt"],
  emergency: ["common:emergency.reply"],
} as const;

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
    const step = async (delivery: WebhookDelivery, keys: readonly string[]) => {
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

    await step(person.chooses(label("common:language.option_vi")), replies.vietnamese);
    await step(person.chooses(label("common:place.son_la")), replies.province);
    await step(person.types("Chiềng Sơn"), replies.commune);
    await step(person.chooses(label("common:topics.child_marriage")), replies.topic);
    await step(person.chooses(label("child-marriage:quiz.age_18")), replies.quizAnswer);
    const [emergency] = await step(person.types("cứu tôi"), replies.emergency);
    for (const number of ["111", "113", "115"]) expect(emergency?.text).toMatch(new RegExp(`\\b${number}\\b`));

    // Everything she received, from the first message to the last: in order, each once.
    const all = Object.values(replies).flat();
    expect(person.received().map((message) => message.text.normalize("NFC"))).toEqual(all.map((key) => expect.stringContaining(vi(loa, key))));
    const contact = await loa.db.contact.findUniqueOrThrow({ where: { channel_channelUserId: { channel: platform.name, channelUserId: person.channelUserId } } });
    expect(contact).toMatchObject({ locale: "vi", provinceCode: "son-la", communeName: "Chiềng Sơn", stoppedAt: null });
    expect(contact.consentedAt).not.toBeNull();
    if (platform.name === "telegram") {
      expect(platform.person.pressedQueries).toHaveLength(5);
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
