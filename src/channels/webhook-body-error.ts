import { LoaError } from "../errors.ts";

/** A webhook body that passed verification but is not a shape the platform documents: answered 400, never 500. */
export class WebhookBodyError extends LoaError {
  constructor(channel: string, detail: string) {
    super(`Malformed ${channel} webhook body: ${detail}`, "webhook:body-invalid", { context: { channel } });
  }
}
