import { redactSecrets } from '../redact';
import { identifierSet, identifiersOf } from './identifiers';
import { headAtLineBoundary } from './textWindow';

/** A piece of another file (or of a recent edit) that may help the model. */
export interface ContextSnippet {
  /** Workspace-relative path, shown to the model. */
  path: string;
  text: string;
  /** Jaccard similarity of identifier sets with the text around the cursor, 0..1. */
  score: number;
}

/** An open document the collector may read when it ranks; reading is deferred until its version changes. */
export interface SnippetDocument {
  uri: string;
  relativePath: string;
  languageId: string;
  /** Cheap: VS Code's `TextDocument.version`. */
  version: () => number;
  /** Only called when the version changed since the last read. May return a bounded part of the text. */
  getText: () => string;
}

/** Lines around a place the user just edited, as the adapter saw them. */
export interface RecentEdit {
  uri: string;
  relativePath: string;
  languageId: string;
  /** Zero-based line of the edit, to merge edits to the same place. */
  line: number;
  /** A window of lines around the edit (the adapter bounds it; longer text is cut). */
  text: string;
}

export interface SnippetLimits {
  /** Most recently used documents that are read at all. */
  maxDocuments: number;
  /** Characters read from the start of each document. */
  maxCharsPerDocument: number;
  windowLines: number;
  /** Lines between window starts; half the window, so no snippet boundary hides a function twice. */
  windowStride: number;
  /** Windows scored per request, across all documents. */
  maxWindows: number;
  maxEdits: number;
  maxEditChars: number;
  /** Below this, a window shares too little with the cursor to be worth its tokens. */
  minScore: number;
}

export const DEFAULT_SNIPPET_LIMITS: SnippetLimits = {
  maxDocuments: 12,
  maxCharsPerDocument: 60_000,
  windowLines: 30,
  windowStride: 15,
  maxWindows: 1_500,
  maxEdits: 16,
  maxEditChars: 3_000,
  minScore: 0.05,
};

export interface SnippetOptions {
  /**
   * Documents whose text must never be sent (`switchboard.exclude`). Asked at
   * every query, so a pattern added later also drops what was collected before.
   */
  isExcluded?: (uri: string) => boolean;
}

export interface SnippetQuery {
  /** Only documents of this language family are considered, when given. */
  languageId?: string;
  /** The cursor's line, so edits near it (already in the prompt) are skipped. */
  line?: number;
}

interface Window {
  startLine: number;
  endLine: number;
  /** Distinct identifiers, as ids from the collector's dictionary. */
  tokens: Uint32Array;
  /**
   * Characters of the window's text trimmed, once a request has read it: where less budget is left than a partial
   * snippet needs, a longer window is passed over without joining its lines again (most requests pass over many).
   */
  trimmedLength?: number;
}

interface DocumentEntry {
  source: SnippetDocument;
  version: number | undefined;
  lines: string[];
  windows: Window[];
}

interface EditEntry extends RecentEdit {
  tokens: Uint32Array;
}

interface QueryMarks {
  /** Ids of the query's identifiers that some window has. */
  ids: number[];
  /** All distinct identifiers of the query. */
  size: number;
}

/** Beyond this many distinct identifiers, the dictionary is rebuilt from the documents still tracked. */
const MAX_DICTIONARY = 200_000;

/** A scored window: of an open document, or a recent edit (`window` undefined). */
interface Candidate {
  score: number;
  document: DocumentEntry | undefined;
  edit: EditEntry | undefined;
  window: Window | undefined;
}

/** Only the best few can fit any budget; keeping just these avoids sorting every window. */
const MAX_CANDIDATES = 24;

/**
 * Finds code elsewhere that looks like the code at the cursor, the way the
 * better assistants do: identifier overlap between fixed-size windows. No model
 * calls and no workspace scan; only documents the adapter reports, read at most
 * once per version, with hard caps on how much is read and scored.
 */
export class SnippetCollector {
  /** Most recently used last, so re-noting a document is a delete and an append. */
  private readonly documents = new Map<string, DocumentEntry>();
  private edits: EditEntry[] = [];
  private readonly limits: SnippetLimits;
  /**
   * Identifiers as small integers, so scoring a window is a pass over an
   * integer array against a mark table instead of string hashing.
   */
  private dictionary = new Map<string, number>();
  private marks = new Uint8Array(1024);

  constructor(
    limits: Partial<SnippetLimits> = {},
    private readonly options: SnippetOptions = {},
  ) {
    this.limits = { ...DEFAULT_SNIPPET_LIMITS, ...limits };
  }

