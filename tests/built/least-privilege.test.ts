/**
 * Least privilege, checked on what deploys: template.yaml after the SAM
 * transform (scripts/template/transform-template.py, with the translator the SAM CLI
 * installs), so the roles SAM generates are checked too, not just our lines.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import * as v from "valibot";
import { PROCESSOR_STAGES, stageNames } from "../../shared";
import { valueAt } from "../../scripts/report/template";
import { ROOT } from "../support/events";

/** Each processor stage's function, by its logical id. */
const PROCESSORS = PROCESSOR_STAGES.map((stage) => stageNames(stage).functionId);

/** The SAM CLI's Python (which has the translator): SAM_CLI_PYTHON, else the one .ci/run installs. */
const python = process.env.SAM_CLI_PYTHON ?? path.join(ROOT, ".aws-sam", "tools", "sam-cli", "bin", "python");
const hasTranslator =
  existsSync(python) && spawnSync(python, ["-c", "import samtranslator"], { stdio: "ignore" }).status === 0;
// Skipped only when nobody named a Python: a SAM_CLI_PYTHON without the translator (as .ci/run sets it) fails.
const runs = hasTranslator || process.env.SAM_CLI_PYTHON !== undefined;
const SKIPPED = `no Python with aws-sam-translator at ${python}; set SAM_CLI_PYTHON (docs/CONTRIBUTING.md) or run .ci/run`;
// jest only counts a skipped suite, so the reason is printed where the run's output shows it.
if (!runs) process.stderr.write(`IAM tests SKIPPED: ${SKIPPED}\n`);

const StatementSchema = v.object({ Effect: v.string(), Action: v.unknown(), Resource: v.unknown() });
const PolicyDocumentSchema = v.object({ Statement: v.array(StatementSchema) });
const RoleSchema = v.object({
  Type: v.literal("AWS::IAM::Role"),
  Properties: v.object({
    ManagedPolicyArns: v.optional(v.array(v.string()), []),
    Policies: v.optional(v.array(v.object({ PolicyName: v.string(), PolicyDocument: PolicyDocumentSchema })), []),
  }),
});
const RolePolicySchema = v.object({
  Type: v.literal("AWS::IAM::RolePolicy"),
  Properties: v.object({ RoleName: v.unknown(), PolicyName: v.string(), PolicyDocument: PolicyDocumentSchema }),
});
const ResourceSchema = v.object({
  Type: v.string(),
  Properties: v.optional(v.record(v.string(), v.unknown()), {}),
  DependsOn: v.optional(v.union([v.string(), v.array(v.string())])),
});
const TemplateSchema = v.object({ Resources: v.record(v.string(), ResourceSchema) });

let resources: v.InferOutput<typeof TemplateSchema>["Resources"];
const resource = (id: string) => {
  const found = resources[id];
  if (!found) throw new Error(`the transformed template has no resource ${id}`);
  return found;
};
const statementsOf = (roleId: string) =>
  v.parse(RoleSchema, resource(roleId)).Properties.Policies.flatMap((policy) => policy.PolicyDocument.Statement);
const versionsOf = (functionId: string) => ({ "Fn::Sub": `\${${functionId}.Arn}:*` });

/** The logical ids a value refers to: Ref, Fn::GetAtt and the `${Id}` or `${Id.Attr}` of Fn::Sub. */
const referencesIn = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    if (key === "Ref" && typeof inner === "string") return [inner];
    if (key === "Fn::GetAtt" && Array.isArray(inner) && typeof inner[0] === "string") return [inner[0]];
    if (key === "Fn::Sub") {
      const text: unknown = Array.isArray(inner) ? inner[0] : inner;
      const named =
        typeof text === "string" ? [...text.matchAll(/\$\{([^!}.]+)[^}]*\}/g)].map((match) => match[1] ?? "") : [];
      return [...named, ...(Array.isArray(inner) ? referencesIn(inner[1]) : [])];
    }
    return referencesIn(inner);
  });
};

