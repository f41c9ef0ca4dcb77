/**
 * The chat panel's messages from the host to the page, and the entries of a stored transcript, which the `history`
 * message carries. chatProtocol.ts, the protocol's entry, re-exports them and checks the streamed `chunk` by hand.
 * No `vscode` and no DOM in here.
 */
// zod/mini: the same validation without the method-chaining build, a fraction of the bundle size.
import * as z from 'zod/mini';

// No generated parsers: zod would otherwise probe for eval support, which reads
// `navigator` (an error in VS Code's extension host) and is refused by strict CSPs.
z.config({ jitless: true });
import { lazy } from './lazy';

// ---- host -> webview -------------------------------------------------------
// The host builds these; the webview validates each on arrival (a host bug must
// not break the panel) and the host validates stored transcripts read back,
// which an older version may have written. One schema each, types inferred.

/** Built on first use: in the host, the first stored transcript read or page message; in the page, the first message. */
const hostSchemas = lazy(() => {
  const modelOptionSchema = z.object({
    /** `provider:modelId`, the value sent back in `send.model` and `selectModel.model`. */
    ref: z.string(),
    label: z.string(),
  });

  /** What was attached to a user message, e.g. `src/app.ts:10-24` or `src/app.ts`. */
  const attachmentChipSchema = z.object({
    label: z.string(),
    /** Set when the file may not be sent (e.g. "excluded by switchboard.exclude"): shown with why, never attached. */
    excluded: z.optional(z.string()),
    /** What the attach toggles would send (`attachmentsPreview`): its characters, after the attachment cut. */
    chars: z.optional(z.int().check(z.gte(0))),
    /** The whole file's or selection's characters, when more than `chars` (the cut keeps the first `chars`). */
    ofChars: z.optional(z.int().check(z.gte(0))),
  });

  /** `mode` auto: Auto chose the tier; retry: asked again on a tier; manual: the user picked the model. */
  const routingSchema = z.object({
    mode: z.enum(['auto', 'retry', 'manual']),
    tier: z.optional(z.enum(['cheap', 'strong'])),
    score: z.optional(z.number()),
    reasons: z.array(z.string()),
    /** The tier Auto picked, which could not answer, when `tier` is the one it handed the request to. */
    handedOverFrom: z.optional(z.enum(['cheap', 'strong'])),
  });

  const footerSchema = z.object({
    /** The model that answered. */
    model: z.string(),
    /** The route's first choice; shown only when `fellBack`. */
    requestedModel: z.string(),
    fellBack: z.boolean(),
    /**
     * Why each model asked before the one that answered gave no answer ("openai:gpt-5.4: openai could not be reached
     * in time: the TLS handshake with … took over …"), as the ledger records them: the model's tooltip when `fellBack`.
     */
    fellBackBecause: z.optional(z.array(z.string())),
    inputTokens: z.number(),
    outputTokens: z.number(),
    /** null when the model has no price: shown as "unpriced". */
    costUsd: z.nullable(z.number()),
    latencyMs: z.number(),
    /** Token counts were estimated because the provider reported none. */
    estimated: z.boolean(),
    /** The user pressed Stop; the answer is partial but was paid for. */
    stopped: z.optional(z.boolean()),
    /**
     * Set when the cost was priced at a bound (core/usageBound.ts): what the
     * provider or gateway reported and what it was priced at instead. Shown as
     * a mark beside the cost, with this as its tooltip.
     */
    pricedAtBound: z.optional(z.string()),
    /** Set when the model stopped at the answer's max output (switchboard.chat.maxTokens): that max; the answer is cut there. */
    maxTokensReached: z.optional(z.int().check(z.gte(0))),
    /** How Auto chose the model: tier, score and the main reasons (the footer and its tooltip). */
    routing: z.optional(routingSchema),
    /** The answer's ledger record, which a retry links to. */
    recordId: z.optional(z.string()),
    /** How many of the conversation's oldest messages were left out of the request to fit the model's context. */
    omittedMessages: z.optional(z.int().check(z.gte(1))),
    /**
     * The sandbox's fake providers answered (`npm start` with no keys, SWITCHBOARD_SIMULATED): the cost is what
     * the model named would have charged, and nothing was billed. Shown beside the cost, as the status bar says "Simulated".
     */
    simulated: z.optional(z.boolean()),
  });

  const attemptsSchema = z.array(z.object({ provider: z.string(), model: z.string(), error: z.string() }));
  /** `retryable`: the request failed on the way (a provider, the network); asking again may succeed. */
  const answerErrorSchema = z.object({ message: z.string(), attempts: attemptsSchema, retryable: z.optional(z.boolean()) });

  const userEntrySchema = z.object({ role: z.literal('user'), text: z.string(), attachments: z.array(attachmentChipSchema) });
  /** An assistant entry may carry both `error` and `footer`: an answer that broke off, and what it cost. */
  const assistantEntrySchema = z.object({
    role: z.literal('assistant'),
    text: z.string(),
    footer: z.optional(footerSchema),
    error: z.optional(answerErrorSchema),
  });
  const transcriptEntrySchema = z.discriminatedUnion('role', [userEntrySchema, assistantEntrySchema]);

  const hostToWebviewSchema = z.discriminatedUnion('type', [
    /** Sent after `ready`, and again whenever models or credentials change. */
    z.object({
      type: z.literal('init'),
      models: z.array(modelOptionSchema),
      /** A ref from `models`, or 'auto'. */
      selectedModel: z.string(),
      hasCredentials: z.boolean(),
      /** Providers out for a setting a key would not fix (an endpoint without `http://`), each said: the notice offers Open Settings. */
      invalidSettings: z.optional(z.array(z.string())),
      /** Providers out because their key was kept back from a host (keyHost.ts), each with why: the notice offers Allow for that host. */
      withheldKeys: z.optional(z.array(z.object({ host: z.string(), reason: z.string() }))),
      /** Turns on `window.__switchboardPaints` for the rendering benchmark. */
      benchmark: z.optional(z.boolean()),
    }),
    /** Replaces the whole transcript: on load, after New chat, and when another conversation is opened. */
    z.object({
      type: z.literal('history'),
      messages: z.array(transcriptEntrySchema),
      totalCostUsd: z.number(),
      /** The conversation's title, shown in the header. */
      title: z.optional(z.string()),
      /** How many of the conversation's oldest messages were removed to keep it within its stored size (a note above the rest). */
      removedMessages: z.optional(z.int().check(z.gte(1))),
    }),
    /**
     * The host refused a question before sending it, since no provider is usable (the page's `init` was older than
     * that): a new question's text goes back into the message box, so nothing typed is lost; Ask again and Retry
     * with the strong model carry none (their question stays in the conversation, and their button is pressable again).
     */
    z.object({ type: z.literal('notSent'), text: z.optional(z.string()) }),
    /** The shown conversation was named (after its first question, or renamed). */
    z.object({ type: z.literal('conversationTitle'), title: z.string() }),
    /** A request began: shows the user's message and an empty answer to stream into. */
    z.object({
      type: z.literal('start'),
      id: z.string(),
      /** The model the route tries first, shown while waiting. */
      requestedModel: z.string(),
      attachments: z.array(attachmentChipSchema),
      userText: z.string(),
      /**
       * `switchboard.chat.directStream`: the answer's chunks come by a loopback response at `url` (directStreamServer.ts),
       * whose first line must carry `proof`; its end, and every other message, still come by postMessage.
       */
      direct: z.optional(z.object({ url: z.string(), proof: z.string() })),
    }),
    /**
     * An answer that began with `start.direct` has ended at chunk `seq` (-1: none): its `done` or `error`
     * follows, and the page shows them once it has every chunk up to `seq` (or asks for the rest: `directFailed`).
     */
    z.object({ type: z.literal('directEnd'), id: z.string(), seq: z.number() }),
    /**
     * Text streamed since the last chunk message: chunks `firstSeq`..`seq` of this
     * answer (`firstSeq` defaults to `seq`).
     * `seq` increases per request; the benchmark pairs it with paint times. `ack`: the host
     * keeps only a few chunk messages in flight and waits for a `chunkAck` of this one
     * (`switchboard.chat.flowControl`).
     */
    z.object({ type: z.literal('chunk'), id: z.string(), text: z.string(), seq: z.number(), firstSeq: z.optional(z.number()), ack: z.optional(z.boolean()) }),
    /** The benchmark's relay baseline: `sentAt`, the host's epoch time (wall-clock corrected) when posted. */
    z.object({ type: z.literal('ping'), seq: z.number(), sentAt: z.number() }),
    /** Ends an answer; may also follow a partial `error` to show what the broken-off answer cost. */
    z.object({ type: z.literal('done'), id: z.string(), footer: footerSchema, totalCostUsd: z.number() }),
    /** `partial`: some text streamed before the failure and stays on screen. */
    z.object({ type: z.literal('error'), id: z.string(), message: z.string(), attempts: attemptsSchema, partial: z.boolean(), retryable: z.optional(z.boolean()) }),
    /** The answer to `insertCode`: whether the code went into an editor (when not, the host said why). */
    z.object({ type: z.literal('codeInserted'), inserted: z.boolean() }),
    /** What the attach toggles would attach right now; null when there is nothing. */
    z.object({ type: z.literal('attachmentsPreview'), selection: z.nullable(attachmentChipSchema), file: z.nullable(attachmentChipSchema) }),
  ]);

  const historyEntriesSchema = z.object({ type: z.literal('history'), messages: z.array(z.unknown()) });
  return {
    modelOptionSchema,
    attachmentChipSchema,
    routingSchema,
    footerSchema,
    answerErrorSchema,
    userEntrySchema,
    assistantEntrySchema,
    transcriptEntrySchema,
    hostToWebviewSchema,
    historyEntriesSchema,
  };
});
type HostSchemas = ReturnType<typeof hostSchemas>;

