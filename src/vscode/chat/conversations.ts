import type { Memento } from 'vscode';
import * as z from 'zod/mini';
import { lazy } from '../../shared/lazy';
import type { AnswerDrafts } from './answerDrafts';
import { ChatTranscript, readStoredEntries } from './chatTranscript';

/** The list of conversations; each conversation's messages live under their own key. */
const INDEX_KEY = 'switchboard.chat.conversations';
const CONVERSATION_KEY_PREFIX = 'switchboard.chat.conversation.';
/** Where versions before the list kept the one conversation. */
export const LEGACY_HISTORY_KEY = 'switchboard.chat.history';

/** Also names the conversation's answer draft file. */
const CONVERSATION_ID = /^[\w-]{1,64}$/;
const TITLE_CHARS = 60;
/**
 * Most conversations kept per workspace: past it, the least recently used go, messages and all.
 * Workspace state is one database read whole at startup; a list that only grows would slow every window.
 */
export const MAX_CONVERSATIONS = 100;
export const UNTITLED = 'New conversation';

/** Built when the conversations are first loaded (see lazy.ts), not at activation. */
const storedSchemas = lazy(() => ({
  summary: z.object({
    id: z.string().check(z.regex(CONVERSATION_ID)),
    title: z.string().check(z.maxLength(200)),
    /** The user named it; otherwise it is named after its first question. */
    renamed: z.optional(z.boolean()),
    createdAt: z.number(),
    updatedAt: z.number(),
    messages: z.number(),
    costUsd: z.number(),
  }),
  index: z.object({ v: z.literal(1), current: z.optional(z.string()), list: z.array(z.unknown()) }),
}));
export type ConversationSummary = z.infer<ReturnType<typeof storedSchemas>['summary']>;

/**
 * The chat panel's conversations in this workspace: the one shown, and the
 * list to open, rename or delete. Kept in workspace state and validated on
 * load (a malformed entry is left out and named in the log); the single
 * conversation older versions kept is moved into the list on first load.
 * No `vscode` at run time: a Memento is handed in.
 */
export class Conversations {
  private summaries: ConversationSummary[] = [];
  private shown!: ChatTranscript;
  private shownId = '';
  private loaded = false;
  /** Deleted in this window: an answer still streaming into one of them saves nothing (ChatTranscript's `kept`). */
  private readonly deleted = new Set<string>();

  constructor(
    private readonly state: Memento,
    private readonly warn: (message: string) => void,
    private readonly now: () => number = Date.now,
    /** Where answers streaming now are saved (answerDrafts.ts); undefined in an empty window, which has no storage folder. */
    private readonly drafts?: AnswerDrafts,
  ) {}

  /** The conversation the panel shows; a new empty one until something is said. */
  get current(): ChatTranscript {
    this.load();
    return this.shown;
  }

  get currentId(): string {
    this.load();
    return this.shownId;
  }

  /** The shown conversation's title. */
  get currentTitle(): string {
    return this.summaries.find((summary) => summary.id === this.currentId)?.title ?? UNTITLED;
  }

