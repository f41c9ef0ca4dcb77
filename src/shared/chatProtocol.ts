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
import { parseHostMessageBySchema, type HostToWebview } from './chatHostMessages';
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
// The schemas are in chatHostMessages.ts; the streamed `chunk` is checked here by hand (readChunk).

export {
  parseHostMessageBySchema,
  transcriptEntrySchemas,
  type AnswerError,
  type AnswerFooter,
  type AnswerRouting,
  type AttachmentChip,
  type ChatTranscriptEntry,
  type HostToWebview,
  type ModelOption,
} from './chatHostMessages';

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

// ---- the page --------------------------------------------------------------

/** Element id the webview bundle builds the panel into. */
export const CHAT_ROOT_ID = 'switchboard-chat';

/** The panel's page, under the policy every Switchboard webview has (webviewCsp). */
export function chatPanelHtml(page: WebviewPage): string {
  return webviewHtml(page, 'Switchboard Chat', CHAT_ROOT_ID);
}