  /** Call when a document is opened, shown or focused: it becomes the most recently used. */
  noteOpenDocument(source: SnippetDocument): void {
    const existing = this.documents.get(source.uri);
    this.documents.delete(source.uri);
    this.documents.set(source.uri, existing ? { ...existing, source } : { source, version: undefined, lines: [], windows: [] });
    while (this.documents.size > this.limits.maxDocuments) {
      const oldest = this.documents.keys().next();
      if (oldest.done) break;
      this.documents.delete(oldest.value);
    }
  }

  forgetDocument(uri: string): void {
    this.documents.delete(uri);
    this.edits = this.edits.filter((edit) => edit.uri !== uri);
  }

  recordEdit(edit: RecentEdit): void {
    // Key-shaped strings are masked as text is taken in, so no window or edit ever holds one.
    const text = redactSecrets(headAtLineBoundary(edit.text, this.limits.maxEditChars));
    const near = this.limits.windowLines / 2;
    this.edits = this.edits.filter((old) => old.uri !== edit.uri || Math.abs(old.line - edit.line) > near);
    this.edits.push({ ...edit, text, tokens: this.idsOf(identifierSet(text)) });
    if (this.edits.length > this.limits.maxEdits) this.edits.splice(0, this.edits.length - this.limits.maxEdits);
  }

  /**
   * The best-matching windows, best first, whose texts fit in `budgetChars`
   * together. Windows from the current document are skipped (its nearby code is
   * in the prompt already), except recent edits far from the cursor.
   */
  topSnippets(cursorWindowText: string, currentUri: string, budgetChars: number, query: SnippetQuery = {}): ContextSnippet[] {
    if (budgetChars <= 0) return [];
    const wantedWords = identifierSet(cursorWindowText);
    if (wantedWords.size === 0) return [];
    if (this.dictionary.size > MAX_DICTIONARY) this.resetDictionary();
    const family = query.languageId === undefined ? undefined : languageFamily(query.languageId);
    const fits = (languageId: string): boolean => family === undefined || languageFamily(languageId) === family;

    // Read changed documents first: their new identifiers must be in the dictionary before the query is marked.
    const excluded = this.options.isExcluded ?? (() => false);
    const documents: DocumentEntry[] = [];
    for (const entry of [...this.documents.values()].reverse()) {
      if (entry.source.uri === currentUri || !fits(entry.source.languageId) || excluded(entry.source.uri)) continue;
      this.refresh(entry);
      documents.push(entry);
    }
    const edits = this.edits.filter(
      (edit) =>
        fits(edit.languageId) &&
        !excluded(edit.uri) &&
        (edit.uri !== currentUri || (query.line !== undefined && Math.abs(edit.line - query.line) >= this.limits.windowLines)),
    );

    const wanted = this.markQuery(wantedWords);
    try {
      return this.choose(this.scoreAll(wanted, documents, edits), budgetChars);
    } finally {
      this.clearMarks(wanted.ids);
    }
  }

  private scoreAll(wanted: QueryMarks, documents: readonly DocumentEntry[], edits: readonly EditEntry[]): Candidate[] {
    const best: Candidate[] = [];
    const minScore = this.limits.minScore;
    for (const edit of edits) {
      const score = this.score(wanted, edit.tokens);
      if (score >= minScore) keepBest(best, { score, document: undefined, edit, window: undefined });
    }
    let budget = this.limits.maxWindows;
    for (const document of documents) {
      for (const window of document.windows) {
        if (budget-- <= 0) return best;
        const score = this.score(wanted, window.tokens);
        if (score >= minScore && (best.length < MAX_CANDIDATES || score > (best[best.length - 1]?.score ?? 0))) {
          keepBest(best, { score, document, edit: undefined, window });
        }
      }
    }
    return best;
  }

  /** Best first, skipping windows that overlap one already chosen, until the budget is spent. */
  private choose(candidates: readonly Candidate[], budgetChars: number): ContextSnippet[] {
    const chosen: Array<{ uri: string; startLine: number; endLine: number }> = [];
    const snippets: ContextSnippet[] = [];
    let remaining = budgetChars;
    for (const candidate of candidates) {
      if (remaining <= 0) break;
      const place = placeOf(candidate, this.limits.windowLines);
      if (chosen.some((other) => other.uri === place.uri && other.startLine < place.endLine && place.startLine < other.endLine)) continue;
      const known = candidate.window?.trimmedLength;
      if (known !== undefined && known > remaining && remaining < MIN_PARTIAL_SNIPPET) continue;
      let text = textOf(candidate).trim();
      if (candidate.window) candidate.window.trimmedLength = text.length;
      if (!text) continue;
      if (text.length > remaining) {
        // The start of a well-matching window beats a worse window that fits.
        if (remaining < MIN_PARTIAL_SNIPPET) continue;
        text = headAtLineBoundary(text, remaining).trimEnd();
      }
      chosen.push(place);
      snippets.push({ path: place.path, text, score: candidate.score });
      remaining -= text.length;
    }
    return snippets;
  }

