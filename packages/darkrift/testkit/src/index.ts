// Scripted raw DarkRift peers for handshake tests: plain node:net + node:dgram, no DarkRift code.
export { hex, unhex } from "./hex.js";
export { fixtureLoader } from "./fixtures.js";
export { ByteStream } from "./ByteStream.js";
export { DatagramInbox } from "./DatagramInbox.js";
export { RawServer } from "./RawServer.js";
export { RawClient } from "./RawClient.js";
export { write } from "./write.js";