export type ModelOption = z.infer<HostSchemas['modelOptionSchema']>;
export type AttachmentChip = z.infer<HostSchemas['attachmentChipSchema']>;
export type AnswerRouting = z.infer<HostSchemas['routingSchema']>;
export type AnswerFooter = z.infer<HostSchemas['footerSchema']>;
export type AnswerError = z.infer<HostSchemas['answerErrorSchema']>;
export type ChatTranscriptEntry = z.infer<HostSchemas['transcriptEntrySchema']>;
export type HostToWebview = z.infer<HostSchemas['hostToWebviewSchema']>;

/** The stored transcript's entries, which chatTranscript.ts extends with what the model was sent. */
export function transcriptEntrySchemas(): { user: HostSchemas['userEntrySchema']; assistant: HostSchemas['assistantEntrySchema'] } {
  const { userEntrySchema, assistantEntrySchema } = hostSchemas();
  return { user: userEntrySchema, assistant: assistantEntrySchema };
}

/** parseHostMessage by the schemas alone: the definition the hand-checked `chunk` must agree with (tested). */
export function parseHostMessageBySchema(raw: unknown): HostToWebview | undefined {
  const { hostToWebviewSchema, historyEntriesSchema, transcriptEntrySchema } = hostSchemas();
  const result = hostToWebviewSchema.safeParse(raw);
  if (result.success) return result.data;
  const history = historyEntriesSchema.safeParse(raw);
  if (!history.success) return undefined;
  const messages = history.data.messages.flatMap((entry) => {
    const parsed = transcriptEntrySchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
  const cost = z.number().safeParse((raw as { totalCostUsd?: unknown }).totalCostUsd);
  const title = z.string().safeParse((raw as { title?: unknown }).title);
  const removed = z.int().check(z.gte(1)).safeParse((raw as { removedMessages?: unknown }).removedMessages);
  return {
    type: 'history',
    messages,
    totalCostUsd: cost.success ? cost.data : 0,
    ...(title.success ? { title: title.data } : {}),
    ...(removed.success ? { removedMessages: removed.data } : {}),
  };
}
