export { encodeMessageBody, decodeMessageBody, writeMessageBody, messageBodyLength, headerLength } from "./MessageBody.js";
export { encodeTcpFrame, writeTcpFrame, tcpFrameLength, TCP_HEADER_LENGTH } from "./TcpFrame.js";
export { FrameDecoder, type FrameDecoderOptions } from "./FrameDecoder.js";
export { encodeDatagram, decodeDatagram, MAX_DATAGRAM_LENGTH } from "./Datagram.js";
export {
  encodeTcpHello,
  parseTcpHello,
  encodeUdpHello,
  parseUdpHello,
  encodeUdpAck,
  isUdpAck,
  generateToken,
  tokenKey,
  HELLO_LENGTH,
  TOKEN_LENGTH,
  UDP_ACK_LENGTH_V0,
  UDP_ACK_LENGTH_V1,
  helloPrefixError,
  describeByte,
  type Hello,
} from "./Handshake.js";
export { makeConfigure, parseConfigure, isConfigure } from "./Configure.js";
export { ProtocolVersion, LATEST_PROTOCOL_VERSION } from "./ProtocolVersion.js";
export { CommandCode } from "./CommandCode.js";
export { StrikeWeight, type StrikeReason } from "./StrikeWeight.js";
export { receivedMessage, type ReceivedMessage } from "./ReceivedMessage.js";
export { RoundTripTimeHelper, type RoundTripTimeOptions } from "./RoundTripTimeHelper.js";
export { FrameBatcher, type FrameBatcherOptions } from "./FrameBatcher.js";
export { MessageQueue } from "./MessageQueue.js";
export {
  BichannelConnection,
  type ConnectionOptions,
  type SendOptions,
  type PingOptions,
} from "./BichannelConnection.js";
export { FrameError, type FrameErrorCode } from "./FrameError.js";
export { HandshakeError, type HandshakeErrorCode } from "./HandshakeError.js";
export { TimeoutError, type TimeoutPhase } from "./TimeoutError.js";
export { ConnectionClosedError, type ConnectionClosedCode } from "./ConnectionClosedError.js";
