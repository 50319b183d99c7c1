/**
 * The failures the wrapped build (wrapped-build.ts) can be asked for: an
 * execution whose event carries one of these ids makes a function fail in that
 * way, and any other runs the built code unchanged. Shared by the wrappers and
 * the tests, so that both name each failure the same way.
 */
export const FAULTS = {
  /** transform is sent its payload with `value` as text, which the built transform rejects. */
  transformRejects: "fault-transform-rejects",
  /** add's process exits on its first attempt; the retry runs the built add. */
  addCrashesOnce: "fault-add-crashes-once",
  /** finalize's process exits on every attempt. */
  finalizeCrashesAlways: "fault-finalize-crashes-always",
  /** The orchestrator's process is killed once it has started transform, before it answers. */
  orchestratorKilledMidChain: "fault-orchestrator-killed-mid-chain",
  /** A processor never answers, so its Lambda timeout ends the invocation. */
  processorHangs: "fault-processor-hangs",
  /** A processor returns its process's id and environment instead of running. */
  processorShowsEnvironment: "probe-processor-environment",
} as const;

/** What the wrapped build writes next to each processor's wrapper (fault.json). */
export interface FaultConfig {
  /** Where a failure that happens once remembers that it happened: shared by the function's processes. */
  markerDirectory: string;
}