(runs ? describe : describe.skip)(
  runs ? "the deployed template's IAM" : `the deployed template's IAM (SKIPPED: ${SKIPPED})`,
  () => {
    beforeAll(() => {
      const transformed = execFileSync(python, [path.join(ROOT, "scripts", "template", "transform-template.py")], {
        cwd: ROOT,
        encoding: "utf8",
      });
      resources = v.parse(TemplateSchema, JSON.parse(transformed)).Resources;
    });

    it("has the orchestrator's role and its checkpoint policy, one generated role per processor, nothing else", () => {
      const iam = Object.entries(resources).filter(([, found]) => found.Type.startsWith("AWS::IAM::"));

      expect(iam.map(([id, found]) => `${id} ${found.Type}`).sort()).toEqual(
        [
          "OrchestratorRole AWS::IAM::Role",
          "OrchestratorCheckpointPolicy AWS::IAM::RolePolicy",
          ...PROCESSORS.map((id) => `${id}Role AWS::IAM::Role`),
        ].sort(),
      );
      expect(resource("OrchestratorFunction").Properties["Role"]).toEqual({
        "Fn::GetAtt": ["OrchestratorRole", "Arn"],
      });
    });

    it("attaches no managed policy to the orchestrator, and grants on every resource only what X-Ray allows no other way", () => {
      const role = v.parse(RoleSchema, resource("OrchestratorRole")).Properties;
      const checkpoint = v.parse(RolePolicySchema, resource("OrchestratorCheckpointPolicy")).Properties;

      const everywhere = [...role.Policies.map((policy) => policy.PolicyDocument), checkpoint.PolicyDocument]
        .flatMap((document) => document.Statement)
        .filter((statement) => [statement.Resource].flat().includes("*"));

      expect(role.ManagedPolicyArns).toEqual([]);
      // PutTraceSegments and PutTelemetryRecords have no resource-level permissions (IAM Service Authorization Reference).
      expect(everywhere).toEqual([
        { Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
      ]);
    });

    it("lets the orchestrator send to its dead-letter queue and to no other queue", () => {
      const statements = statementsOf("OrchestratorRole").filter((statement) =>
        JSON.stringify(statement.Action).includes("sqs:"),
      );

      expect(statements).toEqual([
        { Effect: "Allow", Action: "sqs:SendMessage", Resource: { "Fn::GetAtt": ["FailedStartsQueue", "Arn"] } },
      ]);
      expect(resource("OrchestratorFunction").Properties["DeadLetterConfig"]).toEqual({
        TargetArn: { "Fn::GetAtt": ["FailedStartsQueue", "Arn"] },
      });
    });

    it("puts the on-failure destination on the alias callers invoke, and on nothing else", () => {
      const configs = Object.entries(resources).filter(([, found]) => found.Type === "AWS::Lambda::EventInvokeConfig");

      expect(configs.map(([, found]) => found.Properties)).toEqual([
        {
          FunctionName: { Ref: "OrchestratorFunction" },
          Qualifier: "live",
          DestinationConfig: { OnFailure: { Destination: { "Fn::GetAtt": ["FailedStartsQueue", "Arn"] } } },
        },
      ]);
      expect(configs.map(([, found]) => found.DependsOn)).toEqual([["OrchestratorFunctionAliaslive"]]);
    });

    it("traces every function, the orchestrator and each stage's", () => {
      const tracing = ["OrchestratorFunction", ...PROCESSORS].map((id) => [
        id,
        resource(id).Properties["TracingConfig"],
      ]);

      expect(tracing).toEqual(["OrchestratorFunction", ...PROCESSORS].map((id) => [id, { Mode: "Active" }]));
    });

    it("grants the orchestrator these eight actions and no other", () => {
      const checkpoint = v.parse(RolePolicySchema, resource("OrchestratorCheckpointPolicy")).Properties;

      const actions = [...statementsOf("OrchestratorRole"), ...checkpoint.PolicyDocument.Statement].flatMap(
        (statement) => [statement.Action].flat(),
      );

      expect(actions.sort()).toEqual([
        "lambda:CheckpointDurableExecution",
        "lambda:GetDurableExecutionState",
        "lambda:InvokeFunction",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "sqs:SendMessage",
        "xray:PutTelemetryRecords",
        "xray:PutTraceSegments",
      ]);
    });

    it("lets the orchestrator write its logs to its own log group only", () => {
      const statements = statementsOf("OrchestratorRole").filter((statement) =>
        JSON.stringify(statement.Action).includes("logs:"),
      );

      expect(statements).toEqual([
        {
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: { "Fn::GetAtt": ["OrchestratorLogGroup", "Arn"] },
        },
      ]);
    });

    it("lets the orchestrator checkpoint its own executions only, on any of its versions", () => {
      const policy = v.parse(RolePolicySchema, resource("OrchestratorCheckpointPolicy")).Properties;

      expect(policy.RoleName).toEqual({ Ref: "OrchestratorRole" });
      expect(policy.PolicyDocument.Statement).toEqual([
        {
          Effect: "Allow",
          Action: ["lambda:CheckpointDurableExecution", "lambda:GetDurableExecutionState"],
          Resource: versionsOf("OrchestratorFunction"),
        },
      ]);
    });

    it("lets the orchestrator invoke every version of each stage's function, naming any stage it may not", () => {
      const granted = JSON.stringify(statementsOf("OrchestratorRole"));

      const missing = PROCESSOR_STAGES.filter(
        (stage) => !granted.includes(JSON.stringify(versionsOf(stageNames(stage).functionId))),
      );

      expect(
        missing.map((stage) => `stage ${stage}: no lambda:InvokeFunction on \${${stageNames(stage).functionId}.Arn}:*`),
      ).toEqual([]);
    });

    it("lets the orchestrator invoke every version of exactly the declared processors, and no other function", () => {
      const statements = statementsOf("OrchestratorRole").filter((statement) =>
        JSON.stringify(statement.Action).includes("lambda:"),
      );

      expect(statements).toEqual([
        { Effect: "Allow", Action: "lambda:InvokeFunction", Resource: PROCESSORS.map(versionsOf) },
      ]);
    });

    it("points the orchestrator at the processor versions this deployment publishes", () => {
      const variables = valueAt(resource("OrchestratorFunction").Properties, "Environment", "Variables");
      const versionIds = PROCESSOR_STAGES.map((stage) =>
        String(valueAt(variables, stageNames(stage).arnVariable, "Ref")),
      );

      const versions = versionIds.map((id) => {
        const version = resource(id);
        return [version.Type, version.Properties["FunctionName"]];
      });

      expect(versions).toEqual(PROCESSORS.map((processor) => ["AWS::Lambda::Version", { Ref: processor }]));
    });

    it.each(PROCESSORS)("gives %s no permission beyond writing its logs and its traces", (processor) => {
      const properties = v.parse(RoleSchema, resource(`${processor}Role`)).Properties;

      expect(properties.ManagedPolicyArns).toEqual([
        expect.stringMatching(/^arn:aws[\w-]*:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole$/),
        expect.stringMatching(/^arn:aws[\w-]*:iam::aws:policy\/AWSXrayWriteOnlyAccess$/),
      ]);
      expect(properties.Policies).toEqual([]);
    });

    it("has no circular dependency between its resources", () => {
      const dependencies = new Map(
        Object.entries(resources).map(([id, found]) => [
          id,
          new Set(
            [...referencesIn(found.Properties), ...[found.DependsOn ?? []].flat()].filter((ref) => ref in resources),
          ),
        ]),
      );
      const cycles: string[] = [];
      const state = new Map<string, "visiting" | "done">();
      const visit = (id: string, trail: string[]): void => {
        if (state.get(id) === "done") return;
        if (state.get(id) === "visiting") {
          cycles.push([...trail.slice(trail.indexOf(id)), id].join(" -> "));
          return;
        }
        state.set(id, "visiting");
        for (const next of dependencies.get(id) ?? []) visit(next, [...trail, id]);
        state.set(id, "done");
      };

      for (const id of dependencies.keys()) visit(id, []);

      expect(cycles).toEqual([]);
    });
  },
);
