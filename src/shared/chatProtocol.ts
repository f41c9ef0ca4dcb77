/**
 * The chat panel's message protocol, imported by both the VS Code host and
 * the webview bundle: one zod schema per message, its type inferred from it.
 * Messages from the webview are untrusted input (the page renders model
 * output), so the host validates every one with `parseWebviewMessage`; the
 * webview validates the host's with `parseHostMessage`. No `vscode` and no DOM
 * in here.
 */
// zod/mini: the same validation without the method-chaining build, a fraction of the bundle size.
import * as z from 'zod/mini';

// No generated parsers: zod would otherwise probe for eval support, which reads
// `navigator` (an error in VS Code's extension host) and is refused by strict CSPs.
z.config({ jitless: true });
import { isHttpUrl } from '../core/urls';
import { lazy } from './lazy';
import { PROVIDER_WAYS, type ProviderWay } from './providerSetup';
import { webviewHtml, type WebviewPage } from './webviewPage';

/** Most characters of one conversation kept in workspace state; see src/vscode/chat/conversationBound.ts. */
export const MAX_CONVERSATION_CHARS = 500_000;
/** Generous cap: the host then trims to the chosen model's context budget. */
export const MAX_TEXT_CHARS = 1_000_000;
const MAX_MODEL_REF_CHARS = 300;
const MAX_HREF_CHARS = 8_192;
const MAX_RECORD_ID_CHARS = 100;

// ---- webview -> host -------------------------------------------------------

/** The longest frame interval (and wait for a frame) a `chunkAck` may report: a page at 10 frames a second. */
export const MAX_FRAME_MS = 100;

/** The longest failure reason a `directFailed` may carry. */
export const MAX_DIRECT_REASON_CHARS = 300;

/** Most pings one `benchmarkPings` may ask for. */
export const MAX_BENCHMARK_PINGS = 2_000;

/** Built on the first message from the page (see lazy.ts). */
const webviewToHostSchema = lazy(() => {
  const modelRef = z.string().check(z.minLength(1), z.maxLength(MAX_MODEL_REF_CHARS));
  const longText = z.string().check(z.maxLength(MAX_TEXT_CHARS));
  const nonEmptyLongText = z.string().check(z.minLength(1), z.maxLength(MAX_TEXT_CHARS));
  return z.discriminatedUnion('type', [
    /** The page has loaded and listens: the host answers with `init` then `history`. */
    z.object({ type: z.literal('ready') }),
    z.object({
      type: z.literal('send'),
      text: nonEmptyLongText,
      /** A model ref from `init.models`, or 'auto' for the chat route. */
      model: modelRef,
      attachSelection: z.boolean(),
      attachFile: z.boolean(),
    }),
    z.object({ type: z.literal('stop') }),
    z.object({ type: z.literal('newChat') }),
    /** The header's conversation title: the host lists past conversations (open, rename, delete). */
    z.object({ type: z.literal('showConversations') }),
    z.object({ type: z.literal('insertCode'), code: longText }),
    /** Sent only when the webview's own clipboard write failed. */
    z.object({ type: z.literal('copy'), text: longText }),
    z.object({
      type: z.literal('openLink'),
      href: z.string().check(z.maxLength(MAX_HREF_CHARS), z.refine(isHttpUrl, 'only http(s) links are opened')),
    }),
    /** A button of the no-provider notice: Set API Key…, Use a Local Server…, Open Settings or Allow for HOST (providerSetup.ts). */
    z.object({ type: z.literal('setUpProvider'), way: z.enum(Object.keys(PROVIDER_WAYS) as [ProviderWay, ...ProviderWay[]]) }),
    z.object({ type: z.literal('selectModel'), model: modelRef }),
    /**
     * Flow control: the page has applied every chunk message of answer `id` up to chunk `seq`
     * (sent for each `chunk` that has `ack`; cumulative, so a lost one is made up by the next).
     */
    z.object({
      type: z.literal('chunkAck'),
      id: z.string().check(z.minLength(1), z.maxLength(MAX_RECORD_ID_CHARS)),
      seq: z.int().check(z.gte(0)),
      /**
       * The page's frame clock, for frame pacing (`switchboard.chat.framePacing`): how long after the message's
       * arrival the page's next frame was due, and the page's frame interval, both in ms. Absent before its first frame.
       */
      slackMs: z.optional(z.number().check(z.gte(0), z.lte(MAX_FRAME_MS))),
      frameMs: z.optional(z.number().check(z.gte(1), z.lte(MAX_FRAME_MS))),
    }),
    /**
     * The answer's direct stream (`start.direct`) failed or is incomplete: the page has applied its chunks up to
     * `seq` (-1: none) and reads the stream no more; the host sends the rest, and what follows, by postMessage.
     * `reason` is for the log.
     */
    z.object({
      type: z.literal('directFailed'),
      id: z.string().check(z.minLength(1), z.maxLength(MAX_RECORD_ID_CHARS)),
      seq: z.int().check(z.gte(-1)),
      reason: z.string().check(z.maxLength(MAX_DIRECT_REASON_CHARS)),
    }),
    /** "Retry with the strong model" on an answer Auto sent to the cheap tier, by that answer's ledger id. */
    z.object({ type: z.literal('retry'), recordId: z.string().check(z.minLength(1), z.maxLength(MAX_RECORD_ID_CHARS)) }),
    /** "Ask again" on the conversation's last answer, which failed: its question is asked again as it was sent. */
    z.object({ type: z.literal('askAgain') }),
    /**
     * The streaming benchmark's relay baseline: the host posts `count` bare `ping` messages, one every
     * `intervalMs`. Ignored unless the extension host runs the benchmark (SWITCHBOARD_BENCHMARK_FILE).
     */
    z.object({ type: z.literal('benchmarkPings'), count: z.int().check(z.gte(1), z.lte(MAX_BENCHMARK_PINGS)), intervalMs: z.int().check(z.gte(0), z.lte(1_000)) }),
  ]);
});

