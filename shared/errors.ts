import type { ProcessorStage } from "./chain";

/** One field of a payload that broke the contract, and how. */
export interface FieldIssue {
  /** Dot path of the field (`value`, `name`), or `(payload)` when the payload as a whole is wrong. */
  readonly field: string;
  /** What is wrong with it, phrased to follow the field name. */
  readonly problem: string;
}

/**
 * A payload broke the contract of the stage that received it.
 *
 * The message names every offending field, so one failed execution tells the
 * caller everything to fix. Retrying cannot help: the orchestrator's `prepare`
 * step never retries it.
 *
 * @example
 * ```ts
 * new PayloadValidationError("orchestrator input", [{ field: "value", problem: "must be a finite number" }]).message;
 * // 'Invalid orchestrator input: value must be a finite number'
 * ```
 */
export class PayloadValidationError extends Error {
  override readonly name = "PayloadValidationError";

  constructor(
    /** Which payload was checked, e.g. `orchestrator input` or `transform input`. */
    readonly payload: string,
    readonly issues: readonly FieldIssue[],
  ) {
    super(
      `${PayloadValidationError.messagePrefix(payload)}${issues.map((issue) => `${issue.field} ${issue.problem}`).join("; ")}`,
    );
  }

  /** How the message of an error about `payload` starts: `Invalid add input: `. */
  static messagePrefix(payload: string): string {
    return `Invalid ${payload}: `;
  }
}

/**
 * A processor stage failed, so the chain stopped there. Its message starts with
 * the stage and the number of times it was invoked (`transform failed after 3
 * attempts: ...`) and carries the processor's own message.
 */
export class ChainStageError extends Error {
  override readonly name = "ChainStageError";

  constructor(
    readonly stage: ProcessorStage,
    /** How many times the processor was invoked before the chain gave up. */
    readonly attempts: number,
    detail: string,
  ) {
    super(`${stage} failed after ${attempts} ${attempts === 1 ? "attempt" : "attempts"}: ${detail}`);
  }
}

/** The function's configuration (its environment) is incomplete. Thrown at start-up. */
export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
}
