// Node-only: the server side of the app layer.
export {
  SFSServer,
  type SFSServerOptions,
  type ServerContext,
  type ServerHandler,
  type LoginDecision,
  type ServerTransportFactory,
  type ServerEncryptionOptions,
  type ServerAddress,
} from "./SFSServer.js";
export { Session, type SessionState } from "./Session.js";
export { CRYPTO_MANAGER_PATH, type CryptoManagerOptions } from "./CryptoManager.node.js";
export { ServerError, ServerErrorCode } from "../errors/ServerError.js";
