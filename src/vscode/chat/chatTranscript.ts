import type { Memento } from 'vscode';
import * as z from 'zod/mini';
import type { ChatTurn } from '../../core/prompts/chatContext';
import {
  transcriptEntrySchemas,
  type AttachmentChip,
  type ChatTranscriptEntry,
  type HostToWebview,
} from '../../shared/chatProtocol';
import { lazy } from '../../shared/lazy';
import type { AnswerDraftFile } from './answerDrafts';
import { oldestToRemove } from './conversationBound';

/**
 * A user entry also keeps `prompt`, the message the model received, when it
 * differs from what the panel shows (code was attached): follow-ups send the
 * conversation again, attached code included. Entries stored before `prompt`
 * existed load as they are and resend their text. The first entry of a
 * conversation that outgrew its bound (conversationBound.ts) keeps `earlier`:
 * how many older messages were removed, and what they had cost.
 */
const storedEntrySchema = lazy(() => {
  const { user, assistant } = transcriptEntrySchemas();
  const earlier = z.object({ messages: z.int().check(z.gte(1)), costUsd: z.number() });
  return z.discriminatedUnion('role', [z.extend(user, { prompt: z.optional(z.string()), earlier: z.optional(earlier) }), assistant]);
});
export type StoredEntry = z.infer<ReturnType<typeof storedEntrySchema>>;
export type AssistantEntry = Extract<ChatTranscriptEntry, { role: 'assistant' }>;

/**
 * What an answer still streaming is stored as (see `answerSoFar`), and what a cancelled answer says when
 * the window, not the user, ended it: after a reload the conversation shows it broken off, with Ask again.
 */
export const WINDOW_CLOSED_MESSAGE = 'The answer broke off: the window was closed or reloaded before it ended.';

/** An answer cut short by the window closing: what had streamed, marked so that it may be asked again. */
function brokenOffAnswer(text: string): AssistantEntry {
  return { role: 'assistant', text, error: { message: WINDOW_CLOSED_MESSAGE, attempts: [], retryable: true } };
}

/**
 * Reads stored entries back, keeping every well-formed one: workspace state
 * may hold what an older version wrote, or something hand-edited. `warn`
 * names what was left out.
 */
