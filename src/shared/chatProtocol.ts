/**
 * The chat panel's message protocol, imported by both the VS Code host and
 * the webview bundle. Messages from the webview are untrusted input (the page
 * renders model output), so the host validates every one with
 * `parseWebviewMessage`; messages to the webview are plain types, which the
 * webview reads defensively. No `vscode` and no DOM in here.
 */
// zod/mini: the same validation without the method-chaining build, a fraction of the bundle size.
import * as z from 'zod/mini';

// No generated parsers: zod would otherwise probe for eval support, which reads
// `navigator` (an error in VS Code's extension host) and is refused by strict CSPs.
z.config({ jitless: true });
import type { FailedAttempt } from '../core/types';
import { isHttpUrl } from '../core/urls';

/** Generous cap: the host then trims to the chosen model's context budget. */
export const MAX_TEXT_CHARS = 1_000_000;
const MAX_MODEL_REF_CHARS = 300;
const MAX_HREF_CHARS = 8_192;

const modelRef = z.string().check(z.minLength(1), z.maxLength(MAX_MODEL_REF_CHARS));
const longText = z.string().check(z.maxLength(MAX_TEXT_CHARS));
const nonEmptyLongText = z.string().check(z.minLength(1), z.maxLength(MAX_TEXT_CHARS));

// ---- webview -> host -------------------------------------------------------

const webviewToHostSchema = z.discriminatedUnion('type', [
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
  z.object({ type: z.literal('insertCode'), code: longText }),
  /** Sent only when the webview's own clipboard write failed. */
  z.object({ type: z.literal('copy'), text: longText }),
  z.object({
    type: z.literal('openLink'),
    href: z.string().check(z.maxLength(MAX_HREF_CHARS), z.refine(isHttpUrl, 'only http(s) links are opened')),
  }),
  z.object({ type: z.literal('setKey') }),
  z.object({ type: z.literal('selectModel'), model: modelRef }),
]);

export type WebviewToHost = z.infer<typeof webviewToHostSchema>;

/** Returns the message when it is well formed, otherwise undefined (the host logs and drops it). */
export function parseWebviewMessage(raw: unknown): WebviewToHost | undefined {
  const result = webviewToHostSchema.safeParse(raw);
  return result.success ? result.data : undefined;
}

/** One handler per message type; the compiler reports a type the host forgot. */
export type WebviewMessageHandlers = {
  [K in WebviewToHost['type']]: (message: Extract<WebviewToHost, { type: K }>) => void | Promise<void>;
};

/**
 * Validates `raw` and runs the handler for its type, resolving true when it
 * ran; false, without calling anything, when the message is malformed, so the
 * host can log and drop it. A handler's error rejects the returned promise.
 */
export async function dispatchWebviewMessage(raw: unknown, handlers: WebviewMessageHandlers): Promise<boolean> {
  const message = parseWebviewMessage(raw);
  if (!message) return false;
  const handler = handlers[message.type] as (message: WebviewToHost) => void | Promise<void>;
  await handler(message);
  return true;
}

// ---- host -> webview -------------------------------------------------------

export interface ModelOption {
  /** `provider:modelId`, the value sent back in `send.model` and `selectModel.model`. */
  ref: string;
  label: string;
}

/** What was attached to a user message, e.g. `src/app.ts:10-24` or `src/app.ts`. */
export interface AttachmentChip {
  label: string;
}

export interface AnswerFooter {
  /** The model that answered. */
  model: string;
  /** The route's first choice; shown only when `fellBack`. */
  requestedModel: string;
  fellBack: boolean;
  inputTokens: number;
  outputTokens: number;
  /** null when the model has no price: shown as "unpriced". */
  costUsd: number | null;
  latencyMs: number;
  /** Token counts were estimated because the provider reported none. */
  estimated: boolean;
  /** The user pressed Stop; the answer is partial but was paid for. */
  stopped?: boolean;
}

export interface AnswerError {
  message: string;
  attempts: FailedAttempt[];
}

/** An assistant entry may carry both `error` and `footer`: an answer that broke off, and what it cost. */
export type ChatTranscriptEntry =
  | { role: 'user'; text: string; attachments: AttachmentChip[] }
  | { role: 'assistant'; text: string; footer?: AnswerFooter; error?: AnswerError };

