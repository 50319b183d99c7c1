/**
 * `npm run invoke -- (--function <alias ARN> | --stack <name>) [options]`:
 * starts one durable execution of the deployed orchestrator with an event
 * file, waits for it to end, and prints what `npm start` prints for a local
 * run (`npm run invoke -- --help` lists the options). This file wires the
 * tool (cli.ts) to the real AWS clients, the process's streams and its folders.
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