export type WebviewToHost = z.infer<ReturnType<typeof webviewToHostSchema>>;

/** Returns the message when it is well formed, otherwise undefined (the host logs and drops it). */
export function parseWebviewMessage(raw: unknown): WebviewToHost | undefined {
  // A streaming answer's acknowledgements come a few hundred a second: checked by hand (see readChunkAck).
  if (isRecord(raw) && raw.type === 'chunkAck') return readChunkAck(raw);
  return parseWebviewMessageBySchema(raw);
}

/** parseWebviewMessage by the schema alone: the definition the hand-checked messages must agree with (tested). */
export function parseWebviewMessageBySchema(raw: unknown): WebviewToHost | undefined {
  const result = webviewToHostSchema().safeParse(raw);
  return result.success ? result.data : undefined;
}

/**
 * The streamed messages, `chunk` (host to page) and `chunkAck` (back), are
 * checked by hand to the rules of their schemas: they come a few hundred a
 * second, and a schema parse allocated about 0.9 KB a chunk in the page
 * (bench/chatGarbage.ts), garbage that piles up into long collections while
 * an answer streams. Like the schema, they keep only the fields they know.
 */
function isRecord(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

type ChunkAck = Extract<WebviewToHost, { type: 'chunkAck' }>;
type Chunk = Extract<HostToWebview, { type: 'chunk' }>;

function readChunkAck(raw: Record<string, unknown>): ChunkAck | undefined {
  const { id, seq, slackMs, frameMs } = raw;
  if (typeof id !== 'string' || id.length < 1 || id.length > MAX_RECORD_ID_CHARS) return undefined;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return undefined;
  if (slackMs !== undefined && !(isFiniteNumber(slackMs) && slackMs >= 0 && slackMs <= MAX_FRAME_MS)) return undefined;
  if (frameMs !== undefined && !(isFiniteNumber(frameMs) && frameMs >= 1 && frameMs <= MAX_FRAME_MS)) return undefined;
  // As the schema does, a field present as undefined stays present.
  return { type: 'chunkAck', id, seq, ...('slackMs' in raw && { slackMs }), ...('frameMs' in raw && { frameMs }) };
}

function readChunk(raw: Record<string, unknown>): Chunk | undefined {
  const { id, text, seq, firstSeq, ack } = raw;
  if (typeof id !== 'string' || typeof text !== 'string' || !isFiniteNumber(seq)) return undefined;
  if (firstSeq !== undefined && !isFiniteNumber(firstSeq)) return undefined;
  if (ack !== undefined && typeof ack !== 'boolean') return undefined;
  // As the schema does, a field present as undefined stays present.
  return { type: 'chunk', id, text, seq, ...('firstSeq' in raw && { firstSeq }), ...('ack' in raw && { ack }) };
}

/** What z.number() accepts: not NaN, not infinite. */
function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export { describeMessageShape, newNonce } from './webviewPage';

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

/**
 * Returns the message when it is well formed, otherwise undefined (the webview
 * logs and drops it). A history keeps its well-formed entries, so one bad
 * entry does not hide the rest of the conversation.
 */
export function parseHostMessage(raw: unknown): HostToWebview | undefined {
  // Streamed text comes a few hundred messages a second: checked by hand (see readChunk).
  if (isRecord(raw) && raw.type === 'chunk') return readChunk(raw);
  return parseHostMessageBySchema(raw);
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

// ---- the page --------------------------------------------------------------

/** Element id the webview bundle builds the panel into. */
export const CHAT_ROOT_ID = 'switchboard-chat';

/** The panel's page, under the policy every Switchboard webview has (webviewCsp). */
export function chatPanelHtml(page: WebviewPage): string {
  return webviewHtml(page, 'Switchboard Chat', CHAT_ROOT_ID);
}

