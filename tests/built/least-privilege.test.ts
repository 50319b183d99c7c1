/**
 * Least privilege, checked on what deploys: template.yaml after the SAM
 * transform (scripts/transform-template.py, with the translator the SAM CLI
 * installs), so the roles SAM generates are checked too, not just our lines.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import * as v from "valibot";
import { ROOT } from "../support/events";

const PROCESSORS = ["AddFunction", "TransformFunction", "FinalizeFunction"];

/** The SAM CLI's Python (which has the translator): SAM_CLI_PYTHON, else the one .ci/run installs. */
const python = process.env.SAM_CLI_PYTHON ?? path.join(ROOT, ".aws-sam", "tools", "sam-cli", "bin", "python");
const hasTranslator =
  existsSync(python) && spawnSync(python, ["-c", "import samtranslator"], { stdio: "ignore" }).status === 0;
// Skipped only when nobody named a Python: a SAM_CLI_PYTHON without the translator (as .ci/run sets it) fails.
const runs = hasTranslator || process.env.SAM_CLI_PYTHON !== undefined;

const StatementSchema = v.object({ Effect: v.string(), Action: v.unknown(), Resource: v.unknown() });
const RoleSchema = v.object({
  Type: v.literal("AWS::IAM::Role"),
  Properties: v.object({
    ManagedPolicyArns: v.optional(v.array(v.string()), []),
    Policies: v.optional(
      v.array(v.object({ PolicyName: v.string(), PolicyDocument: v.object({ Statement: v.array(StatementSchema) }) })),
      [],
    ),
  }),
});
const TemplateSchema = v.object({
  Resources: v.record(v.string(), v.object({ Type: v.string(), Properties: v.optional(v.unknown()) })),
});

let resources: v.InferOutput<typeof TemplateSchema>["Resources"];
const role = (functionId: string) => v.parse(RoleSchema, resources[`${functionId}Role`]);
const arnOf = (functionId: string) => ({ "Fn::GetAtt": [functionId, "Arn"] });

(runs ? describe : describe.skip)(
  runs
    ? "the deployed template's IAM"
    : `the deployed template's IAM (SKIPPED: no Python with aws-sam-translator at ${python}; set SAM_CLI_PYTHON or run .ci/run)`,
  () => {
    beforeAll(() => {
      const transformed = execFileSync(python, [path.join(ROOT, "scripts", "transform-template.py")], {
        cwd: ROOT,
        encoding: "utf8",
      });
      resources = v.parse(TemplateSchema, JSON.parse(transformed)).Resources;
    });

    it("creates one role per function and no other IAM resource", () => {
      const iam = Object.entries(resources).filter(([, resource]) => resource.Type.startsWith("AWS::IAM::"));

      expect(iam.map(([id, resource]) => `${id} ${resource.Type}`).sort()).toEqual(
        ["OrchestratorFunction", ...PROCESSORS].map((id) => `${id}Role AWS::IAM::Role`).sort(),
      );
    });

    it("lets the orchestrator invoke exactly the three processors, beside the durable-execution policy", () => {
      const orchestrator = role("OrchestratorFunction").Properties;

      expect(orchestrator.ManagedPolicyArns).toEqual([
        expect.stringMatching(
          /^arn:aws[\w-]*:iam::aws:policy\/service-role\/AWSLambdaBasicDurableExecutionRolePolicy$/,
        ),
      ]);
      expect(orchestrator.Policies.flatMap((policy) => policy.PolicyDocument.Statement)).toEqual([
        { Effect: "Allow", Action: "lambda:InvokeFunction", Resource: PROCESSORS.map(arnOf) },
      ]);
    });

    it.each(PROCESSORS)("gives %s no permission beyond writing its logs", (processor) => {
      const properties = role(processor).Properties;

      expect(properties.ManagedPolicyArns).toEqual([
        expect.stringMatching(/^arn:aws[\w-]*:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole$/),
      ]);
      expect(properties.Policies).toEqual([]);
    });
  },
);