  /** Every saved conversation, the most recently used first. */
  list(): ConversationSummary[] {
    this.load();
    return [...this.summaries].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** Shows a new, empty conversation; it joins the list once something is said in it. */
  async startNew(): Promise<void> {
    this.load();
    this.show(this.newId());
    await this.saveIndex();
  }

  /** Shows a listed conversation; false when there is none with this id. */
  async open(id: string): Promise<boolean> {
    this.load();
    if (!this.summaries.some((summary) => summary.id === id)) return false;
    this.show(id);
    await this.saveIndex();
    return true;
  }

  async rename(id: string, title: string): Promise<void> {
    this.load();
    const summary = this.summaries.find((entry) => entry.id === id);
    const cleaned = oneLine(title);
    if (!summary || !cleaned) return;
    summary.title = cleaned;
    summary.renamed = true;
    await this.saveIndex();
  }

  /** Forgets a conversation and its messages; deleting the shown one shows the most recent other, or a new one. */
  async delete(id: string): Promise<void> {
    this.load();
    this.summaries = this.summaries.filter((summary) => summary.id !== id);
    this.deleted.add(id);
    await this.state.update(conversationKey(id), undefined);
    await this.removeDraft(id);
    if (id === this.shownId) this.show(this.list()[0]?.id ?? this.newId());
    await this.saveIndex();
  }

  private show(id: string): void {
    this.shownId = id;
    this.shown = new ChatTranscript(
      this.state,
      conversationKey(id),
      this.warn,
      (transcript) => this.noteSaved(id, transcript),
      () => !this.deleted.has(id),
      this.drafts && CONVERSATION_ID.test(id) ? this.drafts.for(id) : undefined,
    );
  }

  /** Keeps the list in step with a conversation that was just saved. */
  private async noteSaved(id: string, transcript: ChatTranscript): Promise<void> {
    const now = this.now();
    let summary = this.summaries.find((entry) => entry.id === id);
    if (!summary) {
      if (transcript.messageCount === 0) return;
      summary = { id, title: UNTITLED, createdAt: now, updatedAt: now, messages: 0, costUsd: 0 };
      this.summaries.push(summary);
      await this.forgetBeyondLimit(id);
    }
    if (!summary.renamed) summary.title = titleFor(transcript);
    summary.updatedAt = now;
    summary.messages = transcript.messageCount;
    summary.costUsd = transcript.totalCostUsd();
    await this.saveIndex();
  }

  /** Deletes the least recently used conversations past MAX_CONVERSATIONS, never `keep` (the one just saved). */
  private async forgetBeyondLimit(keep: string): Promise<void> {
    const excess = this.summaries.length - MAX_CONVERSATIONS;
    if (excess <= 0) return;
    const oldest = this.summaries.filter((summary) => summary.id !== keep).sort((a, b) => a.updatedAt - b.updatedAt).slice(0, excess);
    const gone = new Set(oldest.map((summary) => summary.id));
    this.summaries = this.summaries.filter((summary) => !gone.has(summary.id));
    for (const id of gone) {
      this.deleted.add(id);
      await this.state.update(conversationKey(id), undefined);
      await this.removeDraft(id);
    }
  }

  /** A deleted conversation's draft goes too: a failure to remove it is logged, the deletion stands. */
  private async removeDraft(id: string): Promise<void> {
    if (!this.drafts || !CONVERSATION_ID.test(id)) return;
    await this.drafts.for(id).remove().catch((error: unknown) => this.warn(`chat: could not remove the answer draft of a deleted conversation: ${String(error)}`));
  }

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    const stored = this.state.get<unknown>(INDEX_KEY);
    const schemas = storedSchemas();
    const index = stored === undefined ? undefined : schemas.index.safeParse(stored);
    if (index?.success) {
      for (const raw of index.data.list) {
        const summary = schemas.summary.safeParse(raw);
        if (summary.success && !this.summaries.some((entry) => entry.id === summary.data.id)) this.summaries.push(summary.data);
        else this.warn('chat: left out a malformed entry of the stored conversation list');
      }
      const current = index.data.current;
      this.show(current !== undefined && CONVERSATION_ID.test(current) ? current : this.newId());
      this.sweepDrafts();
      return;
    }
    if (index) this.warn('chat: the stored conversation list has an unexpected shape and was started afresh');
    this.show(this.newId());
    this.migrateLegacyHistory();
    this.sweepDrafts();
  }

  /** Drafts no listed conversation will fold in (answerDrafts.ts `sweep`): crashes' temporary files, conversations dropped. */
  private sweepDrafts(): void {
    if (!this.drafts) return;
    const keep = new Set([...this.summaries.map((summary) => summary.id), this.shownId]);
    void this.drafts.sweep(keep, this.now()).catch((error: unknown) => this.warn(`chat: could not sweep leftover answer drafts: ${String(error)}`));
  }

  /** The one conversation older versions kept becomes the first of the list (written on the next save). */
  private migrateLegacyHistory(): void {
    const legacy = this.state.get<unknown>(LEGACY_HISTORY_KEY);
    if (legacy === undefined) return;
    const entries = readStoredEntries(legacy, 'the conversation stored by an earlier version', this.warn);
    if (entries.length === 0) {
      void this.state.update(LEGACY_HISTORY_KEY, undefined);
      return;
    }
    const migrated = this.shown;
    for (const entry of entries) {
      if (entry.role === 'user') migrated.addQuestion(entry.text, entry.attachments, entry.prompt);
      else migrated.addAnswer(entry);
    }
    // The old key goes only once the conversation is safely under its new one.
    void migrated.save().then(() => this.state.update(LEGACY_HISTORY_KEY, undefined));
  }

  private saveIndex(): Thenable<void> {
    return this.state.update(INDEX_KEY, { v: 1, current: this.shownId, list: this.summaries });
  }

  private newId(): string {
    return `c${this.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
  }
}

function conversationKey(id: string): string {
  return `${CONVERSATION_KEY_PREFIX}${id}`;
}

function titleFor(transcript: ChatTranscript): string {
  const question = oneLine(transcript.firstQuestion() ?? '');
  if (!question) return UNTITLED;
  return question.length > TITLE_CHARS ? `${question.slice(0, TITLE_CHARS - 1).trimEnd()}…` : question;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}
