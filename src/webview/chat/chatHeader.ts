/** The panel's header: the conversation's title (the way to the list of conversations), what it has cost, New Chat. */
import { formatUsd } from '../../core/cost';
import { button, el } from '../dom';

export interface ChatHeaderEvents {
  newChat(): void;
  showConversations(): void;
}

export class ChatHeader {
  readonly element: HTMLElement;
  private readonly title = el('span', { class: 'conversation-title' }, 'New conversation');
  private readonly conversations = button('', {
    id: 'conversations',
    title: 'Conversations in this workspace: open, rename or delete one',
  });
  private readonly cost = el('span', { id: 'conversation-cost' }, formatUsd(0));
  private readonly newChat = button('+', { id: 'new-chat', title: 'New Chat (this conversation stays in the list)', 'aria-label': 'New Chat' });

  constructor(events: ChatHeaderEvents) {
    this.conversations.append(this.title, el('span', { class: 'chevron', 'aria-hidden': 'true' }));
    this.element = el(
      'header',
      { class: 'chat-header' },
      this.conversations,
      el('span', { class: 'cost-label', title: 'What this conversation has cost so far' }, el('span', { class: 'visually-hidden' }, 'Conversation cost: '), this.cost),
      this.newChat,
    );
    this.newChat.addEventListener('click', () => events.newChat());
    this.conversations.addEventListener('click', () => events.showConversations());
  }

  showTitle(title: string): void {
    this.title.textContent = title;
    this.conversations.setAttribute('aria-label', `Conversation: ${title}. Show all conversations`);
  }

  showCost(totalCostUsd: number): void {
    this.cost.textContent = formatUsd(totalCostUsd);
  }
}
