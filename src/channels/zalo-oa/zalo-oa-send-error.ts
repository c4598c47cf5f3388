import { ChannelSendError, type SendFailureKind } from "../channel-adapter.ts";

/** The channel name every Zalo OA error and address carries. */
export const zaloOaChannel = "zalo-oa";

/** The code of a send refused because she has not interacted with the OA for more than 7 days. */
export const windowClosedCode = "channel:window_closed";

/**
 * A Zalo OA send that failed, with Zalo's own `error` number (when there is one) in its context so a log
 * line says which rule was hit. The code is `channel:<kind>`, or `channel:window_closed` for the 7-day rule.
 */
export class ZaloOaSendError extends ChannelSendError {
  override readonly code: string;

  constructor(
    message: string,
    kind: SendFailureKind,
    options: { zaloError?: number; status?: number; retryAfterSeconds?: number; cause?: unknown; code?: string } = {},
  ) {
    super(message, kind, {
      channel: zaloOaChannel,
      ...(options.status === undefined ? {} : { status: options.status }),
      ...(options.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: options.retryAfterSeconds }),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.code = options.code ?? `channel:${kind}`;
    if (options.zaloError !== undefined) this.context.zaloError = options.zaloError;
  }
}

/** Whole seconds until the next minute starts (1–60): Zalo's 4,000 calls/minute quota resets then. */
export function secondsToNextMinute(now: Date): number {
  const msIntoMinute = ((now.getTime() % 60_000) + 60_000) % 60_000;
  return Math.max(1, Math.ceil((60_000 - msIntoMinute) / 1000));
}

type Treatment = { kind: SendFailureKind; meaning: string; code?: string };

/**
 * Zalo OA's `error` numbers (docs/zalo-platform.md §2.9) and what the dispatcher should do with each.
 * The person's own choices (unfollowed, blocked the OA) are "blocked", so she is marked stopped until she writes
 * again; states she did not choose, and payload or console faults that a retry cannot fix, are "permanent";
 * quotas that reset are "transient". Codes not listed are "transient": tried again with backoff, then dead.
 */
const treatments: ReadonlyMap<number, Treatment> = new Map<number, Treatment>([
  [-32, { kind: "rate_limited", meaning: "API call limit reached for this minute" }],
  [-213, { kind: "blocked", meaning: "user has not followed the OA" }],
  [-217, { kind: "blocked", meaning: "user has blocked the OA" }],
  [-227, { kind: "permanent", meaning: "user banned or inactive on Zalo for over 45 days" }],
  [-230, { kind: "permanent", meaning: "no interaction with the OA in the past 7 days", code: windowClosedCode }],
  [-232, { kind: "permanent", meaning: "interaction window expired", code: windowClosedCode }],
  [-244, { kind: "permanent", meaning: "user restricted this message type" }],
  [-100, { kind: "permanent", meaning: "attachment expired" }],
  [-201, { kind: "permanent", meaning: "a field of the request is invalid" }],
  [-210, { kind: "permanent", meaning: "a parameter exceeds its limit" }],
  [-233, { kind: "permanent", meaning: "message type invalid or not supported" }],
  [-248, { kind: "permanent", meaning: "message violates platform standards" }],
  [-204, { kind: "permanent", meaning: "OA disabled" }],
  [-205, { kind: "permanent", meaning: "OA does not exist" }],
  [-209, { kind: "permanent", meaning: "app not activated for this API" }],
  [-212, { kind: "permanent", meaning: "app has not registered this API" }],
  [-221, { kind: "permanent", meaning: "OA must be verified" }],
  [-223, { kind: "permanent", meaning: "OA has not authorised this API" }],
  [-224, { kind: "permanent", meaning: "OA package must be upgraded" }],
  [-240, { kind: "permanent", meaning: "v2 message API shut down" }],
  [-242, { kind: "permanent", meaning: "invalid appsecret_proof" }],
  [-211, { kind: "transient", meaning: "OA out of quota" }],
  [-218, { kind: "transient", meaning: "user's receive quota reached" }],
  [-234, { kind: "transient", meaning: "message type cannot be sent at night" }],
]);

/** The send error for a Zalo `error` number other than 0 and the token errors the sender handles itself. */
export function zaloOaSendError(zaloError: number, now: Date): ZaloOaSendError {
  const treatment = treatments.get(zaloError) ?? { kind: "transient", meaning: "undocumented error" };
  return new ZaloOaSendError(`Zalo OA refused the message: error ${zaloError} (${treatment.meaning})`, treatment.kind, {
    zaloError,
    ...(treatment.kind === "rate_limited" ? { retryAfterSeconds: secondsToNextMinute(now) } : {}),
    ...(treatment.code === undefined ? {} : { code: treatment.code }),
  });
}
