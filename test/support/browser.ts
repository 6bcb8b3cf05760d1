// The system's Chromium, driven by playwright-core (never a downloaded browser): found on the usual
// Debian and distribution paths or at CHROMIUM_PATH, launched headless with bounded timeouts.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Where Chromium is looked for when CHROMIUM_PATH is not set, in order. */
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium", "/usr/bin/google-chrome-stable", "/usr/bin/google-chrome"];

/** How long launching (and each page action, through the harness) may take before the test fails. */
export const BROWSER_TIMEOUT_MS = 15_000;

/** The Chromium executable to drive; throws a message that says how to get one when there is none. */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `no Chromium found (looked at ${CANDIDATES.join(", ")}): install Debian's package (apt-get install chromium; .ci/run does it) or set CHROMIUM_PATH`,
    );
  }
  return found;
}

/**
 * Launches the system Chromium headless. `--no-sandbox` because CI runs as root, where Chromium's own
 * process sandbox cannot start (the pages' iframe sandboxing, which the tests check, is unaffected).
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    timeout: BROWSER_TIMEOUT_MS,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check"],
  });
}
