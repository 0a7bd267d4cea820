// The browser-safe public API shared by both entry points (models, system models, handler
// decorators, errors, the client base). The entries add the SFSClient of their platform.
export { SFSModel, toSFSObject, parseModel, parseUnion, type ModelOf, type ModelSpec } from "./model/SFSModel.js";
export { ModelError, ModelErrorCode } from "./model/ModelError.js";
export type { ModelClass, ModelRef, FieldOptions, FieldDefinition } from "./model/metadata.js";
export { getOwnFields } from "./model/metadata.js";
export {
  field,
  bool,
  byte,
  short,
  int,
  long,
  float,
  double,
  utfString,
  text,
  boolArray,
  byteArray,
  shortArray,
  intArray,
  longArray,
  floatArray,
  doubleArray,
  utfStringArray,
  sfsObject,
  sfsArray,
  model,
  modelArray,
  type FieldDecorator,
} from "./model/field.js";
export { command, commandOf, actionOf, controllerOf, type MessageBinding, type BoundModelClass } from "./model/binding.js";
export { ExtensionRequest, ExtensionResponse } from "./model/ExtensionModel.js";
export { SFSErrorResponse } from "./system/SFSErrorResponse.js";
export { HandshakeRequest, HandshakeResponse, CLIENT_API_VERSION } from "./system/Handshake.js";
export { LoginRequest, LoginResponse, LoginErrorResponse } from "./system/Login.js";
export { LogoutRequest, LogoutResponse } from "./system/Logout.js";
export { PingPongRequest, PingPongResponse } from "./system/PingPong.js";
export { ClientDisconnection, disconnectionReasonName } from "./system/ClientDisconnection.js";
export {
  onExtension,
  onSystem,
  onHandshake,
  onLogin,
  onLogout,
  onMessage,
  onConnect,
  onDisconnect,
  onError,
  getHandlerDeclarations,
  type HandlerDeclaration,
  type HandlerDecorator,
} from "./dispatch/decorators.js";
export { Reply, type ReplyOptions } from "./dispatch/Reply.js";
export { type SendOptions, isMessage } from "./dispatch/target.js";
export { type Body, isModelInstance } from "./dispatch/toParams.js";
export { SFSError } from "./errors/SFSError.js";
export { TimeoutError } from "./errors/TimeoutError.js";
export { SFSClientError, SFSClientErrorCode } from "./errors/SFSClientError.js";
export { hashPassword } from "./util/hashPassword.js";
export { consoleLogger, type Logger } from "./util/logger.js";
export {
  SFSClientBase,
  type SFSClientOptions,
  type ClientTransport,
  type ClientEncryptionOptions,
  type LagMonitorOptions,
  type LagReading,
  type LoginOptions,
  type RequestOptions,
  type ClientState,
  type ClientCloseInfo,
  type ClientContext,
  type ClientHandler,
} from "./client/SFSClient.js";
// Protocol names users need alongside the app API.
export { SysAction, ControllerId, SFSErrorCode, ClientDisconnectionReason, type Message } from "@sfs2x/protocol";
export { SFSObject, SFSArray, SFSDataType } from "@sfs2x/core";
