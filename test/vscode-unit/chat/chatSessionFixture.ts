/**
 * What every chat session test file shares: a fake OpenAI server, a folder for ledgers and drafts, a Switchboard on
 * the chat route (Auto off), the workspace state, and what the session posted to the panel and warned about, fresh
 * for each test. Tests reach them through the fixture, since some replace them (another Switchboard, a new page).
 */
import type { DirectAnswerStream } from '../../../src/vscode/chat/directStreamServer';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import { Switchboard } from '../../../src/core/switchboard';
import type { ChatMessage } from '../../../src/core/types';
import type { HostToWebview } from '../../../src/shared/chatProtocol';
import type { AnswerDrafts } from '../../../src/vscode/chat/answerDrafts';
import { ChatSession } from '../../../src/vscode/chat/chatSession';
import type { ChatTranscript } from '../../../src/vscode/chat/chatTranscript';
import { Conversations } from '../../../src/vscode/chat/conversations';
import { startFakeOpenAI, type FakeServer } from '../../fakes/index';
import type { ManualClock } from './manualClock';
import { MemoryMemento } from './memoryMemento';

/** Code a question attaches. */
export const CODE = 'export const lowStock = (items) => items.filter((item) => item.count < item.reorderAt);';

export class ChatSessionFixture {
  fake!: FakeServer;
  /** Ledgers and draft folders go here; removed after the file's tests. */
  dir!: string;
  switchboard!: Switchboard;
  state!: MemoryMemento;
  posted!: HostToWebview[];
  warnings!: string[];
  /** Every Switchboard a test opens, disposed after it: their ledgers append in the background, and must be written out before the folder goes. */
  readonly opened: Switchboard[] = [];

  /** A session on the current Switchboard; `page`: what the webview does with each message after it is posted (acknowledge, reload). */
  session(
    page?: (message: HostToWebview, chat: ChatSession) => void,
    {
      memento = this.state,
      clock,
      drafts,
      directStream,
    }: { memento?: MemoryMemento; clock?: ManualClock; drafts?: AnswerDrafts; directStream?: () => DirectAnswerStream | undefined } = {},
  ): { transcript: ChatTranscript; session: ChatSession } {
    const transcript = new Conversations(memento, (message) => this.warnings.push(message), Date.now, drafts).current;
    const log = { info: () => undefined, warn: (message: string) => this.warnings.push(message) };
    const chat: ChatSession = new ChatSession({
      switchboard: this.switchboard,
      transcript,
      log,
      ...(clock ? { clock } : {}),
      ...(directStream ? { directStream, directFailure: (reason: string) => this.warnings.push(`direct stream failed: ${reason}`) } : {}),
      post: (message) => {
        this.posted.push(message);
        page?.(message, chat);
      },
    });
    return { transcript, session: chat };
  }

  async openSwitchboard(config: Parameters<typeof Switchboard.create>[0]['config']): Promise<Switchboard> {
    const created = await Switchboard.create({ config, source: 'bench', env: { OPENAI_API_KEY: 'test' }, ledgerPath: path.join(this.dir, 'ledger.jsonl') });
    this.opened.push(created);
    return created;
  }

  /** The messages of the fake server's `index`th request. */
  sentMessages(index: number): ChatMessage[] {
    return (this.fake.requests[index]?.body as { messages: ChatMessage[] }).messages;
  }
}

/** Call inside the file's describe: registers the hooks that start, reset and close what the fixture holds. */
export function useChatSessionFixture(): ChatSessionFixture {
  const fixture = new ChatSessionFixture();
  before(async () => {
    fixture.fake = await startFakeOpenAI();
    fixture.dir = await mkdtemp(path.join(tmpdir(), 'switchboard-chat-'));
  });
  beforeEach(async () => {
    fixture.fake.reset();
    // The chat route as listed; the retry tests turn Auto on.
    const { config, problems } = resolveConfig({ providers: { openai: { baseUrl: `${fixture.fake.url}/v1` } }, routes: { chat: ['openai:gpt-5.4'] }, auto: { enabled: false } });
    assert.deepEqual(problems, []);
    fixture.switchboard = await fixture.openSwitchboard(config);
    fixture.state = new MemoryMemento();
    fixture.posted = [];
    fixture.warnings = [];
  });
  afterEach(async () => {
    await Promise.all(fixture.opened.splice(0).map((opening) => opening.dispose()));
  });
  after(async () => {
    await fixture.fake.close();
    await rm(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}
