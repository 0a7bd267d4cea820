// The behaviour every SFS2X transport shares, and the flow-control policies, over TCP.
import { describeFlowControl, describeTransportConformance } from "@sfs2x/testkit";
import { tcpHarness } from "./helpers.js";

describeTransportConformance(tcpHarness);
describeFlowControl(tcpHarness);
