/**
 * The toolkit's demo: each part starts a server and a client on loopback, prints what they
 * exchange, and closes both. Exits 0 when every part completed, 1 otherwise.
 *
 *   npx -y pnpm@10.34.8 demo          (from the repository root: builds, then runs this file)
 */
import { runDarkRiftDemo } from "./darkrift.js";
import { consoleLog } from "./log.js";
import { runSfs2xDemo } from "./sfs2x.js";

const parts: { title: string; run: () => Promise<unknown> }[] = [
  { title: "SmartFoxServer 2X: a server and two clients (WebSocket and TCP): login, a room, chat, an extension", run: () => runSfs2xDemo(consoleLog) },
  { title: "DarkRift 2: server and client over TCP + UDP", run: () => runDarkRiftDemo(consoleLog) },
];

// Nothing here should take more than a few seconds; never hang a terminal or a CI job.
const watchdog = setTimeout(() => {
  console.error("demo: timed out");
  process.exit(1);
}, 30_000);
watchdog.unref();

let failed = false;
for (const part of parts) {
  console.log(`\n== ${part.title}`);
  try {
    await part.run();
  } catch (error) {
    failed = true;
    console.error(`demo: ${part.title} failed:`, error);
  }
}
console.log(failed ? "\ndemo: failed" : "\ndemo: done");
process.exitCode = failed ? 1 : 0;
