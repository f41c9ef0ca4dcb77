import type { HostChannel } from './vscodeApi';

/** Within this many pixels of the bottom counts as "following the answer". */
const BOTTOM_SLACK_PX = 24;

/** A scroll fires an event a frame: the position is saved once the scrolling pauses this long. */
const SAVE_AFTER_MS = 200;

/**
 * Keeps the transcript at its end while the user follows the answer, and the scroll position across reloads of
 * the page (VS Code keeps a webview's saved state, not its DOM).
 */
export class ScrollFollow {
  private pinnedToBottom = true;
  private restored = false;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly list: HTMLElement,
    private readonly host: Pick<HostChannel, 'savedViewState' | 'saveViewState'>,
  ) {
    list.addEventListener('scroll', () => this.onScroll(), { passive: true });
  }

  /** The transcript changed: it stays at its end if the user was there. */
  follow(): void {
    if (this.pinnedToBottom) this.toBottom();
  }

  /** A conversation was shown: the first one where the page was left before a reload, any other at its end. */
  conversationShown(): void {
    const saved = this.restored ? undefined : this.host.savedViewState();
    this.restored = true;
    if (saved && !saved.pinnedToBottom) {
      this.list.scrollTop = saved.scrollTop;
      this.pinnedToBottom = false;
    } else {
      this.toBottom();
    }
  }

  private toBottom(): void {
    this.list.scrollTop = this.list.scrollHeight;
    this.pinnedToBottom = true;
  }

  private onScroll(): void {
    const { scrollTop, scrollHeight, clientHeight } = this.list;
    this.pinnedToBottom = scrollTop + clientHeight >= scrollHeight - BOTTOM_SLACK_PX;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.host.saveViewState({ scrollTop: this.list.scrollTop, pinnedToBottom: this.pinnedToBottom });
    }, SAVE_AFTER_MS);
  }
}
