import { readContactField, type ContactSnapshot } from "./contact-snapshot.ts";
import type { BotSetting, Condition, Scalar } from "./flow-schema.ts";

/**
 * Evaluates a branch condition against the contact, the flow variables and the bot's settings. Unset values
 * equal nothing.
 */
export function evaluateCondition(
  condition: Condition,
  contact: ContactSnapshot,
  vars: Readonly<Record<string, Scalar>>,
  settings: Readonly<Record<BotSetting, Scalar>>,
): boolean {
  if ("all" in condition) return condition.all.every((c) => evaluateCondition(c, contact, vars, settings));
  if ("any" in condition) return condition.any.some((c) => evaluateCondition(c, contact, vars, settings));
  if ("not" in condition) return !evaluateCondition(condition.not, contact, vars, settings);
  const value =
    condition.field !== undefined
      ? readContactField(contact, condition.field)
      : condition.setting !== undefined
        ? settings[condition.setting]
        : (vars[condition.variable ?? ""] ?? null);
  if (condition.isSet !== undefined) return (value !== null && value !== "") === condition.isSet;
  if (condition.equals !== undefined) return value !== null && String(value) === String(condition.equals);
  return value !== null && (condition.in ?? []).some((candidate) => String(candidate) === String(value));
}
