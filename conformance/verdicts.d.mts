export interface Check {
  id: string;
  status: string;
  errorMessage?: string;
  description?: string;
  details?: { message?: string };
}
export type Status = "pass" | "fail" | "vacuous";
export interface Verdict {
  status: Status;
  why: string;
}
export interface Result extends Verdict {
  mode: string;
  scenario: string;
  scored: boolean;
}
export interface KnownFailure {
  needs: string;
  modes?: string[];
}
export type Tally = { pass: number; fail: number; vacuous: number };
export const WIRE_CHECK: string;
export function classify(checks: Check[] | undefined, options?: { strict?: boolean }): Verdict;
export function knownFailure(known: Record<string, KnownFailure>, scenario: string, mode: string): KnownFailure | undefined;
export function gate(results: Result[], known: Record<string, KnownFailure>, options?: { complete?: boolean }): string[];
export function totals(results: Result[], mode: string): { scored: Tally; unscored: Tally };
export function totalLine(results: Result[], mode: string): string;
export function table(results: Result[], modes: string[], known: Record<string, KnownFailure>): string[];
