import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ZaloOaAdapterOptions } from "../../../src/channels/zalo-oa/zalo-oa-adapter.ts";
import type { ZaloOaTokenStore } from "../../../src/channels/zalo-oa/zalo-oa-tokens.ts";
import type { ReceivedMessage } from "../channel-contract.ts";

/** What the fake's app is configured with; the secrets are distinctive so leak checks can search for them. */
export const fakeApp = {
  appId: "360846524940903967",
  appSecret: "APP-SECRET-k3Jq9ZxPw7",
  oaId: "388613280879808645",
  oaSecretKey: "OA-SECRET-KEY-m2Vn8RtQ",
  initialRefreshToken: "REFRESH-TOKEN-0-initial",
};

/** A failure the fake answers the next send with: a Zalo `error` number (HTTP 200) or an HTTP 500. */
export type FakeFailure = number | "http500";

/** The `attachment.payload` of a consultation message: buttons under a text, or the media template with a picture. */
export type FakeAttachmentPayload = {
  buttons?: Array<{ type: string; title: string; payload: unknown }>;
  template_type?: string;
  elements?: Array<{ media_type?: string; url?: string; attachment_id?: string }>;
};

/** One `POST /v3.0/oa/message/cs` as the fake saw it. */
export type FakeSend = {
  accessToken: string | undefined;
  contentType: string | undefined;
  userId: string | undefined;
  message: { text?: string; attachment?: { type: string; payload: FakeAttachmentPayload } };
  answered: number | "http500";
};

/** One `POST /v4/oa/access_token` as the fake saw it. */
export type FakeOauthCall = {
  secretKey: string | undefined;
  contentType: string | undefined;
  appId: string | null;
  grantType: string | null;
  refreshToken: string | null;
  answered: "rotated" | "refused";
};

/**
 * A local Zalo OA: the Open API (`/v3.0/oa/message/cs`) and the OAuth v4 endpoint on two HTTP servers, in the
 * documented wire format (docs/zalo-platform.md §2.2–2.4, 2.9). Errors come as HTTP 200 with `error != 0`.
 * A picture is the media template with one `image` element carrying a `url` or `attachment_id`; a media
 * template of another shape is refused with -201 (invalid field), as Zalo refuses a malformed request.
 * Refresh tokens are single-use and rotate; access tokens are valid until `expireAccessTokens` (then -220).
 */
