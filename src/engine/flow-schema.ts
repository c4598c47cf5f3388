import { z } from "zod";

/**
 * The flow language: what a `flows/*.yaml` file may contain. Flows reference content keys
 * (`namespace:key`), never literal text, so an editor can change wording without touching a flow.
 */

const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, "use lower-case letters, digits, '-' and '_', starting with a letter");

/** A content key such as `common:welcome` or `violence:rights.1`. */
export const contentKeySchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*:[A-Za-z0-9_.-]+$/, "a content key looks like namespace:key, e.g. common:welcome");

/** The four programme topics; engagement rows carry one so reports can count reach per topic. */
export const topicSchema = z.enum(["child-marriage", "consanguinity", "safe-birth", "violence"]);
export type Topic = z.infer<typeof topicSchema>;

/** Contact fields a flow may set or test. Free text is never a field, except `communeName` from a non-sensitive answer. */
export const contactFieldSchema = z.union([
  z.enum(["locale", "provinceCode", "communeCode", "communeName", "consent"]),
  z.string().regex(/^group\.[a-z][a-z0-9_-]*$/, "a group field looks like group.<name>"),
]);
export type ContactField = z.infer<typeof contactFieldSchema>;

const scalar = z.union([z.string(), z.number(), z.boolean()]);
export type Scalar = z.infer<typeof scalar>;

/**
 * How this bot is set up, as a flow may test it: `questions-hosted` is true when free-text questions are sent
 * to a model on another server, so the privacy notice can say so only then.
 */
export const botSettingSchema = z.enum(["questions-hosted"]);
export type BotSetting = z.infer<typeof botSettingSchema>;

const comparison = z
  .object({
    field: contactFieldSchema.optional(),
    variable: identifier.optional(),
    setting: botSettingSchema.optional(),
    equals: scalar.optional(),
    in: z.array(scalar).min(1).optional(),
    isSet: z.boolean().optional(),
  })
  .strict()
  .refine(
    (c) => [c.field, c.variable, c.setting].filter((v) => v !== undefined).length === 1,
    "name exactly one of field, variable or setting",
  )
  .refine(
    (c) => [c.equals, c.in, c.isSet].filter((v) => v !== undefined).length === 1,
    "give exactly one test: equals, in or isSet",
  );

/** A branch condition: a comparison on a contact field, flow variable or bot setting, or all/any/not of conditions. */
export type Condition =
  | z.infer<typeof comparison>
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    comparison,
    z.object({ all: z.array(conditionSchema).min(1) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1) }).strict(),
    z.object({ not: conditionSchema }).strict(),
  ]),
);

const nodeId = identifier.describe("id of a node in the same flow");

const sayNode = z
  .object({
    kind: z.literal("say"),
    say: z.array(contentKeySchema).min(1).describe("content keys sent in order, one message each"),
    next: nodeId.optional().describe("where to go next; without it the flow ends"),
  })
  .strict();

const menuOption = z
  .object({
    id: identifier.optional().describe("stable option id; defaults to its position, 1-based"),
    label: contentKeySchema,
    next: nodeId,
  })
  .strict();

const menuNode = z
  .object({
    kind: z.literal("menu"),
    prompt: contentKeySchema,
    options: z.array(menuOption).min(1).max(12),
    reprompt: contentKeySchema.optional().describe("said before the menu again when an answer matches no option"),
  })
  .strict();

const answerSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), maxLength: z.number().int().min(1).max(200).default(60) }).strict(),
  z.object({ type: z.literal("number"), min: z.number().optional(), max: z.number().optional() }).strict(),
]);

const askNode = z
  .object({
    kind: z.literal("ask"),
    prompt: contentKeySchema,
    answer: answerSchema,
    save: z
      .object({ field: contactFieldSchema.optional(), variable: identifier.optional() })
      .strict()
      .refine((s) => (s.field === undefined) !== (s.variable === undefined), "save to exactly one of field or variable"),
    sensitive: z
      .boolean()
      .default(true)
      .describe("free-text answers are kept only when the flow marks them sensitive: false"),
    reprompt: contentKeySchema,
    maxAttempts: z.number().int().min(1).max(10).default(3),
    next: nodeId,
    onFail: nodeId.optional().describe("where to go after maxAttempts invalid answers; default: next"),
  })
  .strict();