  /** Re-reads and re-windows a document whose version changed since it was last read. */
  private refresh(entry: DocumentEntry): void {
    const version = entry.source.version();
    if (version === entry.version) return;
    // Masked whole, before windowing, so a private-key block spanning two windows is still seen as one.
    const text = redactSecrets(headAtLineBoundary(entry.source.getText(), this.limits.maxCharsPerDocument));
    entry.version = version;
    entry.lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
    entry.windows = [];
    const lineWords = entry.lines.map(identifiersOf);
    const { windowLines, windowStride } = this.limits;
    for (let start = 0; start < entry.lines.length; start += windowStride) {
      const end = Math.min(entry.lines.length, start + windowLines);
      const words = new Set<string>();
      for (let line = start; line < end; line++) for (const word of lineWords[line] ?? []) words.add(word);
      if (words.size > 0) entry.windows.push({ startLine: start, endLine: end, tokens: this.idsOf(words) });
      if (end === entry.lines.length) break;
    }
  }

  private idsOf(words: ReadonlySet<string>): Uint32Array {
    const ids = new Uint32Array(words.size);
    let i = 0;
    for (const word of words) {
      let id = this.dictionary.get(word);
      if (id === undefined) {
        id = this.dictionary.size;
        this.dictionary.set(word, id);
      }
      ids[i++] = id;
    }
    return ids;
  }

  /** Marks the query's known identifiers; unknown ones match nothing but still count in the union. */
  private markQuery(words: ReadonlySet<string>): QueryMarks {
    if (this.marks.length < this.dictionary.size) this.marks = new Uint8Array(Math.max(this.dictionary.size, this.marks.length * 2));
    const ids: number[] = [];
    for (const word of words) {
      const id = this.dictionary.get(word);
      if (id === undefined || id >= this.marks.length) continue;
      this.marks[id] = 1;
      ids.push(id);
    }
    return { ids, size: words.size };
  }

  private clearMarks(ids: readonly number[]): void {
    for (const id of ids) this.marks[id] = 0;
  }

  /** Jaccard similarity |A ∩ B| / |A ∪ B| of the marked query and a window. */
  private score(wanted: QueryMarks, tokens: Uint32Array): number {
    if (wanted.ids.length === 0 || tokens.length === 0) return 0;
    const marks = this.marks;
    let shared = 0;
    for (let i = 0; i < tokens.length; i++) if (marks[tokens[i] as number] === 1) shared++;
    return shared / (wanted.size + tokens.length - shared);
  }

  /** Ids from documents long closed pile up; starting over re-reads the few documents still tracked. */
  private resetDictionary(): void {
    this.dictionary = new Map();
    this.marks = new Uint8Array(1024);
    for (const entry of this.documents.values()) entry.version = undefined;
    this.edits = this.edits.map((edit) => ({ ...edit, tokens: this.idsOf(identifierSet(edit.text)) }));
  }
}

/** Inserts `candidate` in score order, dropping the worst beyond MAX_CANDIDATES. */
function keepBest(best: Candidate[], candidate: Candidate): void {
  let at = best.length;
  while (at > 0 && (best[at - 1] as Candidate).score < candidate.score) at--;
  if (at >= MAX_CANDIDATES) return;
  best.splice(at, 0, candidate);
  if (best.length > MAX_CANDIDATES) best.pop();
}

function placeOf(candidate: Candidate, windowLines: number): { uri: string; path: string; startLine: number; endLine: number } {
  if (candidate.document && candidate.window) {
    const { source } = candidate.document;
    return { uri: source.uri, path: source.relativePath, startLine: candidate.window.startLine, endLine: candidate.window.endLine };
  }
  const edit = candidate.edit as EditEntry;
  const half = Math.floor(windowLines / 2);
  return { uri: edit.uri, path: edit.relativePath, startLine: edit.line - half, endLine: edit.line + half };
}

function textOf(candidate: Candidate): string {
  if (candidate.document && candidate.window) return candidate.document.lines.slice(candidate.window.startLine, candidate.window.endLine).join('\n');
  return (candidate.edit as EditEntry).text;
}

/** A snippet cut shorter than this tells the model too little to be worth sending. */
const MIN_PARTIAL_SNIPPET = 300;

// No prototype: looked up by a document's language id, which may be "constructor" or "toString".
const FAMILIES: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
  javascript: 'js',
  javascriptreact: 'js',
  typescript: 'js',
  typescriptreact: 'js',
  vue: 'js',
  svelte: 'js',
  c: 'c',
  cpp: 'c',
  'objective-c': 'c',
  'objective-cpp': 'c',
  cuda: 'c',
});

function languageFamily(languageId: string): string {
  return FAMILIES[languageId] ?? languageId;
}
