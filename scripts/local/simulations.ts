/**
 * Processor failures for `npm start` and the tests to show what the chain
 * does when a processor fails: which failures it retries, and which end the
 * execution at once.
 */
import type { Handler } from "aws-lambda";
import { LAST_STAGE, PROCESSOR_STAGES, type ProcessorStage } from "../../shared";
import { processorTimeoutSeconds } from "../report/template";

/**
 * Which stage each demonstration of a failure fails, in the docs, the recorded histories and the tests that read
 * them: the first recovers from a crash, one in the middle rejects its payload, the last gives up after its retries.
 */
export const DEMO_STAGES = {
  transient: PROCESSOR_STAGES[0],
  permanent: PROCESSOR_STAGES[Math.floor(PROCESSOR_STAGES.length / 2)] ?? PROCESSOR_STAGES[0],
  crash: LAST_STAGE as ProcessorStage,
} as const;

/** The processors' Lambda timeout, in seconds, as template.yaml sets it. */
const PROCESSOR_TIMEOUT_SECONDS = processorTimeoutSeconds();

/** How a simulated processor fails. */
export const SIMULATED_FAILURES = {
  crash: "crashes on every attempt: retried, then the chain fails",
  transient: "crashes on its first attempt only: the retry recovers",
  permanent: "is sent `value` as text and rejects it (PayloadValidationError): the chain fails at once",
  timeout: "runs past its Lambda timeout on every attempt: retried, then the chain fails",
} as const;

export type SimulatedFailure = keyof typeof SIMULATED_FAILURES;

export const isSimulatedFailure = (name: string): name is SimulatedFailure => Object.hasOwn(SIMULATED_FAILURES, name);

/**
 * A crash, as Lambda reports one: the runtime exited before the handler
 * returned, so the processor logged nothing.
 */
const crash = (stage: ProcessorStage): Error => {
  const error = new Error(`simulated crash in ${stage}`);
  error.name = "Runtime.ExitError";
  return error;
};

/**
 * A timeout. Lambda stops such an invocation and reports it failed with this
 * error type and message; the simulation reports the same at once instead of
 * waiting the timeout out.
 */
const timeout = (): Error => {
  const error = new Error(`Task timed out after ${PROCESSOR_TIMEOUT_SECONDS.toFixed(2)} seconds`);
  error.name = "Sandbox.Timedout";
  return error;
};

/**
 * Processor `stage`, failing as `failure` says. `working` is the real
 * processor: the transient failure calls it from its second attempt on, and
 * the permanent one calls it with a payload it must reject, so that the
 * rejection is the processor's own, logged as it would be.
 */
export const simulatedProcessor = (stage: ProcessorStage, failure: SimulatedFailure, working: Handler): Handler => {
  let attempts = 0;
  return async (event: unknown, context, callback) => {
    attempts += 1;
    switch (failure) {
      case "crash":
        throw crash(stage);
      case "transient":
        if (attempts === 1) throw crash(stage);
        return (await working(event, context, callback)) as unknown;
      case "permanent": {
        const payload = typeof event === "object" && event !== null ? event : {};
        const value: unknown = "value" in payload ? payload.value : undefined;
        return (await working({ ...payload, value: String(value) }, context, callback)) as unknown;
      }
      case "timeout":
        throw timeout();
    }
  };
};
