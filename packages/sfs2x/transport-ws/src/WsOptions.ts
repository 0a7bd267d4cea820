import type { TransportOptions } from "@sfs2x/protocol";

// The close reasons and the flow-control policy are the same for every transport (@sfs2x/protocol).
export { CloseReason, DEFAULT_CLOSE_TIMEOUT_MS, type HighWaterMarkPolicy } from "@sfs2x/protocol";

/**
 * Options of one WebSocket connection (any side, Node or browser): the shared
 * `TransportOptions`, which include `highWaterMarkPolicy` (see `HighWaterMarkPolicy`) and
 * `closeTimeoutMs` (how long `close()` waits for the closing handshake before dropping the socket).
 */
export interface WsConnectionOptions extends TransportOptions {}

/** The path the official JS client always uses. */
export const DEFAULT_WS_PATH = "/BlueBox/websocket";
/** SFS2X's default WebSocket port. */
export const DEFAULT_WS_PORT = 8080;
/** SFS2X's default secure WebSocket port. */
export const DEFAULT_WSS_PORT = 8443;
