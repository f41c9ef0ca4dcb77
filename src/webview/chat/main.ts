/**
 * Browser entry of the chat panel, bundled to dist/webview/chat.js. The host
 * serves it with `chatPanelHtml` from src/shared/chatProtocol.ts.
 */
import type { CHAT_ROOT_ID } from '../../shared/chatProtocol';
import { ChatView } from './chatView';
import { connectToHost } from './vscodeApi';

// Typed against the shared constant without importing it, which would pull zod into the bundle.
const rootId: typeof CHAT_ROOT_ID = 'switchboard-chat';

new ChatView(document.getElementById(rootId) ?? document.body, connectToHost());
