// A port free on 127.0.0.1 right now, for a child process that cannot report the port it got
// (shared by the tests, the benchmark and the conformance runner).
import { createServer } from "node:net";

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
