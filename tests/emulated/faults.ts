/**
 * The failures the wrapped build (wrapped-build.ts) can be asked for: an
 * execution whose event carries one of these ids makes a function fail in that
 * way, and any other runs the built code unchanged. Shared by the wrappers and
 * the tests, so that both name each failure the same way.
 */
import type { FaultKind } from "../chain/cases";

/**
 * The id that makes processor `stage` fail as `kind` says (tests/chain/cases.ts), for real:
 * `permanent` sends the built processor its payload with `value` as text, which it rejects; `transient` exits the
 * processor's process on its first attempt; `crash` exits it on every attempt.
 */
export const faultId = (stage: string, kind: FaultKind): string => `fault.${stage}.${kind}`;

/** The stage and the kind of failure an id asks for, if it asks for one. */
export const faultOf = (id: unknown): { stage: string; kind: string } | undefined => {
  const match = typeof id === "string" ? /^fault\.([a-z0-9-]+)\.([a-z]+)$/.exec(id) : null;
  return match?.[1] === undefined || match[2] === undefined ? undefined : { stage: match[1], kind: match[2] };
};

/** Failures that are not one stage's. */
export const FAULTS = {
  /** The orchestrator's process is killed once it has started the stage after the first, before it answers. */
  orchestratorKilledMidChain: "fault-orchestrator-killed-mid-chain",
  /** A processor never answers, so its Lambda timeout ends the invocation. */
  processorHangs: "fault-processor-hangs",
  /** A processor returns its process's id and environment instead of running. */
  processorShowsEnvironment: "probe-processor-environment",
} as const;

/** What the wrapped build writes next to each processor's wrapper (fault.json). */
export interface FaultConfig {
  /** The stage whose function this is. */
  stage: string;
  /** Where a failure that happens once remembers that it happened: shared by the function's processes. */
  markerDirectory: string;
}
