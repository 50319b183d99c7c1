/**
 * `npm run invoke` run as a process, offline: both tests end before any
 * request leaves the machine.
 */
import { describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ALIAS_ARN, functionArn } from "../support/fake-cloud";
import { runNpm } from "../support/npm";

describe("npm run invoke as a process, offline", () => {
  /** The environment without any AWS setting, and with the EC2 metadata service (a network call) switched off. */
  const noAws = (home: string): NodeJS.ProcessEnv => ({
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("AWS_"))),
    HOME: home,
    AWS_CONFIG_FILE: path.join(home, "no-config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, "no-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
  });
  const npmRunInvoke = (args: string[], env?: NodeJS.ProcessEnv) => runNpm("run invoke", args, env);

  it("refuses an unqualified ARN with exit 2 and one line", () => {
    const { code, stdout, stderr } = npmRunInvoke(["--function", functionArn()]);

    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `cloud-invoke: --function ${functionArn()} names no qualifier: Lambda invokes a durable function only through ` +
        "a version, an alias or $LATEST (it refuses an unqualified ARN with InvalidParameterValueException); pass the " +
        "stack's OrchestratorAliasArn output, or --stack <name>\n",
    );
  });

  it("says no credentials were found, with exit 2, when the AWS configuration has none", () => {
    const home = mkdtempSync(path.join(tmpdir(), "cloud-invoke-home-"));

    const { code, stdout, stderr } = npmRunInvoke(["--function", ALIAS_ARN], noAws(home));
    rmSync(home, { recursive: true, force: true });

    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      /^cloud-invoke: no AWS credentials found: .*\(Could not load credentials from any providers\)\n$/,
    );
  });
});
