/**
 * Processor failures for `npm start` and the tests to show what the chain
 * does when a processor fails: which failures it retries, and which end the
 * execution at once.
 */
import type { Handler } from "aws-lambda";
import { PayloadValidationError, stageInputName, type ProcessorStage } from "../../shared";

/** The processors' Lambda timeout, in seconds (template.yaml, Globals.Function.Timeout). */
const PROCESSOR_TIMEOUT_SECONDS = 10;

/** How a simulated processor fails. */
export const SIMULATED_FAILURES = {
  crash: "throws on every attempt: retried, then the chain fails",
  transient: "throws on its first attempt only: the retry recovers",
  permanent: "rejects its payload (PayloadValidationError): the chain fails at once, no retry",
  timeout: "runs past its Lambda timeout on every attempt: retried, then the chain fails",
} as const;

export type SimulatedFailure = keyof typeof SIMULATED_FAILURES;

export const isSimulatedFailure = (name: string): name is SimulatedFailure => Object.hasOwn(SIMULATED_FAILURES, name);

/** A crash, as Lambda reports one: the runtime exited before the handler returned. */
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
 * processor, which the transient failure calls from its second attempt on.
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
      case "permanent":
        throw new PayloadValidationError(stageInputName(stage), [
          { field: "value", problem: "was rejected by a simulated processor" },
        ]);
      case "timeout":
        throw timeout();
    }
  };
};
