export { ControllerId } from "./ControllerId.js";
export { SysAction, ClientDisconnectionReason } from "./SysAction.js";
export { SFSErrorCode, describeSFSError } from "./SFSErrorCode.js";
export { type Message, createMessage } from "./Message.js";
export {
  type ErrorReply,
  createErrorParams,
  createErrorReply,
  isErrorReply,
  parseErrorReply,
  describeErrorReply,
} from "./ErrorReply.js";
export { PacketFlag, MAX_SMALL_SIZE, JS_CLIENT_BIG_SIZE_THRESHOLD, type PacketHeader, describeFlags } from "./PacketFlag.js";
export { PacketError, PacketErrorCode } from "./PacketError.js";
export { type CodecOptions, DEFAULT_CODEC_OPTIONS } from "./CodecOptions.js";
export { type CompressionLevel, compressPayload, inflatePayload, adler32 } from "./Compression.js";
export {
  type CipherKey,
  type PacketCipher,
  checkCipherKey,
  cipherKeyFromCryptoManager,
  createPacketCipher,
} from "./PacketCipher.js";
export { encodePacket } from "./encodePacket.js";
export { decodePacket, readPacketHeader, HTTP_HINT_URL } from "./decodePacket.js";
export { PacketDecoder } from "./PacketDecoder.js";
export { PacketCodec } from "./PacketCodec.js";
export { PreparedMessage } from "./PreparedMessage.js";
export { TypedEmitter, type Listener } from "./TypedEmitter.js";
export { TransportError, TransportErrorCode, ConnectionClosedError, listenError } from "./TransportError.js";
export {
  type TransportConnection,
  type TransportServer,
  type TransportAddress,
  type TransportLogger,
  type TransportOptions,
  type TransportServerOptions,
  type TransportClientFactory,
  type TransportServerFactory,
  type CloseInfo,
  type HighWaterMarkPolicy,
  silentLogger,
  selectTransport,
  DEFAULT_HIGH_WATER_MARK,
  DEFAULT_FIRST_PACKET_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_CLOSE_TIMEOUT_MS,
} from "./Transport.js";
export { CloseReason } from "./transport/CloseReason.js";
// For transport implementations: the shared halves of a connection and a server, the flow-control policy.
export { ConnectionBase, type ConnectionHooks, type ConnectionSetup } from "./transport/ConnectionBase.js";
export { TransportServerBase } from "./transport/TransportServerBase.js";
export { SendQueue, SendVerdict, type PacketSink } from "./transport/SendQueue.js";
export { codecOptionsOf, formatAddress } from "./transport/checkOptions.js";
