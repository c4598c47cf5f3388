import type { InboundUpdate } from "../conversation/inbound-message.ts";

/** A webhook request as a channel sees it: headers and the exact bytes received (signatures cover them). */
export type WebhookRequest = {
  headers: Readonly<Record<string, string | string[] | undefined>>;
  rawBody: Buffer;
};

/** What a verified webhook body turned into: updates for the inbox, or why it was ignored (echo, unknown event). */
export type WebhookParseResult = { updates: InboundUpdate[]; ignored?: string };

/**
 * The inbound half of a channel: checks the platform's secret or signature on the raw request BEFORE any
 * parsing, then turns a body into inbox updates. Pure, so it is tested with recorded platform payloads.
 * The HTTP layer answers 401 when `verify` is false, 400 when `parse` throws a `WebhookBodyError`, 200 otherwise.
 */
export interface ChannelWebhook {
  readonly channel: string;
  /** The path segment: POST /webhooks/<route>. */
  readonly route: string;
  verify(request: WebhookRequest): boolean;
  parse(body: unknown): WebhookParseResult;
}
