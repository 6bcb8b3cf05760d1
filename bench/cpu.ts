// CPU pinning: servers on core 0, the load generator on core 1, when taskset exists (Linux).
import { execFileSync } from "node:child_process";

let tasksetAvailable: boolean | undefined;

export function hasTaskset(): boolean {
  if (tasksetAvailable === undefined) {
    try {
      execFileSync("taskset", ["-p", String(process.pid)], { stdio: "ignore" });
      tasksetAvailable = true;
    } catch {
      tasksetAvailable = false;
    }
  }
  return tasksetAvailable;
}

/** The command line that runs `argv` pinned to `core` (unchanged without taskset). */
export function pinnedCommand(core: number, argv: string[]): string[] {
  return hasTaskset() ? ["taskset", "-c", String(core), ...argv] : argv;
}

/** Pins the current process (the load generator) to `core`. */
export function pinSelf(core: number): void {
  if (hasTaskset()) execFileSync("taskset", ["-cp", String(core), String(process.pid)], { stdio: "ignore" });
}
