// Headless Chromium for the end-to-end tests: Debian's /usr/bin/chromium driven by playwright-core
// (which downloads no browser). Missing in CI is a failure; missing locally skips the browser tests.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const haveChromium = existsSync(CHROMIUM);
export const inCI = (process.env.CI ?? "") !== "" && process.env.CI !== "false" && process.env.CI !== "0";

export const missingChromium =
  `Chromium is not installed at ${CHROMIUM}: the browser end-to-end tests need it. ` +
  "Install it with `apt-get update && apt-get install -y chromium` (.ci/run does this), or set CHROMIUM_PATH.";

/** Launches headless Chromium with a fresh profile (playwright gives each launch its own user-data dir). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    timeout: 30_000,
    args: [
      "--headless",
      "--no-sandbox", // CI runs as root
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
