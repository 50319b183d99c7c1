/**
 * What template.yaml deploys, setting by setting, beyond the pieces every stage has (chain-pieces.test.ts) and how
 * each function is built (build.test.ts).
 */
import { describe, expect, it } from "@jest/globals";
import * as v from "valibot";
import { ORCHESTRATOR_NAMES, PROCESSOR_STAGES, stageNames } from "../../shared";
import { loadTemplate, parseTemplate, resourceById, resourcesOfType, valueAt } from "../../scripts/report/template";

const ORCHESTRATOR_ID = ORCHESTRATOR_NAMES.functionId;

/** Lambda's limits for DurableConfig (API reference, DurableConfig). */
const DURABLE_LIMITS = [
  { parameter: "ExecutionTimeout", min: 1, max: 31_622_400 },
  { parameter: "RetentionPeriodInDays", min: 1, max: 90 },
];

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