const branchNode = z
  .object({
    kind: z.literal("branch"),
    cases: z.array(z.object({ when: conditionSchema, next: nodeId }).strict()).min(1),
    otherwise: nodeId,
  })
  .strict();

const setNode = z
  .object({
    kind: z.literal("set"),
    field: contactFieldSchema.optional(),
    variable: identifier.optional(),
    value: z.union([scalar, z.null()]),
    next: nodeId.optional(),
  })
  .strict()
  .refine((s) => (s.field === undefined) !== (s.variable === undefined), "set exactly one of field or variable");

const helpNode = z
  .object({
    kind: z.literal("help"),
    intro: contentKeySchema.describe("said before the help directory entries"),
    next: nodeId.optional(),
  })
  .strict();

const quizNode = z
  .object({
    kind: z.literal("quiz"),
    id: identifier.describe("stable question id, recorded with the answer"),
    question: contentKeySchema,
    options: z
      .array(z.object({ id: identifier.optional(), label: contentKeySchema, correct: z.boolean() }).strict())
      .min(2)
      .max(6)
      .refine((o) => o.some((x) => x.correct), "at least one option must be correct"),
    feedback: z.object({ correct: contentKeySchema, incorrect: contentKeySchema }).strict(),
    next: nodeId.optional(),
  })
  .strict();

const gotoNode = z
  .object({
    kind: z.literal("goto"),
    flow: identifier.optional().describe("another flow to run; the conversation returns here when it ends"),
    node: nodeId.optional().describe("a node to start at: in `flow` if given, else in this flow"),
    next: nodeId.optional().describe("where to continue after the other flow ends; without it this flow ends too"),
  })
  .strict()
  .refine((g) => g.flow !== undefined || g.node !== undefined, "name a flow, a node, or both");

const placeCode = z.string().regex(/^[0-9A-Za-z][0-9A-Za-z-]*$/, "an administrative unit code, e.g. 14");

const placeNode = z
  .object({
    kind: z.literal("place"),
    featured: z
      .array(placeCode)
      .max(8)
      .default([])
      .describe("province codes offered as buttons; any other province is typed and matched"),
    maxAttempts: z.number().int().min(1).max(10).default(3).describe("unmatched answers before going on without"),
    next: nodeId.optional(),
  })
  .strict();

const languageNode = z
  .object({
    kind: z.literal("language"),
    prompt: contentKeySchema,
    next: nodeId.optional(),
  })
  .strict();

const endNode = z.object({ kind: z.literal("end") }).strict();

/** Every node kind; the `kind` literal is the word used in YAML, in events and in docs. */
export const nodeSchema = z.discriminatedUnion("kind", [
  sayNode,
  menuNode,
  askNode,
  branchNode,
  setNode,
  helpNode,
  quizNode,
  gotoNode,
  placeNode,
  languageNode,
  endNode,
]);
export type FlowNode = z.infer<typeof nodeSchema>;
export type NodeKind = FlowNode["kind"];
export const nodeKinds: readonly NodeKind[] = ["say", "menu", "ask", "branch", "set", "help", "quiz", "goto", "place", "language", "end"];

/** Kinds that stop a turn and wait for the person's answer. */
export const waitingKinds: ReadonlySet<NodeKind> = new Set<NodeKind>(["menu", "ask", "quiz", "place", "language"]);

/** One flow file as written by an author (before the loader adds its file name and revision). */
export const flowFileSchema = z
  .object({
    id: identifier,
    title: z.string().optional(),
    topic: topicSchema.optional().describe("finishing this flow records a completed module of this topic"),
    start: nodeId,
    nodes: z.record(identifier, z.unknown()),
  })
  .strict();

const flowTarget = z.object({ flow: identifier, node: nodeId.optional() }).strict();
export type FlowTarget = z.infer<typeof flowTarget>;

/** `flows/bot.yaml`: where conversations start and where the global keywords lead. */
export const botSettingsSchema = z
  .object({
    entry: flowTarget.describe("where a new conversation starts"),
    home: flowTarget.describe("where the menu keyword and an expired conversation lead"),
    language: flowTarget.describe("where the language keyword leads"),
    waitHours: z.number().positive().default(72).describe("how long a question waits for an answer"),
  })
  .strict();
export type BotSettings = z.infer<typeof botSettingsSchema>;
