import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod/mini';
import { isProcessAlive } from '../../core/processAlive';
import { lazy } from '../../shared/lazy';

/**
 * The answer streaming now, as far as it has come, for one conversation: `position` is the absolute index
 * (removed messages counted) of the answer it stands for, so a draft left behind by an earlier answer is
 * never taken for a later one.
 */
export interface AnswerDraft {
  position: number;
  text: string;
}

/** One conversation's draft: what a ChatTranscript writes while an answer streams, instead of workspace state. */
export interface AnswerDraftFile {
  /** The draft left on disk, if any (read when the conversation loads: after a crash it holds the answer so far). */
  read(): AnswerDraft | undefined;
  /** Writes the draft; writes still waiting are replaced by a later one, so a slow disk never queues up answers. */
  write(draft: AnswerDraft): Promise<void>;
  /** Writes the draft before returning: the window is closing and may not wait for a promise. */
  writeNow(draft: AnswerDraft): void;
  /** Removes the draft once the answer is in the conversation (or the conversation is deleted). */
  remove(): Promise<void>;
}

const draftSchema = lazy(() => z.object({ v: z.literal(1), position: z.int().check(z.gte(0)), text: z.string() }));

/** Conversation ids are checked on load (`^[\w-]{1,64}$`); checked again here, since they name files. */
const SAFE_ID = /^[\w-]{1,64}$/;

/** A draft untouched for this long belongs to no answer streaming now (one streaming is written every second). */
export const ORPHAN_DRAFT_MS = 60 * 60_000;
/** A draft's file (`<id>.json`, `<id>.closing.json`), and a temporary one (`….<pid>.<n>.tmp`). */
const DRAFT_NAME = /^([\w-]{1,64})(?:\.closing)?\.json$/;
const TEMP_NAME = /^[\w-]{1,64}(?:\.closing)?\.json\.(\d+)\.\d+\.tmp$/;

/** A write or removal waiting its turn, and the promise its callers hold. */
interface Queued {
  run: () => Promise<void>;
  done: Promise<void>;
}

/**
 * Drafts of answers streaming now, one small JSON file per conversation in the extension's own
 * per-workspace storage folder (`context.storageUri`, never a folder the workspace names). Saving the
 * answer so far here costs the size of that answer; in workspace state it cost the whole history,
 * which VS Code sends to the workbench on every update. Each write goes to a temporary file first and
 * is renamed over the draft, so a crash leaves the old draft or the new one, never half of one.
 * Writes for one conversation run one at a time; the synchronous write a closing window makes goes to
 * a second file, so an asynchronous write still in flight cannot overwrite it with less: `read` takes
 * the longer of the two, an answer only grows.
 */
export class AnswerDrafts {
  private readonly running = new Map<string, Promise<void>>();
  private readonly queued = new Map<string, Queued>();
  private made = false;
  private tempCount = 0;

  constructor(
    private readonly folder: string,
    private readonly warn: (message: string) => void,
  ) {}

  for(id: string): AnswerDraftFile {
    if (!SAFE_ID.test(id)) throw new Error(`chat: a conversation id that cannot name a draft file: ${JSON.stringify(id)}`);
    const file = path.join(this.folder, `${id}.json`);
    const closing = path.join(this.folder, `${id}.closing.json`);
    return {
      read: () => this.longer(this.readFile(file), this.readFile(closing)),
      write: (draft) => this.enqueue(id, () => this.writeFile(file, draft)),
      writeNow: (draft) => {
        this.makeFolder();
        const temp = this.tempName(closing);
        fs.writeFileSync(temp, serialise(draft));
        fs.renameSync(temp, closing);
      },
      remove: () => this.enqueue(id, async () => {
        await fs.promises.rm(file, { force: true });
        await fs.promises.rm(closing, { force: true });
      }),
    };
  }

