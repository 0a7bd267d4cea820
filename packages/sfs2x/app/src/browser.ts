// The browser entry (the `browser` export condition and the `./client` subpath): models, handler
// decorators, the client over the browser's WebSocket, and the client-side room mirror. No Node
// built-ins anywhere in its import graph (checked by scripts/check-browser-entry.mjs).
export * from "./shared.js";
export { SFSClient } from "./client/BrowserSFSClient.js";
export * from "./rooms/index.js";
export * from "./client-state/index.js";
