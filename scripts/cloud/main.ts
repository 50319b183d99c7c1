/**
 * `npm run invoke -- (--function <alias ARN> | --stack <name>) [options]`:
 * starts one durable execution of the deployed orchestrator with an event
 * file, waits for it to end, and prints what `npm start` prints for a local run.
 *
 *   --function <alias ARN>  the orchestrator's alias (the stack's OrchestratorAliasArn output)
 *   --stack <name>          read that output from the stack instead
 *   --region <region>       default: the --function ARN's region, else the AWS configuration's
 *   --event <file>          default events/orchestrator.json
 *   --timeout <seconds>     how long to wait for the execution to end, default 120
 *   --name <name>           the execution's name: starting again with the same name and event starts nothing new
 *   --json                  one line of JSON instead of the report
 *
 * Credentials come from the standard AWS configuration (profile, environment, SSO, ...).
 * Exit code: 0 when the execution succeeded, 1 when it did not (or the wait ran out),
 * 2 for bad usage, an unreadable or non-JSON event file, or a target that could not be started.
 */
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { cloudInvoke } from "./cli";

process.exitCode = await cloudInvoke({
  argv: process.argv.slice(2),
  packageDirectory: process.cwd(),
  callerDirectory: process.env.INIT_CWD ?? process.cwd(),
  connect: (region) => {
    const config = region === undefined ? {} : { region };
    return { lambda: new LambdaClient(config), cloudFormation: new CloudFormationClient(config) };
  },
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
