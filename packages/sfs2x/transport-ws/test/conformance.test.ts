// The behaviour every SFS2X transport shares, and the flow-control policies, over WebSocket (Node `ws`).
import { describeFlowControl, describeTransportConformance } from "@sfs2x/testkit";
import { wsHarness } from "./helpers.js";

describeTransportConformance(wsHarness);
describeFlowControl(wsHarness);
