/**
 * The time budget (docs/design.md): the longest execution the failure policy
 * allows, computed from template.yaml and the retry policies, must fit in the
 * orchestrator's function timeout, which bounds a synchronous invoke, and in
 * the execution timeout; and the README must state the timeout it has.
 */
import { describe, expect, it } from "@jest/globals";
import * as v from "valibot";
import { PREPARE_RETRY } from "../../functions/orchestrator/prepare";
import { PROCESSOR_RETRY } from "../../functions/orchestrator/retry-policy";
import { ORCHESTRATOR_NAMES, PROCESSOR_STAGES } from "../../shared";
import { loadTemplate, processorTimeoutSeconds, resourceById, valueAt } from "../../scripts/report/template";
import { regionsOf } from "../../scripts/regenerate/markers";
import { documentText } from "../support/docs";

/**
 * What each orchestrator invocation may take of its own: a cold start (loading the durable SDK and the Lambda
 * client, then the first checkpoint), and the milliseconds its body runs. The benchmark measures the load at under
 * 0.2 s; 2 s leaves room for Lambda's own initialisation.
 */
const INVOCATION_ALLOWANCE_SECONDS = 2;

/** The most seconds a synchronous invoke can wait for, whatever the function's settings. */
const SYNCHRONOUS_INVOKE_LIMIT_SECONDS = 15 * 60;

const template = loadTemplate();
const orchestrator = resourceById(template, ORCHESTRATOR_NAMES.functionId);

/** The backoffs between `attempts` attempts: each failed attempt but the last is followed by one. */
const backoffs = (attempts: number, delay: (failedAttempt: number) => number): number =>
  Array.from({ length: attempts - 1 }, (_, index) => delay(index + 1)).reduce((sum, seconds) => sum + seconds, 0);

/** The `prepare` step's waits at their longest: jitter only shortens them, and maxDelay caps each. */
const prepareDelay = (failedAttempt: number): number =>
  Math.min(
    PREPARE_RETRY.initialDelay.seconds * PREPARE_RETRY.backoffRate ** (failedAttempt - 1),
    PREPARE_RETRY.maxDelay.seconds,
  );

/**
 * The longest execution the policies allow, and the invocations it takes: every stage's every attempt runs to the
 * processor's timeout (the last one succeeding), after `prepare` used all its attempts.
 */
const worstCase = () => {
  const perStage =
    PROCESSOR_RETRY.maxAttempts * processorTimeoutSeconds(template) +
    backoffs(PROCESSOR_RETRY.maxAttempts, PROCESSOR_RETRY.backoffSeconds);
  // One invocation per prepare attempt; per stage, one per attempt and one per backoff; and the last one.
  const invocations = PREPARE_RETRY.maxAttempts + PROCESSOR_STAGES.length * (2 * PROCESSOR_RETRY.maxAttempts - 1) + 1;
  const seconds =
    backoffs(PREPARE_RETRY.maxAttempts, prepareDelay) +
    PROCESSOR_STAGES.length * perStage +
    invocations * INVOCATION_ALLOWANCE_SECONDS;
  return { seconds, invocations };
};

describe("the time budget", () => {
  it("fits the longest run the failure policy allows into the orchestrator's function timeout", () => {
    const timeout = v.parse(v.number(), orchestrator.Properties["Timeout"]);

    const { seconds } = worstCase();

    expect(seconds).toBeLessThanOrEqual(timeout);
    expect(timeout).toBeLessThanOrEqual(SYNCHRONOUS_INVOKE_LIMIT_SECONDS);
  });

  it("fits it into the default execution timeout too", () => {
    const executionTimeout = v.parse(v.number(), valueAt(template.Parameters, "ExecutionTimeout", "Default"));

    expect(worstCase().seconds).toBeLessThanOrEqual(executionTimeout);
  });

  it("is what the README says a synchronous invoke waits for", () => {
    const timeout = v.parse(v.number(), orchestrator.Properties["Timeout"]);

    const stated = regionsOf(documentText("README.md")).find(({ name }) => name === "orchestrator-timeout")?.text;

    expect(stated).toBe(`${timeout} s`);
  });
});