  /**
   * Removes what no one will read: a temporary file left by a crash between its write and its rename (its
   * writer gone, or untouched for ORPHAN_DRAFT_MS), and the draft of a conversation not in `keep` (dropped
   * from a list found corrupt, or deleted while a window could not remove its draft) untouched for as long.
   * Only names this class makes are looked at; a recent draft of an unlisted conversation may be another
   * window's answer streaming now, so it stays. Runs beside writes; `idle` waits for it too.
   */
  sweep(keep: ReadonlySet<string>, now: number): Promise<number> {
    const done = this.sweepNow(keep, now);
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.running.set(SWEEP_KEY, settled);
    void settled.then(() => {
      if (this.running.get(SWEEP_KEY) === settled) this.running.delete(SWEEP_KEY);
    });
    return done;
  }

  private async sweepNow(keep: ReadonlySet<string>, now: number): Promise<number> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.folder);
    } catch {
      return 0; // No folder yet: nothing was ever written.
    }
    let removed = 0;
    for (const name of names) {
      const temp = TEMP_NAME.exec(name);
      const draft = temp ? undefined : DRAFT_NAME.exec(name);
      if (!temp && (!draft || keep.has(draft[1]!))) continue;
      const file = path.join(this.folder, name);
      const info = await fs.promises.lstat(file).catch(() => undefined);
      if (!info?.isFile()) continue;
      const old = now - info.mtimeMs > ORPHAN_DRAFT_MS;
      if (!(old || (temp && !isProcessAlive(Number(temp[1]))))) continue;
      try {
        await fs.promises.rm(file, { force: true });
        removed++;
      } catch (error) {
        this.warn(`chat: could not remove the leftover answer draft ${file}: ${String(error)}`);
      }
    }
    return removed;
  }

  /** Settles once every write and removal asked for so far has (tests wait on it instead of on time). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  /** Runs `run` after what is running for `id`; one still waiting is replaced, its callers get this one's outcome. */
  private enqueue(id: string, run: () => Promise<void>): Promise<void> {
    const waiting = this.queued.get(id);
    if (waiting) {
      waiting.run = run;
      return waiting.done;
    }
    const queued: Queued = { run, done: Promise.resolve() };
    const before = this.running.get(id) ?? Promise.resolve();
    queued.done = before.then(() => {
      // From here on, a later call queues behind this one instead of replacing it.
      this.queued.delete(id);
      return queued.run();
    });
    this.queued.set(id, queued);
    const settled = queued.done.catch(() => undefined);
    this.running.set(id, settled);
    void settled.then(() => {
      if (this.running.get(id) === settled) this.running.delete(id);
    });
    return queued.done;
  }

  private async writeFile(file: string, draft: AnswerDraft): Promise<void> {
    this.makeFolder();
    const temp = this.tempName(file);
    try {
      await fs.promises.writeFile(temp, serialise(draft));
      await fs.promises.rename(temp, file);
    } catch (error) {
      await fs.promises.rm(temp, { force: true });
      throw error;
    }
  }

  private readFile(file: string): AnswerDraft | undefined {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(`chat: could not read the answer draft ${file}: ${String(error)}`);
      return undefined;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const draft = draftSchema().safeParse(parsed);
    if (draft.success) return { position: draft.data.position, text: draft.data.text };
    this.warn(`chat: the answer draft ${file} has an unexpected shape and was not restored`);
    return undefined;
  }

  private longer(a: AnswerDraft | undefined, b: AnswerDraft | undefined): AnswerDraft | undefined {
    if (!a || !b) return a ?? b;
    if (a.position !== b.position) return a.position > b.position ? a : b;
    return a.text.length >= b.text.length ? a : b;
  }

  private makeFolder(): void {
    if (this.made) return;
    fs.mkdirSync(this.folder, { recursive: true });
    this.made = true;
  }

  /** Unique within this process and between windows sharing the folder. */
  private tempName(file: string): string {
    return `${file}.${process.pid}.${++this.tempCount}.tmp`;
  }
}

/** The sweep's place among the writes `idle` waits for: no conversation id has a NUL. */
const SWEEP_KEY = '\0sweep';

function serialise(draft: AnswerDraft): string {
  return JSON.stringify({ v: 1, position: draft.position, text: draft.text });
}
