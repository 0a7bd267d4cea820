// The dev server as a library: start it in-process (tests, demos) with createDevServer().
export {
  DevServer,
  createDevServer,
  type DevServerOptions,
  DEV_ZONE,
  DEV_ROOM,
  PING_COMMAND,
  DEFAULT_HOST,
  DEFAULT_WS_PORT,
  DEFAULT_TCP_PORT,
} from "./DevServer.js";
