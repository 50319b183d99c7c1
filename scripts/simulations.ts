/**
 * Processor failures for `npm start` and the tests to show: what the chain
 * does when a processor throws, or runs past its Lambda timeout.
 */
import type { Handler } from "aws-lambda";
import type { ProcessorStage } from "../shared";

/** The processors' Lambda timeout, in seconds (template.yaml, Globals.Function.Timeout). */
const PROCESSOR_TIMEOUT_SECONDS = 10;

/** A processor whose code throws. */
export const failingProcessor =
  (stage: ProcessorStage): Handler =>
  async () => {
    throw new Error(`simulated failure in ${stage}`);
  };

/**
 * A processor that runs past its timeout. Lambda stops such an invocation and
 * reports it failed with this error type and message; the simulation reports
 * the same at once instead of waiting the timeout out.
 */
export const timedOutProcessor = (): Handler => async () => {
  const error = new Error(`Task timed out after ${PROCESSOR_TIMEOUT_SECONDS.toFixed(2)} seconds`);
  error.name = "Sandbox.Timedout";
  throw error;
};