export type HostToWebview =
  /** Sent after `ready`, and again whenever models or credentials change. */
  | {
      type: 'init';
      models: ModelOption[];
      /** A ref from `models`, or 'auto'. */
      selectedModel: string;
      hasCredentials: boolean;
      /** Turns on `window.__switchboardPaints` for the rendering benchmark. */
      benchmark?: boolean;
    }
  /** Replaces the whole transcript: on load and after New chat. */
  | { type: 'history'; messages: ChatTranscriptEntry[]; totalCostUsd: number }
  /** A request began: shows the user's message and an empty answer to stream into. */
  | {
      type: 'start';
      id: string;
      /** The model the route tries first, shown while waiting. */
      requestedModel: string;
      attachments: AttachmentChip[];
      userText: string;
    }
  /** `seq` increases per request; the benchmark pairs it with paint times. */
  /**
   * Text streamed since the last chunk message: chunks `firstSeq`..`seq` of this
   * answer (the host sends at most one message a frame; `firstSeq` defaults to `seq`).
   */
  | { type: 'chunk'; id: string; text: string; seq: number; firstSeq?: number }
  /** Ends an answer; may also follow a partial `error` to show what the broken-off answer cost. */
  | { type: 'done'; id: string; footer: AnswerFooter; totalCostUsd: number }
  /** `partial`: some text streamed before the failure and stays on screen. */
  | { type: 'error'; id: string; message: string; attempts: FailedAttempt[]; partial: boolean }
  /** What the attach toggles would attach right now; null when there is nothing. */
  | { type: 'attachmentsPreview'; selection: AttachmentChip | null; file: AttachmentChip | null };

/**
 * Transcript entries as the host stores them and sends them in `history`;
 * validated when read back from storage, which an older version may have written.
 */
const footerSchema = z.object({
  model: z.string(),
  requestedModel: z.string(),
  fellBack: z.boolean(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.nullable(z.number()),
  latencyMs: z.number(),
  estimated: z.boolean(),
  stopped: z.optional(z.boolean()),
});
export const userEntrySchema = z.object({
  role: z.literal('user'),
  text: z.string(),
  attachments: z.array(z.object({ label: z.string() })),
});
export const assistantEntrySchema = z.object({
  role: z.literal('assistant'),
  text: z.string(),
  footer: z.optional(footerSchema),
  error: z.optional(
    z.object({
      message: z.string(),
      attempts: z.array(z.object({ provider: z.string(), model: z.string(), error: z.string() })),
    }),
  ),
});

// ---- the page --------------------------------------------------------------

/** Element id the webview bundle builds the panel into. */
export const CHAT_ROOT_ID = 'switchboard-chat';

/** The only policy the panel needs: scripts by nonce, styles and images from the extension. */
export function chatPanelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export interface ChatPanelPage {
  /** `webview.cspSource` */
  cspSource: string;
  nonce: string;
  /** `webview.asWebviewUri(dist/webview/chat.js)` as a string */
  scriptUri: string;
  /** `webview.asWebviewUri(media/chat.css)` as a string */
  styleUri: string;
}

export function chatPanelHtml(page: ChatPanelPage): string {
  const attr = escapeAttribute;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(chatPanelCsp(page.cspSource, page.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(page.styleUri)}">
<title>Switchboard Chat</title>
</head>
<body>
<div id="${CHAT_ROOT_ID}"></div>
<script nonce="${attr(page.nonce)}" src="${attr(page.scriptUri)}"></script>
</body>
</html>`;
}

/** 32 random alphanumerics; Web Crypto exists in both Node and the browser. */
export function newNonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// ---- benchmark hook --------------------------------------------------------

export interface PaintRecord {
  /** `chunk.seq` */
  seq: number;
  /** `performance.now()` when the chunk's message reached the page. */
  receivedAt: number;
  /** `performance.now()` after the chunk's text was put in the DOM and laid out. */
  paintedAt: number;
  /** How long that frame's render took (DOM update and layout), the same for every chunk painted in it. */
  renderMs: number;
}

/** `window.__switchboardPaints`, present only after an `init` with `benchmark: true`. */
export interface PaintLog {
  /** Records kept; older ones are overwritten. */
  readonly capacity: number;
  /** Records ever written, including overwritten ones. */
  readonly written: number;
  /** The kept records, oldest first. */
  entries(): PaintRecord[];
  clear(): void;
}

/** A main-thread task (`longtask`) or frame (`long-animation-frame`) of 50 ms or more, as Chromium reports it. */
export interface LongTaskRecord {
  type: string;
  /** `longtask`: whose task it was ('self', 'same-origin-ancestor', …); `long-animation-frame`: the entry type. */
  name: string;
  /** `performance.now()` when it began. */
  startTime: number;
  duration: number;
}

/** `window.__switchboardLongTasks`, present only after an `init` with `benchmark: true`. */
export interface LongTaskLog {
  /** The entry types this browser reports; empty when it supports neither. */
  readonly observed: readonly string[];
  entries(): LongTaskRecord[];
  clear(): void;
}
