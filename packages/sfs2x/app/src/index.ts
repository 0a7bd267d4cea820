// The Node entry: everything of the browser entry, the client over TCP and WebSocket, and the server.
export * from "./shared.js";
export { SFSClient, type NodeSFSClientOptions } from "./node/SFSClient.js";
export * from "./server/index.js";
export {
  clientFromUrl,
  serverFromUrl,
  clientTransports,
  serverTransports,
  parseTransportUrl,
  TransportUrlError,
  TransportUrlErrorCode,
  TRANSPORT_SCHEMES,
  type TransportScheme,
  type ClientFromUrlOptions,
  type ServerFromUrlOptions,
} from "./transportFromUrl.js";
// Rooms, zones, users and variables: the server-side domain and the client-side mirror.
export * from "./rooms/index.js";
export * from "./client-state/index.js";
