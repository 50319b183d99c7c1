/**
 * The chain as deployed: the orchestrator's alias run by the testing SDK's
 * CloudDurableTestRunner, and by `npm run invoke`. These tests start real
 * executions, so they run only when DURABLE_ORCHESTRATOR_ALIAS_ARN holds the
 * stack's OrchestratorAliasArn output (with AWS credentials for its account);
 * without it the suite is reported as skipped, with the reason.
 */
import { describe, expect, it } from "@jest/globals";
import { CloudDurableTestRunner, InvocationType } from "@aws/durable-execution-sdk-js-testing";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { checkFunction } from "../../scripts/cloud/arguments";
import { loadEvent, type EventName } from "../support/events";
import { maskTimestamps, runNpm } from "../support/npm";

const ALIAS_VARIABLE = "DURABLE_ORCHESTRATOR_ALIAS_ARN";
const SKIPPED = `set ${ALIAS_VARIABLE} to the stack's OrchestratorAliasArn output to run them`;
const aliasArn = process.env[ALIAS_VARIABLE]?.trim() ?? "";

/** Four orchestrator invocations and three processor calls, each possibly a cold start. */
const EXECUTION_TIMEOUT_MS = 120_000;

if (aliasArn === "") process.stderr.write(`cloud tests SKIPPED: ${SKIPPED}\n`);

const describeCloud = aliasArn === "" ? describe.skip : describe;

describeCloud(aliasArn === "" ? `cloud tests (SKIPPED: ${SKIPPED})` : `the chain deployed at ${aliasArn}`, () => {
  /** A fresh runner per execution, in the alias's region. */
  const runner = () => {
    const region = checkFunction(aliasArn);
    return new CloudDurableTestRunner<unknown>({
      functionName: aliasArn,
      client: new LambdaClient(region === undefined ? {} : { region }),
      config: { invocationType: InvocationType.Event },
    });
  };

  /** `npm <script> --silent -- --json ...`: its exit code and the one line it prints, parsed. */
  const jsonLineOf = (script: "start" | "run invoke", ...args: string[]) => {
    const { code, stdout, stderr } = runNpm(script, ["--json", ...args]);
    expect(stderr).toBe("");
    // A local run also lists the functions' log records; a run in the cloud cannot read them.
    const { logs: _logs, ...line } = JSON.parse(maskTimestamps(stdout)) as Record<string, unknown>;
    return { code, line };
  };

  it(
    "runs the sample event through prepare, add, transform and finalize to value 35 and DEMO",
    async () => {
      // Arrange
      const event = loadEvent("orchestrator");

      // Act
      const execution = await runner().run({ payload: event });

      // Assert
      expect(execution.getStatus()).toBe("SUCCEEDED");
      expect(execution.getResult()).toMatchObject({
        workflow: "completed",
        input: event,
        output: { value: 35, transformed_name: "DEMO", status: "COMPLETED" },
      });
      expect(execution.getOperations().map((operation) => [operation.getName(), operation.getStatus()])).toEqual([
        ["prepare", "SUCCEEDED"],
        ["add", "SUCCEEDED"],
        ["transform", "SUCCEEDED"],
        ["finalize", "SUCCEEDED"],
      ]);
    },
    EXECUTION_TIMEOUT_MS,
  );

  it(
    "fails the invalid event in prepare with a PayloadValidationError and invokes no processor",
    async () => {
      const event = loadEvent("orchestrator-invalid");

      const execution = await runner().run({ payload: event });

      expect(execution.getStatus()).toBe("FAILED");
      expect(execution.getError().errorType).toBe("PayloadValidationError");
      expect(execution.getOperations().map((operation) => [operation.getName(), operation.getStatus()])).toEqual([
        ["prepare", "FAILED"],
      ]);
    },
    EXECUTION_TIMEOUT_MS,
  );

  it.each<EventName>(["orchestrator", "orchestrator-invalid"])(
    "prints for events/%s.json with npm run invoke the JSON line and exit code of npm start",
    (name) => {
      const file = `events/${name}.json`;

      const cloud = jsonLineOf("run invoke", "--function", aliasArn, "--event", file);
      const local = jsonLineOf("start", file);

      expect(cloud).toEqual(local);
    },
    2 * EXECUTION_TIMEOUT_MS,
  );
});
