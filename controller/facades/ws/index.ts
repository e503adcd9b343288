// facades/ws: engine events over WebSocket (docs/serve.md#websocket).
export { attachWebSocket, type AttachWebSocketOptions, type WebSocketHandle } from './ws-server.js';
export { clientMessageSchema, type ClientMessage, type ServerMessage } from './messages.js';
export { CLOSE_TOO_SLOW } from './ws-connection.js';
export type { WsAuthenticate, WsPrincipal } from './ws-credentials.js';
