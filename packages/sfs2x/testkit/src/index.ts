// Private test support for the SFS2X transports: helpers, and suites each transport runs
// against itself over real loopback sockets.
export { msg, collect, closed, packet, sleep, until, selfSignedCert } from "./helpers.js";
export { type RawPeer, type TransportHarness } from "./harness.js";
export { describeTransportConformance } from "./conformance.js";
export { describeFlowControl } from "./flowControl.js";