export async function startFakeZaloOaPlatform() {
  const sends: FakeSend[] = [];
  const oauthCalls: FakeOauthCall[] = [];
  const scripted: Array<FakeFailure | "deliver"> = [];
  const validAccessTokens = new Set<string>();
  const expiredAccessTokens = new Set<string>();
  let currentRefreshToken = fakeApp.initialRefreshToken;
  let rotations = 0;
  let messageIds = 0;
  const settings = {
    /** `expires_in` the OAuth endpoint answers with, a string of seconds as documented. */
    expiresIn: "90000",
    /** How long the OAuth endpoint takes to answer, so concurrent refreshes overlap. */
    oauthDelayMs: 20,
    /** Called as an OAuth request arrives, with the refresh token it spends. */
    onOauthCall: (_refreshToken: string | null): void => undefined,
    /** Called as a send arrives, with the access token it carries. */
    onSend: (_accessToken: string | undefined): void => undefined,
    /** When true, the OAuth endpoint refuses every refresh (as with a revoked app). */
    refuseOauth: false,
  };

  const api = createServer((request, response) => {
    void handleApi(request, response);
  });
  const oauth = createServer((request, response) => {
    void handleOauth(request, response);
  });

  async function handleApi(request: IncomingMessage, response: ServerResponse) {
    const raw = await readBody(request);
    if (request.method !== "POST" || request.url !== "/v3.0/oa/message/cs") return json(response, 404, { error: 404, message: "Not found" });
    const accessToken = header(request, "access_token");
    const body = JSON.parse(raw) as { recipient?: { user_id?: string }; message?: FakeSend["message"] };
    const next = scripted.shift();
    const failure = next === "deliver" ? undefined : next;
    settings.onSend(accessToken);
    const answer: number | "http500" =
      failure ??
      (accessToken !== undefined && expiredAccessTokens.has(accessToken)
        ? -220
        : accessToken === undefined || !validAccessTokens.has(accessToken)
          ? -216
          : isMalformedMedia(body.message)
            ? -201
            : 0);
    sends.push({ accessToken, contentType: header(request, "content-type"), userId: body.recipient?.user_id, message: body.message ?? {}, answered: answer });
    if (answer === "http500") return json(response, 500, { message: "Internal Server Error" });
    if (answer !== 0) return json(response, 200, { error: answer, message: `fake error ${answer}` });
    messageIds += 1;
    return json(response, 200, {
      data: { quota: { quota_type: "reply", remain: "8", total: "8" }, message_id: `msg${messageIds}`, user_id: body.recipient?.user_id, sent_time: "1626926349402" },
      error: 0,
      message: "Success",
    });
  }

  async function handleOauth(request: IncomingMessage, response: ServerResponse) {
    const raw = await readBody(request);
    if (request.method !== "POST" || request.url !== "/v4/oa/access_token") return json(response, 404, { error: 404, message: "Not found" });
    const form = new URLSearchParams(raw);
    const call: FakeOauthCall = {
      secretKey: header(request, "secret_key"),
      contentType: header(request, "content-type"),
      appId: form.get("app_id"),
      grantType: form.get("grant_type"),
      refreshToken: form.get("refresh_token"),
      answered: "refused",
    };
    oauthCalls.push(call);
    settings.onOauthCall(call.refreshToken);
    await new Promise((resolve) => setTimeout(resolve, settings.oauthDelayMs));
    const valid =
      !settings.refuseOauth &&
      call.secretKey === fakeApp.appSecret &&
      call.contentType === "application/x-www-form-urlencoded" &&
      call.appId === fakeApp.appId &&
      call.grantType === "refresh_token" &&
      call.refreshToken === currentRefreshToken;
    if (!valid) return json(response, 200, { error: -14014, error_name: "Invalid refresh token", error_reason: "" });
    call.answered = "rotated";
    rotations += 1;
    const accessToken = `ACCESS-TOKEN-${rotations}-s3cr3t`;
    currentRefreshToken = `REFRESH-TOKEN-${rotations}-s3cr3t`;
    validAccessTokens.add(accessToken);
    return json(response, 200, { access_token: accessToken, refresh_token: currentRefreshToken, expires_in: settings.expiresIn });
  }

  await Promise.all([listen(api), listen(oauth)]);

  return {
    apiRoot: rootOf(api),
    oauthRoot: rootOf(oauth),
    settings,
    sends,
    oauthCalls,
    /** Sends Zalo accepted, in order. */
    delivered: () => sends.filter((send) => send.answered === 0),
    /** Pictures Zalo accepted (media template sends), in order, each with its URL. */
    images: () =>
      sends
        .filter((send) => send.answered === 0 && send.message.attachment?.payload.template_type === "media")
        .map((send) => ({ userId: send.userId, url: send.message.attachment?.payload.elements?.[0]?.url })),
    /** What people received as text, for the channel contract: each accepted text send with its button titles. */
    received: (): ReceivedMessage[] =>
      sends
        .filter((send) => send.answered === 0 && send.message.text !== undefined)
        .map((send) => ({ to: send.userId ?? "", text: send.message.text ?? "", options: (send.message.attachment?.payload.buttons ?? []).map((b) => b.title) })),
    /** The next sends get these answers instead of being delivered. */
    failNext(failure: FakeFailure, count = 1) {
      for (let i = 0; i < count; i += 1) scripted.push(failure);
    },
    /** The next sends are handled normally; queue this before `failNext` to fail a later send. */
    deliverNext(count = 1) {
      for (let i = 0; i < count; i += 1) scripted.push("deliver");
    },
    /** Every access token issued so far now answers -220 (expired). */
    expireAccessTokens() {
      for (const token of validAccessTokens) expiredAccessTokens.add(token);
      validAccessTokens.clear();
    },
    /** Accepts an access token minted elsewhere (a pair seeded into the token store). */
    acceptAccessToken(token: string, refreshToken?: string) {
      validAccessTokens.add(token);
      if (refreshToken !== undefined) currentRefreshToken = refreshToken;
    },
    /** The refresh token the OAuth endpoint will accept next. */
    currentRefreshToken: () => currentRefreshToken,
    async close() {
      await Promise.all([close(api), close(oauth)]);
    },
  };
}

export type FakeZaloOaPlatform = Awaited<ReturnType<typeof startFakeZaloOaPlatform>>;

/** The `X-ZEvent-Signature` Zalo puts on a webhook: `mac=` + SHA-256(first + raw body + timestamp + OA secret key). */
export function signZaloOaEvent(rawBody: string, options: { first: string; oaSecretKey?: string }): string {
  const timestamp = (JSON.parse(rawBody) as { timestamp: string | number }).timestamp;
  const hex = createHash("sha256")
    .update(options.first + rawBody + String(timestamp) + (options.oaSecretKey ?? fakeApp.oaSecretKey))
    .digest("hex");
  return `mac=${hex}`;
}

/** A media template that is not exactly one image element with a URL or an attachment id. */
function isMalformedMedia(message: FakeSend["message"] | undefined): boolean {
  const payload = message?.attachment?.payload;
  if (payload?.template_type !== "media") return false;
  const elements = payload.elements ?? [];
  const [element] = elements;
  return (
    elements.length !== 1 ||
    element?.media_type !== "image" ||
    !((typeof element.url === "string" && /^https?:\/\//.test(element.url)) || typeof element.attachment_id === "string")
  );
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(body));
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
}

function rootOf(server: Server): string {
  const address = server.address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/** Adapter options for the fake's app: its roots, ids and secret, the given token store and clock. */
export function fakeAppAdapterOptions(
  platform: { apiRoot: string; oauthRoot: string },
  store: ZaloOaTokenStore,
  now: () => Date,
  initialRefreshToken: string = fakeApp.initialRefreshToken,
): ZaloOaAdapterOptions {
  return {
    apiRoot: platform.apiRoot,
    oauthRoot: platform.oauthRoot,
    appId: fakeApp.appId,
    appSecret: fakeApp.appSecret,
    tokens: { store, initialRefreshToken },
    now,
  };
}
