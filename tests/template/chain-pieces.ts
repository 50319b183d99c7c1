/**
 * What template.yaml must hold for each processor stage the chain declares
 * (shared/chain.ts), checked piece by piece so that a missing one is reported
 * by stage and by name: "stage tax: template.yaml lacks its invoke grant ...". The least-privilege
 * test in tests/built/ checks the same grants again on the template SAM
 * transforms; this one runs in `npm test`, with no SAM CLI.
 */
import { ORCHESTRATOR_NAMES, PROCESSOR_STAGES, stageNames, type ProcessorStage } from "../../shared";
import { valueAt, type Template } from "../../scripts/report/template";

const FUNCTION = "AWS::Serverless::Function";
const LOG_GROUP = "AWS::Logs::LogGroup";

/** The statement of the orchestrator's role that lets it invoke the processors. */
const invokeStatements = (template: Template): unknown[] => {
  const policies = valueAt(template.Resources["OrchestratorRole"]?.Properties, "Policies");
  const statements = (Array.isArray(policies) ? (policies as unknown[]) : []).flatMap((policy) => {
    const statement = valueAt(policy, "PolicyDocument", "Statement");
    return Array.isArray(statement) ? (statement as unknown[]) : [];
  });
  return statements.filter((statement) => valueAt(statement, "Action") === "lambda:InvokeFunction");
};

const invokeResources = (template: Template): unknown[] =>
  invokeStatements(template).flatMap((statement) => {
    const resource = valueAt(statement, "Resource");
    return Array.isArray(resource) ? (resource as unknown[]) : [resource];
  });

/** The metrics of the processor-errors alarm: `{ Id, Expression?, MetricStat? }`. */
const alarmMetrics = (template: Template): unknown[] => {
  const metrics = valueAt(template.Resources["ProcessorErrorsAlarm"]?.Properties, "Metrics");
  return Array.isArray(metrics) ? metrics : [];
};

/** Each piece a stage needs: what it is called in a message, and whether the template has it. */
const pieces = (template: Template, stage: ProcessorStage): [string, boolean][] => {
  const names = stageNames(stage);
  const fn = template.Resources[names.functionId];
  const orchestrator = template.Resources[ORCHESTRATOR_NAMES.functionId];
  const logGroup = template.Resources[names.logGroupId];
  const metrics = alarmMetrics(template);
  const sum = metrics.map((metric) => valueAt(metric, "Expression")).find((expression) => expression !== undefined);
  return [
    [`its function: ${names.functionId} (${FUNCTION})`, fn?.Type === FUNCTION],
    [
      `its entry point: ${names.folder}/index.ts in ${names.functionId}'s Metadata.BuildProperties.EntryPoints`,
      JSON.stringify(valueAt(fn?.Metadata, "BuildProperties", "EntryPoints")) ===
        JSON.stringify([`${names.folder}/index.ts`]),
    ],
    [
      `its version pin: ${names.arnVariable}: !Ref ${names.functionId}.Version in ${ORCHESTRATOR_NAMES.functionId}'s Environment.Variables`,
      JSON.stringify(valueAt(orchestrator?.Properties, "Environment", "Variables", names.arnVariable)) ===
        JSON.stringify({ Ref: `${names.functionId}.Version` }),
    ],
    [
      `its invoke grant: !Sub "\${${names.functionId}.Arn}:*" in OrchestratorRole's lambda:InvokeFunction statement`,
      invokeResources(template).some(
        (resource) => JSON.stringify(resource) === JSON.stringify({ "Fn::Sub": `\${${names.functionId}.Arn}:*` }),
      ),
    ],
    [
      `its log group: ${names.logGroupId} (${LOG_GROUP}, DeletionPolicy: Delete)`,
      logGroup?.Type === LOG_GROUP && logGroup.DeletionPolicy === "Delete",
    ],
    [
      `its log group's use: ${names.functionId}'s LoggingConfig.LogGroup: !Ref ${names.logGroupId}`,
      JSON.stringify(valueAt(fn?.Properties, "LoggingConfig", "LogGroup")) ===
        JSON.stringify({ Ref: names.logGroupId }),
    ],
    [
      `its place in the processor alarm: a metric ${names.errorsMetricId} on ${names.functionId}'s Errors, in ProcessorErrorsAlarm's sum`,
      metrics.some(
        (metric) =>
          valueAt(metric, "Id") === names.errorsMetricId &&
          valueAt(metric, "MetricStat", "Metric", "MetricName") === "Errors" &&
          JSON.stringify(valueAt(metric, "MetricStat", "Metric", "Dimensions")) ===
            JSON.stringify([{ Name: "FunctionName", Value: { Ref: names.functionId } }]),
      ) &&
        typeof sum === "string" &&
        sum.split(/\s*\+\s*/).includes(names.errorsMetricId),
    ],
    [
      `its output: ${names.functionNameOutput}: !Ref ${names.functionId}`,
      JSON.stringify(template.Outputs[names.functionNameOutput]?.["Value"]) ===
        JSON.stringify({ Ref: names.functionId }),
    ],
  ];
};

/**
 * What template.yaml lacks for the chain: one line per missing piece, naming
 * the stage and the piece; and the functions, grants and alarm metrics it has
 * for no declared stage. Empty when the template matches the declaration.
 */
export const chainPiecesMissing = (template: Template): string[] => {
  const missing = PROCESSOR_STAGES.flatMap((stage) =>
    pieces(template, stage)
      .filter(([, present]) => !present)
      .map(([piece]) => `stage ${stage}: template.yaml lacks ${piece}`),
  );
  const declared = new Set<string>([
    ORCHESTRATOR_NAMES.functionId,
    ...PROCESSOR_STAGES.map((stage) => stageNames(stage).functionId),
  ]);
  const extraFunctions = Object.entries(template.Resources)
    .filter(([id, resource]) => resource.Type === FUNCTION && !declared.has(id))
    .map(([id]) => `template.yaml has a function ${id} for no stage in shared/chain.ts`);
  const granted = new Set(PROCESSOR_STAGES.map((stage) => `\${${stageNames(stage).functionId}.Arn}:*`));
  const extraGrants = invokeResources(template)
    .filter((resource) => !granted.has(String(valueAt(resource, "Fn::Sub"))))
    .map((resource) => `OrchestratorRole may invoke ${JSON.stringify(resource)}, which is no stage's function`);
  const metricIds = new Set<string>(PROCESSOR_STAGES.map((stage) => stageNames(stage).errorsMetricId));
  const extraMetrics = alarmMetrics(template)
    .filter((metric) => valueAt(metric, "MetricStat") !== undefined && !metricIds.has(String(valueAt(metric, "Id"))))
    .map((metric) => `ProcessorErrorsAlarm sums ${String(valueAt(metric, "Id"))}, which is no stage's metric`);
  return [...missing, ...extraFunctions, ...extraGrants, ...extraMetrics];
};
