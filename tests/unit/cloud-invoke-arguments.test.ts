/**
 * `npm run invoke`'s command line: what it reads from the arguments, and what
 * it refuses before anything is sent.
 */
import { describe, expect, it } from "@jest/globals";
import { parseArguments, UsageError } from "../../scripts/cloud/arguments";
import { ALIAS_ARN, FUNCTION_NAME, functionArn } from "../support/fake-cloud";

describe("parseArguments", () => {
  it("takes the region from an alias ARN and defaults the event, the timeout and the output", () => {
    const options = parseArguments(["--function", ALIAS_ARN]);

    expect(options).toEqual({
      target: { function: ALIAS_ARN },
      region: "eu-west-1",
      eventFile: "events/orchestrator.json",
      timeoutSeconds: 120,
      executionName: undefined,
      json: false,
    });
  });

  it("reads a stack, a region, an event file, a timeout, an execution name and --json", () => {
    const args = ["--stack", "my-stack", "--region", "us-east-1", "--event", "e.json", "--timeout", "30"];

    const options = parseArguments([...args, "--name", "run-1", "--json"]);

    expect(options).toEqual({
      target: { stack: "my-stack" },
      region: "us-east-1",
      eventFile: "e.json",
      timeoutSeconds: 30,
      executionName: "run-1",
      json: true,
    });
  });

  it.each([functionArn("7"), functionArn("$LATEST"), `${FUNCTION_NAME}:live`])("accepts the qualified %s", (arn) => {
    expect(parseArguments(["--function", arn]).target).toEqual({ function: arn });
  });

  it.each([
    ["no target", [], /^say what to invoke with --function <alias ARN> or --stack <stack name>; usage: /],
    ["both targets", ["--function", ALIAS_ARN, "--stack", "s"], /^give --function or --stack, not both; usage: /],
    ["an unknown option", ["--verbose"], /^unknown option --verbose; usage: /],
    ["an option without its value", ["--stack", "--json"], /^--stack needs a value; usage: /],
    ["a bare event file", ["--stack", "s", "events/orchestrator.json"], /^unexpected argument events\/orchestrator/],
    ["a timeout that is not a number", ["--stack", "s", "--timeout", "2m"], /^--timeout takes a number of seconds/],
    ["a zero timeout", ["--stack", "s", "--timeout", "0"], /^--timeout takes a number of seconds above 0, not 0$/],
    ["something that is no function ARN", ["--function", "arn:aws:s3:::bucket"], /^--function takes the orchestr/],
    ["a region other than the ARN's", ["--function", ALIAS_ARN, "--region", "us-east-1"], /^--region us-east-1 dif/],
  ])("refuses %s", (_case, args, message) => {
    expect(() => parseArguments(args)).toThrow(UsageError);
    expect(() => parseArguments(args)).toThrow(message);
  });

  it.each([functionArn(), FUNCTION_NAME])(
    "refuses the unqualified %s and says how to invoke a durable function",
    (arn) => {
      expect(() => parseArguments(["--function", arn])).toThrow(
        `--function ${arn} names no qualifier: Lambda invokes a durable function only through a version, an alias ` +
          "or $LATEST (it refuses an unqualified ARN with InvalidParameterValueException); pass the stack's " +
          "OrchestratorAliasArn output, or --stack <name>",
      );
    },
  );
});
