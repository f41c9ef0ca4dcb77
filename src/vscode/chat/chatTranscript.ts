import type { Memento } from 'vscode';
import * as z from 'zod/mini';
import type { ChatTurn } from '../../core/prompts/chatContext';
import {
  assistantEntrySchema,
  userEntrySchema,
  type AttachmentChip,
  type ChatTranscriptEntry,
  type HostToWebview,
} from '../../shared/chatProtocol';

const HISTORY_KEY = 'switchboard.chat.history';

/**
 * A user entry also keeps `prompt`, the message the model received, when it
 * differs from what the panel shows (code was attached): follow-ups send the
 * conversation again, attached code included. Entries stored before `prompt`
 * existed load as they are and resend their text.
 */
const storedTranscriptSchema = z.array(
  z.discriminatedUnion('role', [z.extend(userEntrySchema, { prompt: z.optional(z.string()) }), assistantEntrySchema]),
);
type StoredEntry = z.infer<typeof storedTranscriptSchema>[number];
export type AssistantEntry = Extract<ChatTranscriptEntry, { role: 'assistant' }>;

/**
 * The chat conversation, kept in workspace state so it survives a reload,
 * and what it has cost so far. No `vscode` at run time: a Memento is handed in.
 */
export class ChatTranscript {
  /** Read on first use, not at activation: a long history costs its validation only when the panel needs it. */
  private loaded?: StoredEntry[];

  constructor(
    private readonly state: Memento,
    private readonly warn: (message: string) => void,
  ) {}

  private get entries(): StoredEntry[] {
    return (this.loaded ??= this.load());
  }

  /** The `history` message: the whole conversation as the panel shows it. */
  historyMessage(): HostToWebview {
    const messages = this.entries.map((entry): ChatTranscriptEntry =>
      entry.role === 'user' ? { role: 'user', text: entry.text, attachments: entry.attachments } : entry,
    );
    return { type: 'history', messages, totalCostUsd: this.totalCostUsd() };
  }

  /** The conversation as the model receives it. */
  turns(): ChatTurn[] {
    return this.entries.map((entry) => ({ role: entry.role, text: entry.role === 'user' ? (entry.prompt ?? entry.text) : entry.text }));
  }

  /** `prompt`: the message sent to the model, when it is more than `text`. */
  addQuestion(text: string, attachments: AttachmentChip[], prompt = text): void {
    this.entries.push({ role: 'user', text, attachments, ...(prompt !== text ? { prompt } : {}) });
  }

  addAnswer(entry: AssistantEntry): void {
    this.entries.push(entry);
  }

  clear(): void {
    this.loaded = [];
  }

  /** What the answers in this conversation cost; unpriced ones count nothing. */
  totalCostUsd(): number {
    let total = 0;
    for (const entry of this.entries) if (entry.role === 'assistant' && entry.footer?.costUsd) total += entry.footer.costUsd;
    return total;
  }

  save(): Thenable<void> {
    return this.state.update(HISTORY_KEY, this.entries);
  }

  private load(): StoredEntry[] {
    const stored = this.state.get<unknown>(HISTORY_KEY);
    if (stored === undefined) return [];
    const parsed = storedTranscriptSchema.safeParse(stored);
    if (!parsed.success) {
      this.warn('chat: stored history has an unexpected shape and was not restored');
      return [];
    }
    return parsed.data;
  }
}
