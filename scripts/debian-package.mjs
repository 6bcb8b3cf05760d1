// Tools the benchmark and the scale-out script take from Debian's packages (wrk, nginx, valgrind): installed
// with apt-get when missing (which needs root), without starting any service a package ships.
import { execFileSync, spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";

function has(command) {
  return spawnSync(command, ["-v"], { stdio: "ignore" }).error === undefined;
}

/** Makes sure `command` exists, installing Debian's `pkg` if it does not; throws with a hint otherwise. */
export function ensureDebianPackage(command, pkg, log = (line) => console.error(line)) {
  if (has(command)) return;
  log(`installing ${pkg} (apt-get install ${pkg})`);
  // Debian starts a package's service on install (nginx would listen on :80): policy-rc.d forbids it.
  const policy = "/usr/sbin/policy-rc.d";
  writeFileSync(policy, "#!/bin/sh\nexit 101\n", { mode: 0o755 });
  try {
    const install = () => execFileSync("apt-get", ["install", "-y", "-qq", pkg], { stdio: ["ignore", 2, 2] });
    try {
      install();
    } catch {
      execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", 2, 2] });
      install();
    }
  } finally {
    rmSync(policy, { force: true });
  }
  if (!has(command)) throw new Error(`${command} is required: install it (apt-get install ${pkg}, brew install ${pkg})`);
}
