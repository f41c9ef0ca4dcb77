/**
 * Browser entry of the chat panel, bundled to dist/webview/chat.js. The host
 * serves it with `chatPanelHtml` from src/shared/chatProtocol.ts.
 */
import { CHAT_ROOT_ID } from '../../shared/chatProtocol';
import { ChatView } from './chatView';
import { connectToHost } from './vscodeApi';

new ChatView(document.getElementById(CHAT_ROOT_ID) ?? document.body, connectToHost());
