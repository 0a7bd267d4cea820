export { TypedMessage, type TypedMessageClass, type MessageInit, type TypedCodecOptions, requireTag as tagOf } from "./TypedMessage.js";
export { field } from "./field.js";
export { message, serializable, type MessageClass, type MessageClassOptions } from "./message.js";
export type { FieldType, FieldOptions, WireTypeName, ScalarTypeName, NestedClass } from "./FieldType.js";
export { MessageContainer, type MessageContainerOptions } from "./MessageContainer.js";
export { Dispatcher, type DispatcherOptions, type MessageHandler, type RawHandler, type DispatchErrorHandler } from "./Dispatcher.js";
export { dispatchAll, type DispatchAllResult } from "./dispatchAll.js";
export {
  TypedMessageError,
  UnknownTagError,
  MessageDefinitionError,
  type TypedMessageErrorCode,
  type MessageDefinitionErrorCode,
} from "./errors.js";