export function readStoredEntries(stored: unknown, what: string, warn: (message: string) => void): StoredEntry[] {
  if (stored === undefined) return [];
  if (!Array.isArray(stored)) {
    warn(`chat: ${what} has an unexpected shape and was not restored`);
    return [];
  }
  const schema = storedEntrySchema();
  const entries = stored.flatMap((entry) => {
    const parsed = schema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
  if (entries.length < stored.length) warn(`chat: left out ${stored.length - entries.length} malformed message(s) of ${what}`);
  return entries;
}

/**
 * One chat conversation, kept in workspace state under its own key so it
 * survives a reload, and what it has cost so far. No `vscode` at run time:
 * a Memento is handed in. `afterSave` lets the conversation list follow.
 */
export class ChatTranscript {
  /** Read on first use, not at activation: a long history costs its validation only when the panel needs it. */
  private loaded?: StoredEntry[];
  /**
   * The answer streaming now, as far as it has been saved: stored after the entries as broken off, so a
   * window that reloads or closes mid-answer (the process may end before the answer's own save) comes
   * back with the question and what had streamed. Never part of the conversation the model or the panel sees.
   */
  private inProgress?: AssistantEntry;
  /** The oldest messages removed to keep the conversation within its bound, and what they had cost. */
  private earlier = { messages: 0, costUsd: 0 };
  /** Each entry's stored size, measured once: the bound is checked at every save. */
  private readonly sizes = new WeakMap<object, number>();

  constructor(
    private readonly state: Memento,
    readonly key: string,
    private readonly warn: (message: string) => void,
    private readonly afterSave: (transcript: ChatTranscript) => Thenable<void> | void = () => undefined,
    /** False once the conversation was deleted: an answer still streaming into it must not write it back. */
    private readonly kept: () => boolean = () => true,
    /**
     * Where the answer streaming now is saved every second (answerDrafts.ts); without one (an empty
     * window has no storage folder) it goes to workspace state with the rest of the conversation.
     */
    private readonly draft?: AnswerDraftFile,
  ) {}

  /** A draft may be on disk: the next save that holds the whole answer removes it. */
  private draftLeft = false;

  private get entries(): StoredEntry[] {
    if (!this.loaded) {
      this.loaded = readStoredEntries(this.state.get<unknown>(this.key), 'a stored conversation', this.warn);
      const first = this.loaded[0];
      if (first?.role === 'user' && first.earlier) this.earlier = { ...first.earlier };
      this.foldDraft(this.loaded);
    }
    return this.loaded;
  }

  /**
   * After a crash or a reload mid-answer, workspace state ends with the empty broken-off answer saved with
   * the question, and the draft holds what had streamed: the draft takes its place. A draft for any other
   * position is left over from an answer that was saved whole; the next save removes it.
   */
  private foldDraft(entries: StoredEntry[]): void {
    if (!this.draft) return;
    const draft = this.draft.read();
    if (!draft) return;
    this.draftLeft = true;
    const last = entries.at(-1);
    const lastPosition = this.earlier.messages + entries.length - 1;
    // Longer only: a window that lived to save the cancelled answer whole has nothing to gain from its draft.
    if (last?.role === 'assistant' && last.error?.message === WINDOW_CLOSED_MESSAGE && draft.position === lastPosition && draft.text.length > last.text.length) {
      entries[entries.length - 1] = { ...last, text: draft.text };
    }
  }

  /** How many of the oldest messages were removed to keep the conversation within its bound. */
  get removedMessages(): number {
    // Reading the entries loads `earlier` with them; with none, nothing was removed.
    return this.entries.length > 0 ? this.earlier.messages : 0;
  }

  /** The `history` message: the whole conversation as the panel shows it, under its title. */
  historyMessage(title?: string): Extract<HostToWebview, { type: 'history' }> {
    const messages = this.entries.map((entry): ChatTranscriptEntry =>
      entry.role === 'user' ? { role: 'user', text: entry.text, attachments: entry.attachments } : entry,
    );
    const removed = this.earlier.messages;
    return {
      type: 'history',
      messages,
      totalCostUsd: this.totalCostUsd(),
      ...(title !== undefined ? { title } : {}),
      ...(removed > 0 ? { removedMessages: removed } : {}),
    };
  }

  /** The conversation as the model receives it. */
  turns(): ChatTurn[] {
    return this.entries.map((entry) => ({ role: entry.role, text: entry.role === 'user' ? (entry.prompt ?? entry.text) : entry.text }));
  }

  /** `prompt`: the message sent to the model, when it is more than `text`. */
  addQuestion(text: string, attachments: AttachmentChip[], prompt = text): void {
    // An answer that never ended (its request threw) stays the broken-off answer of its own question.
    if (this.inProgress) this.entries.push(this.inProgress);
    this.inProgress = undefined;
    this.entries.push({ role: 'user', text, attachments, ...(prompt !== text ? { prompt } : {}) });
  }

  /**
   * The question an answer (by its ledger record id) replied to, as the model
   * received it, and the conversation before it: what "Retry with the strong
   * model" asks again. Undefined when no such answer is in the conversation.
   */
  questionOf(recordId: string): { text: string; attachments: AttachmentChip[]; prompt: string; history: ChatTurn[] } | undefined {
    const entries = this.entries;
    const answer = entries.findIndex((entry) => entry.role === 'assistant' && entry.footer?.recordId === recordId);
    let question = answer - 1;
    while (question >= 0 && entries[question]!.role !== 'user') question--;
    return answer < 0 ? undefined : this.questionAt(question);
  }

  /** Whether Auto's failed strong tier handed the answer with this ledger record id to the cheap tier. */
  answerHandedOverFromStrong(recordId: string): boolean {
    return this.entries.some((entry) => entry.role === 'assistant' && entry.footer?.recordId === recordId && entry.footer.routing?.handedOverFrom === 'strong');
  }

  /** Whether the answer with this ledger record id had no known price (its footer's cost is null). */
  answerUnpriced(recordId: string): boolean {
    return this.entries.some((entry) => entry.role === 'assistant' && entry.footer?.recordId === recordId && entry.footer.costUsd === null);
  }

  /**
   * The question of the conversation's last answer when that answer failed in a way asking again
   * may mend (a provider or the network, not a refusal), as `questionOf` gives it; else undefined.
   */
  lastFailedQuestion(): { text: string; attachments: AttachmentChip[]; prompt: string; history: ChatTurn[] } | undefined {
    const last = this.entries.at(-1);
    return last?.role === 'assistant' && last.error?.retryable ? this.questionAt(this.entries.length - 2) : undefined;
  }

  /** The user's entry at `index` as the model received it, with the conversation before it; undefined when it is not a question. */
  private questionAt(index: number): { text: string; attachments: AttachmentChip[]; prompt: string; history: ChatTurn[] } | undefined {
    const entry = this.entries[index];
    if (entry?.role !== 'user') return undefined;
    return { text: entry.text, attachments: entry.attachments, prompt: entry.prompt ?? entry.text, history: this.turns().slice(0, index) };
  }

  addAnswer(entry: AssistantEntry): void {
    this.inProgress = undefined;
    this.entries.push(entry);
  }

  /** The text of the answer streaming now; kept on the next `save` as an answer that broke off, until `addAnswer`. */
  answerSoFar(text: string): void {
    this.inProgress = brokenOffAnswer(text);
  }

  get messageCount(): number {
    return this.entries.length;
  }

  /** The first question asked, as shown: what a conversation is named after until the user renames it. */
  firstQuestion(): string | undefined {
    return this.entries.find((entry) => entry.role === 'user')?.text;
  }

  /** What the answers in this conversation cost, removed ones included; unpriced ones count nothing. */
  totalCostUsd(): number {
    let total = 0;
    for (const entry of this.entries) if (entry.role === 'assistant' && entry.footer?.costUsd) total += entry.footer.costUsd;
    return total + this.earlier.costUsd;
  }

  /**
   * Removes the oldest exchanges when the conversation has outgrown its bound (conversationBound.ts),
   * counting them and their cost in `earlier`; returns how many messages went.
   */
  private keepWithinBound(): number {
    const entries = this.entries;
    const count = oldestToRemove(
      entries,
      entries.map((entry) => this.sizeOf(entry)),
      this.inProgress ? this.sizeOf(this.inProgress) : 0,
    );
    if (count === 0) return 0;
    const removed = entries.splice(0, count);
    let costUsd = 0;
    for (const entry of removed) if (entry.role === 'assistant' && entry.footer?.costUsd) costUsd += entry.footer.costUsd;
    this.earlier = { messages: this.earlier.messages + count, costUsd: this.earlier.costUsd + costUsd };
    return count;
  }

  private sizeOf(entry: StoredEntry): number {
    let size = this.sizes.get(entry);
    if (size === undefined) {
      size = JSON.stringify(entry).length;
      this.sizes.set(entry, size);
    }
    return size;
  }

  /** Writes the conversation (within its bound) to workspace state; returns how many old messages this save removed. */
  async save(): Promise<number> {
    if (!this.kept()) return 0;
    const removed = this.keepWithinBound();
    const stored: StoredEntry[] = this.inProgress ? [...this.entries, this.inProgress] : [...this.entries];
    const first = stored[0];
    if (this.earlier.messages > 0 && first?.role === 'user') stored[0] = { ...first, earlier: this.earlier };
    await this.state.update(this.key, stored);
    // Only once workspace state holds the answer whole (or the draft folded in on load): until then the
    // draft is all a crash would leave of it.
    if (this.draftLeft && !this.inProgress && this.draft) {
      this.draftLeft = false;
      await this.draft.remove();
    }
    await this.afterSave(this);
    return removed;
  }

  /**
   * Saves the answer streaming now as far as `answerSoFar` has it: to the draft file alone, which costs the
   * size of this answer; workspace state keeps the empty broken-off answer the question was saved with.
   * `now`: written before returning, for a window that is closing. Without a draft file, the whole save.
   */
  async saveAnswerSoFar({ now = false }: { now?: boolean } = {}): Promise<void> {
    if (!this.draft || !this.inProgress) {
      await this.save();
      return;
    }
    if (!this.kept()) return;
    const draft = { position: this.earlier.messages + this.entries.length, text: this.inProgress.text };
    this.draftLeft = true;
    if (now) this.draft.writeNow(draft);
    else await this.draft.write(draft);
  }
}
