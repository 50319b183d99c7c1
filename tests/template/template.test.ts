import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, extname, join } from "node:path";
import { pathToFileURL } from "node:url";
import * as v from "valibot";
import { ORCHESTRATOR_NAMES, PROCESSOR_STAGES, stageNames } from "../../shared";
import { loadTemplate, parseTemplate, resourceById, resourcesOfType, valueAt } from "../../scripts/report/template";
import { ROOT as REPOSITORY_ROOT } from "../support/events";

const ORCHESTRATOR_ID = ORCHESTRATOR_NAMES.functionId;

/** Lambda's limits for DurableConfig (API reference, DurableConfig). */
const DURABLE_LIMITS = [
  { parameter: "ExecutionTimeout", min: 1, max: 31_622_400 },
  { parameter: "RetentionPeriodInDays", min: 1, max: 90 },
];

/**
 * The esbuild command line that `sam build` runs for a function's BuildProperties, assembled the
 * way aws-lambda-builders does (nodejs_npm_esbuild/esbuild.py): fixed flags and defaults, then
 * boolean, single-value and list properties, then the entry points.
 */
const samEsbuildArguments = (buildProperties: Record<string, unknown>, outdir: string): string[] => {
  const flag = (key: string) =>
    `--${key.replace(/[A-Z]/g, (letter, at: number) => (at > 0 ? "-" : "") + letter.toLowerCase())}`;
  const list = (key: string) => v.parse(v.optional(v.array(v.string()), []), buildProperties[key]);
  return [
    "--bundle",
    "--platform=node",
    `--outdir=${outdir}`,
    ...("Target" in buildProperties ? [] : ["--target=es2020"]),
    ...("Format" in buildProperties ? [] : ["--format=cjs"]),
    ...("Minify" in buildProperties ? [] : ["--minify"]),
    ...Object.keys(buildProperties)
      .filter((key) => buildProperties[key] === true)
      .map(flag),
    ...["Target", "Format", "MainFields", "SourcesContent"]
      .filter((key) => key in buildProperties)
      .map((key) => `${flag(key)}=${v.parse(v.union([v.string(), v.number(), v.boolean()]), buildProperties[key])}`),
    ...["External", "Loader", "OutExtension", "Banner"].flatMap((key) =>
      list(key).map((item) => `${flag(key)}:${item}`),
    ),
    ...list("EntryPoints"),
  ];
};

const template = loadTemplate();
const functions = resourcesOfType(template, "AWS::Serverless::Function");
const processors = functions.filter(([id]) => id !== ORCHESTRATOR_ID);
const orchestrator = resourceById(template, ORCHESTRATOR_ID);

describe("the template loader", () => {
  it("reads CloudFormation short tags as their long form", () => {
    const text = [
      "Resources:",
      "  Thing:",
      "    Type: Test::Thing",
      "    Properties:",
      "      Arn: !GetAtt Target.Arn",
      "      Nested: !If [IsProd, !Ref Prod, !Sub '${Target.Arn}:*']",
      "      Pair: !GetAtt [Target, Arn]",
    ].join("\n");

    const parsed = parseTemplate(text);

    expect(parsed.Resources["Thing"]?.Properties).toEqual({
      Arn: { "Fn::GetAtt": ["Target", "Arn"] },
      Nested: { "Fn::If": ["IsProd", { Ref: "Prod" }, { "Fn::Sub": "${Target.Arn}:*" }] },
      Pair: { "Fn::GetAtt": ["Target", "Arn"] },
    });
  });
});

