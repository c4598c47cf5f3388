import { LoaError } from "../errors.ts";

/**
 * The question model could not be used: it timed out, failed, or is configured in a way that would send text
 * where it must not go. The message and context never contain the question.
 */
export class QuestionModelError extends LoaError {
  constructor(message: string, code: `questions:${string}`, options: { cause?: unknown; context?: Record<string, unknown> } = {}) {
    super(message, code, options);
  }
}
