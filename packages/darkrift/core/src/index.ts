export { DarkRiftWriter, type DarkRiftWriterOptions } from "./DarkRiftWriter.js";
export { DarkRiftReader, type DarkRiftReaderOptions } from "./DarkRiftReader.js";
export { DarkRiftMessage, type DarkRiftMessageOptions } from "./DarkRiftMessage.js";
export { MessageFlags, type MessageFlag } from "./MessageFlags.js";
export type { DarkRiftSerializable, DarkRiftSerializableConstructor } from "./DarkRiftSerializable.js";
export { DEFAULT_ENCODING, type DarkRiftEncoding } from "./DarkRiftEncoding.js";
export {
  DarkRiftError,
  DarkRiftDecodeError,
  DarkRiftEncodeError,
  type DarkRiftDecodeErrorCode,
  type DarkRiftEncodeErrorCode,
} from "./DarkRiftError.js";
export {
  createDebugLogger,
  enableDebug,
  isDebugEnabled,
  setDebugSink,
  type DebugLogger,
  type DebugSink,
} from "./DebugLogger.js";
export { defaultLogger, consoleLogger, silentLogger, type DarkRiftLogger } from "./Logger.js";