describe("template.yaml", () => {
  it("declares the orchestrator and one function per processor stage", () => {
    const expectedIds = [ORCHESTRATOR_ID, ...PROCESSOR_STAGES.map((stage) => stageNames(stage).functionId)];

    const ids = functions.map(([id]) => id);

    expect(ids).toEqual(expectedIds);
  });

  describe("build", () => {
    it.each(functions)("builds %s from an entry file that exists and exports the handler it names", (_id, fn) => {
      // One entry point per function: esbuild then writes it as index.mjs at the root of the build output.
      const [entry] = v.parse(v.tuple([v.string()]), valueAt(fn.Metadata, "BuildProperties", "EntryPoints"));
      const handler = v.parse(v.string(), fn.Properties["Handler"]);
      const [moduleName, exportName] = v.parse(v.tuple([v.string(), v.string()]), handler.split("."));

      const entryPath = join(REPOSITORY_ROOT, entry);
      const source = existsSync(entryPath) ? readFileSync(entryPath, "utf8") : undefined;

      expect(source).toBeDefined();
      expect(moduleName).toBe(basename(entry, extname(entry)));
      expect(source).toMatch(new RegExp(`^export const ${exportName}\\b`, "m"));
    });

    it("builds every function from the repository root, so that shared/ is inside what sam build copies", () => {
      const codeUris = functions.map(([id, fn]) => [id, fn.Properties["CodeUri"]]);

      const expected = functions.map(([id]) => [id, "./"]);

      expect(codeUris).toEqual(expected);
    });

    /** A function's BuildProperties. */
    const buildOf = (fn: (typeof functions)[number][1]) =>
      v.parse(v.record(v.string(), v.unknown()), valueAt(fn.Metadata, "BuildProperties"));

    it("bundles every function the same way, as a minified ES module with everything in it", () => {
      const shared = functions.map(([id, fn]) => {
        const { EntryPoints: _entryPoints, KeepNames: _keepNames, Banner: _banner, ...rest } = buildOf(fn);
        return [id, { BuildMethod: fn.Metadata["BuildMethod"], ...rest }];
      });

      const orchestratorBuild = shared[0]?.[1];

      expect(shared).toEqual(functions.map(([id]) => [id, orchestratorBuild]));
      expect(orchestratorBuild).toEqual({
        BuildMethod: "esbuild",
        Format: "esm",
        OutExtension: [".js=.mjs"],
        Target: "es2023",
        MainFields: "module,main",
        Minify: true,
        Sourcemap: false,
      });
    });

    it("gives only the orchestrator, which bundles the AWS SDK, the banner that lets CommonJS code require Node built-ins", () => {
      const banners = functions.map(([id, fn]) => [id, buildOf(fn)["Banner"]]);

      expect(banners).toEqual(
        functions.map(([id]) => [
          id,
          id === ORCHESTRATOR_ID
            ? [expect.stringMatching(/^js=import .+;const require = \w+\(import\.meta\.url\);$/)]
            : undefined,
        ]),
      );
    });

    it("keeps the orchestrator's class names while minifying, so that the durable SDK's errors keep their names", () => {
      const keepNames = functions.map(([id, fn]) => [id, buildOf(fn)["KeepNames"]]);

      expect(keepNames).toEqual(functions.map(([id]) => [id, id === ORCHESTRATOR_ID ? true : undefined]));
    });
  });

  describe("bundles, as sam build makes them", () => {
    const esbuild = join(REPOSITORY_ROOT, "node_modules", ".bin", "esbuild");
    let outRoot = "";

    beforeAll(() => {
      outRoot = mkdtempSync(join(tmpdir(), "template-bundles-"));
      for (const [id, fn] of functions) {
        const buildProperties = v.parse(v.record(v.string(), v.unknown()), valueAt(fn.Metadata, "BuildProperties"));
        execFileSync(esbuild, [...samEsbuildArguments(buildProperties, join(outRoot, id)), "--log-level=error"], {
          cwd: REPOSITORY_ROOT,
        });
      }
    });

    afterAll(() => {
      rmSync(outRoot, { recursive: true, force: true });
    });

    it.each(functions)("loads %s's bundle in Node as an ES module that exports its handler", (id, fn) => {
      const [moduleName, exportName] = v.parse(v.string(), fn.Properties["Handler"]).split(".");
      const bundle = pathToFileURL(join(outRoot, id, `${moduleName ?? ""}.mjs`)).href;
      const environment = Object.fromEntries(
        PROCESSOR_STAGES.map((stage) => [stageNames(stage).arnVariable, `${stageNames(stage).functionId}-arn`]),
      );

      const exportedType = execFileSync(
        process.execPath,
        [
          "--input-type=module",
          "--eval",
          `console.log(typeof (await import(${JSON.stringify(bundle)}))[${JSON.stringify(exportName)}])`,
        ],
        { env: { ...process.env, ...environment }, encoding: "utf8" },
      );

      expect(exportedType.trim()).toBe("function");
    });
  });

  describe("orchestrator", () => {
    it("runs under a role of its own, so that SAM attaches no managed policy to it", () => {
      const role = orchestrator.Properties["Role"];

      expect(role).toEqual({ "Fn::GetAtt": ["OrchestratorRole", "Arn"] });
      expect(orchestrator.Properties["Policies"]).toBeUndefined();
      expect(resourceById(template, "OrchestratorRole").Type).toBe("AWS::IAM::Role");
    });

    it("is invoked through the alias that AutoPublishAlias creates, which the outputs name", () => {
      const alias = valueAt(template.Globals, "Function", "AutoPublishAlias");

      const output = template.Outputs[ORCHESTRATOR_NAMES.aliasOutput];

      expect(alias).toEqual(expect.any(String));
      expect(output?.["Value"]).toEqual({ Ref: `${ORCHESTRATOR_ID}.Alias` });
    });
  });

  describe("processors", () => {
    it.each(processors)("gives %s no permissions beyond writing its logs", (_id, fn) => {
      const permissions = [fn.Properties["Policies"], fn.Properties["Role"]];

      expect(permissions).toEqual([undefined, undefined]);
    });
  });

  it("publishes a version of every function on each deployment that changes it, behind one alias", () => {
    const overrides = functions.filter(([, fn]) => fn.Properties["AutoPublishAlias"] !== undefined);

    const alias = valueAt(template.Globals, "Function", "AutoPublishAlias");

    expect(alias).toBe("live");
    expect(overrides).toEqual([]);
  });

  describe("durable execution", () => {
    it("makes only the orchestrator durable", () => {
      const durableIds = functions.filter(([, fn]) => fn.Properties["DurableConfig"] !== undefined).map(([id]) => id);

      const globalDurableConfig = valueAt(template.Globals, "Function", "DurableConfig");

      expect(durableIds).toEqual([ORCHESTRATOR_ID]);
      expect(globalDurableConfig).toBeUndefined();
    });

    it("takes the execution timeout and the retention period from parameters", () => {
      const durableConfig = orchestrator.Properties["DurableConfig"];

      expect(durableConfig).toEqual({
        ExecutionTimeout: { Ref: "ExecutionTimeout" },
        RetentionPeriodInDays: { Ref: "RetentionPeriodInDays" },
      });
    });

    it.each(DURABLE_LIMITS)(
      "keeps $parameter, default included, within Lambda's limits of $min to $max",
      ({ parameter, min, max }) => {
        const declared: Record<string, unknown> = template.Parameters[parameter] ?? {};

        const { Type: type, MinValue: minValue, MaxValue: maxValue, Default: defaultValue } = declared;

        expect(type).toBe("Number");
        expect(minValue).toBeGreaterThanOrEqual(min);
        expect(maxValue).toBeLessThanOrEqual(max);
        expect(defaultValue).toBeGreaterThanOrEqual(Number(minValue));
        expect(defaultValue).toBeLessThanOrEqual(Number(maxValue));
      },
    );
  });

  describe("names and logs", () => {
    it("lets CloudFormation name every resource, so that two stacks fit in one account", () => {
      const fixedNames = Object.entries(template.Resources).flatMap(([id, resource]) =>
        ["FunctionName", "LogGroupName"].filter((key) => key in resource.Properties).map((key) => `${id}.${key}`),
      );

      expect(fixedNames).toEqual([]);
    });

    it.each(functions)("sends %s's logs to a log group of its own that expires them", (id, fn) => {
      const logGroupRef = valueAt(fn.Properties, "LoggingConfig", "LogGroup");
      const logGroupId = String(valueAt(logGroupRef, "Ref"));

      const logGroup = template.Resources[logGroupId];
      const sharers = functions.filter(
        ([, other]) => valueAt(other.Properties, "LoggingConfig", "LogGroup", "Ref") === logGroupId,
      );

      expect(logGroupRef).toEqual({ Ref: expect.any(String) });
      expect(logGroup?.Type).toBe("AWS::Logs::LogGroup");
      expect(logGroup?.Properties["RetentionInDays"]).toBeDefined();
      // `sam delete` removes the logs with the stack.
      expect(logGroup).toMatchObject({ DeletionPolicy: "Delete", UpdateReplacePolicy: "Delete" });
      expect(sharers.map(([sharerId]) => sharerId)).toEqual([id]);
    });

    it("writes every function's logs as JSON", () => {
      const overrides = functions.filter(
        ([, fn]) => valueAt(fn.Properties, "LoggingConfig", "LogFormat") !== undefined,
      );

      const logFormat = valueAt(template.Globals, "Function", "LoggingConfig", "LogFormat");

      expect(logFormat).toBe("JSON");
      expect(overrides).toEqual([]);
    });
  });

  describe("observability", () => {
    it("traces every function with X-Ray", () => {
      const overrides = functions.filter(([, fn]) => fn.Properties["Tracing"] !== undefined);

      const tracing = valueAt(template.Globals, "Function", "Tracing");

      expect(tracing).toBe("Active");
      expect(overrides).toEqual([]);
    });

    it("takes every function's application log level from the ApplicationLogLevel parameter", () => {
      const parameter = template.Parameters["ApplicationLogLevel"];

      const level = valueAt(template.Globals, "Function", "LoggingConfig", "ApplicationLogLevel");

      expect(level).toEqual({ Ref: "ApplicationLogLevel" });
      expect(parameter).toMatchObject({
        Type: "String",
        Default: "INFO",
        AllowedValues: ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"],
      });
    });

    it("sends a failed asynchronous start, as its event and as an on-failure record, to an encrypted queue that keeps it for 14 days", () => {
      const deadLetter = orchestrator.Properties["DeadLetterQueue"];
      const onFailure = valueAt(orchestrator.Properties, "EventInvokeConfig", "DestinationConfig", "OnFailure");
      const queue = resourceById(template, "FailedStartsQueue");

      expect(deadLetter).toEqual({ Type: "SQS", TargetArn: { "Fn::GetAtt": ["FailedStartsQueue", "Arn"] } });
      expect(onFailure).toEqual({ Type: "SQS", Destination: { "Fn::GetAtt": ["FailedStartsQueue", "Arn"] } });
      expect(queue).toMatchObject({
        Type: "AWS::SQS::Queue",
        Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 60 * 60 },
      });
    });

    it.each([
      ["FailedExecutionsAlarm", "DurableExecutionFailed", "failed-executions"],
      ["TimedOutExecutionsAlarm", "DurableExecutionTimedOut", "timed-out-executions"],
    ])("raises %s on any %s of the orchestrator, named after the stack, to the topic", (id, metric, suffix) => {
      const alarm = resourceById(template, id);

      expect(alarm.Type).toBe("AWS::CloudWatch::Alarm");
      expect(alarm.Properties).toMatchObject({
        AlarmName: { "Fn::Sub": `\${AWS::StackName}-${suffix}` },
        Namespace: "AWS/Lambda",
        MetricName: metric,
        Dimensions: [{ Name: "FunctionName", Value: { Ref: ORCHESTRATOR_ID } }],
        Statistic: "Sum",
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        TreatMissingData: "notBreaching",
        AlarmActions: [{ Ref: "AlarmTopic" }],
      });
    });

    it("raises one alarm on the errors of exactly the declared processors, named after the stack, to the topic", () => {
      const alarm = resourceById(template, "ProcessorErrorsAlarm");
      const metrics = v.parse(
        v.array(v.object({ Id: v.string(), Expression: v.optional(v.string()), MetricStat: v.optional(v.unknown()) })),
        alarm.Properties["Metrics"],
      );

      const summed = metrics.filter((metric) => metric.MetricStat !== undefined);
      const expression = metrics.find((metric) => metric.Expression !== undefined)?.Expression;

      expect(alarm.Properties).toMatchObject({
        AlarmName: { "Fn::Sub": "${AWS::StackName}-processor-errors" },
        AlarmActions: [{ Ref: "AlarmTopic" }],
        Threshold: 1,
      });
      expect(summed.map((metric) => valueAt(metric.MetricStat, "Metric"))).toEqual(
        PROCESSOR_STAGES.map((stage) => ({
          Namespace: "AWS/Lambda",
          MetricName: "Errors",
          Dimensions: [{ Name: "FunctionName", Value: { Ref: stageNames(stage).functionId } }],
        })),
      );
      expect(expression?.split(" + ").sort()).toEqual(summed.map((metric) => metric.Id).sort());
    });

    it("subscribes the AlarmEmail address to the topic only when one is given", () => {
      const subscription = resourceById(template, "AlarmEmailSubscription");

      expect(template.Parameters["AlarmEmail"]).toMatchObject({ Type: "String", Default: "" });
      expect(subscription).toMatchObject({
        Type: "AWS::SNS::Subscription",
        Condition: "HasAlarmEmail",
        Properties: { TopicArn: { Ref: "AlarmTopic" }, Protocol: "email", Endpoint: { Ref: "AlarmEmail" } },
      });
    });
  });

  describe("runtime", () => {
    it("runs every function on nodejs24.x on arm64", () => {
      const overrides = functions.filter(
        ([, fn]) => fn.Properties["Runtime"] !== undefined || fn.Properties["Architectures"] !== undefined,
      );

      const runtime = [
        valueAt(template.Globals, "Function", "Runtime"),
        valueAt(template.Globals, "Function", "Architectures"),
      ];

      expect(runtime).toEqual(["nodejs24.x", ["arm64"]]);
      expect(overrides).toEqual([]);
    });
  });
});
