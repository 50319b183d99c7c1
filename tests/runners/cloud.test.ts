/**
 * The chain as deployed. The chain cases (tests/chain/cases.ts) that need no
 * fault made on purpose run on the orchestrator's alias through `npm run
 * invoke`'s own code (scripts/cloud/run.ts); the testing SDK's
 * CloudDurableTestRunner runs the sample once more; and `npm run invoke`
 * prints what `npm start` prints. These tests start real executions, so they
 * run only when DURABLE_ORCHESTRATOR_ALIAS_ARN holds the stack's
 * OrchestratorAliasArn output (with AWS credentials for its account); without
 * it the suite is reported as skipped, with the reason.
 */
import { describe, expect, it } from "@jest/globals";
import { CloudDurableTestRunner, InvocationType } from "@aws/durable-execution-sdk-js-testing";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { checkFunction } from "../../scripts/cloud/arguments";
import { runExecution } from "../../scripts/cloud/run";
import { ORCHESTRATOR_NAMES } from "../../shared";
import { itRunsTheChainCases } from "../chain/cases";
import { expectedResultOf, expectedShape, operationLines } from "../chain/expected";
import { loadEvent, type EventName } from "../support/events";
import { maskTimestamps, runNpm } from "../support/npm";

const ALIAS_VARIABLE = "DURABLE_ORCHESTRATOR_ALIAS_ARN";
const SKIPPED = `set ${ALIAS_VARIABLE} to the stack's ${ORCHESTRATOR_NAMES.aliasOutput} output to run them`;
const aliasArn = process.env[ALIAS_VARIABLE]?.trim() ?? "";

/** How long an execution may take here: its invocations, each possibly a cold start. */
const EXECUTION_TIMEOUT_SECONDS = 120;

if (aliasArn === "") process.stderr.write(`cloud tests SKIPPED: ${SKIPPED}\n`);

const describeCloud = aliasArn === "" ? describe.skip : describe;

const lambda = () => {
  const region = aliasArn === "" ? undefined : checkFunction(aliasArn);
  return new LambdaClient(region === undefined ? {} : { region });
};

describeCloud(aliasArn === "" ? `cloud tests (SKIPPED: ${SKIPPED})` : `the chain deployed at ${aliasArn}`, () => {
  itRunsTheChainCases(
    {
      // A deployed stack fails only as it really does: no fault is made on purpose.
      faults: [],
      suspendsOnWaits: true,
      capturesLogs: false,
      run: (event) =>
        runExecution(lambda(), aliasArn, {
          event,
          timeoutSeconds: EXECUTION_TIMEOUT_SECONDS,
          executionName: undefined,
        }),
    },
    2 * EXECUTION_TIMEOUT_SECONDS * 1000,
  );

  it(
    "runs the sample event through every stage with the testing SDK's cloud runner, to the result the stages compute",
    async () => {
      // Arrange
      const event = loadEvent("orchestrator");
      const runner = new CloudDurableTestRunner<unknown>({
        functionName: aliasArn,
        client: lambda(),
        config: { invocationType: InvocationType.Event },
      });

      // Act
      const execution = await runner.run({ payload: event });

      // Assert
      const result: unknown = execution.getResult();
      expect(execution.getStatus()).toBe("SUCCEEDED");
      expect(result).toEqual(await expectedResultOf(event, { result }));
      const operations = execution.getOperations().map((operation) => ({
        name: operation.getName() ?? "",
        type: operation.getType() ?? "",
        status: operation.getStatus() ?? "",
      }));
      expect(operationLines({ operations })).toEqual(expectedShape().operations);
    },
    2 * EXECUTION_TIMEOUT_SECONDS * 1000,
  );

  /** `npm <script> --silent -- --json ...`: its exit code and the one line it prints, parsed. */
  const jsonLineOf = (script: "start" | "run invoke", ...args: string[]) => {
    const { code, stdout, stderr } = runNpm(script, ["--json", ...args]);
    expect(stderr).toBe("");
    // A local run also lists the functions' log records; a run in the cloud cannot read them.
    const { logs: _logs, ...line } = JSON.parse(maskTimestamps(stdout)) as Record<string, unknown>;
    return { code, line };
  };

  it.each<EventName>(["orchestrator", "orchestrator-invalid"])(
    "prints for events/%s.json with npm run invoke the JSON line and exit code of npm start",
    (name) => {
      const file = `events/${name}.json`;

      const cloud = jsonLineOf("run invoke", "--function", aliasArn, "--event", file);
      const local = jsonLineOf("start", file);

      expect(cloud).toEqual(local);
    },
    2 * EXECUTION_TIMEOUT_SECONDS * 1000,
  );
});
