// Node-only additions (`@sfs2x/protocol/node`); the main entry stays browser-safe.
export { createNodePacketCipher } from "./PacketCipher.node.js";
