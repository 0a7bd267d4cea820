export { SFSDataType, sfsDataTypeName, sfsDataTypeFromName, type SFSDataTypeName } from "./SFSDataType.js";
export { SFSObject } from "./SFSObject.js";
export { SFSArray } from "./SFSArray.js";
export { SFSCodecError, SFSCodecErrorCode } from "./SFSCodecError.js";
export { SFSValueError, SFSValueErrorCode } from "./SFSValueError.js";
export { ByteWriter } from "./ByteWriter.js";
export { ByteReader } from "./ByteReader.js";
export { writeSFSObject, writeSFSArray } from "./SFSEncoder.js";
export { readSFSObject, readSFSArray } from "./SFSDecoder.js";
export { SFS, SFSTypedValue, type PlainInput, type PlainObjectInput } from "./plain.js";
export { toTypedJson, fromTypedJson, type TypedJsonNode, type TypedJsonScalar, type TypedJsonOptions } from "./TypedJson.js";
export { hexDump, toHex, fromHex } from "./hexDump.js";
export { utf8Length, MAX_UTF_STRING_BYTES, MAX_KEY_BYTES, MAX_COUNT, FLOAT_MAX } from "./checkValue.js";
export {
  DEFAULT_MAX_DEPTH,
  type SFSValue,
  type SFSValueMap,
  type SFSInputMap,
  type SFSWireType,
  type SFSDecodeOptions,
  type SFSEncodeOptions,
} from "./SFSValue.js";
export { createDebugLogger, debugEnabled, type DebugLogger } from "./debugLogger.js";
