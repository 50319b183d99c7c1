/**
 * What the Invoke host needs from `.aws-sam/build/template.yaml`: each
 * function's artifact, Handler, timeout, memory, log settings and environment,
 * and which one is durable. Values the template computes at deployment
 * (`!Ref AddFunction.Version`, a parameter) are resolved as they would be in
 * the emulator's one account and region, where every function has published
 * version 1 and its alias points to it.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import * as v from "valibot";
import { parse } from "yaml";
import { PROCESSOR_STAGES, stageNames } from "../../shared";
import { ALIAS_OUTPUT } from "../cloud/arguments";
import { SetupError } from "./errors";

/** Where the functions are deployed: the emulator's one region, and the documentation's example account. */
export interface Placement {
  region: string;
  account: string;
}

/** The ARN of function `name` at `placement`, qualified when `qualifier` is given. */
export const functionArn = (placement: Placement, name: string, qualifier?: string): string =>
  [`arn:aws:lambda:${placement.region}:${placement.account}:function:${name}`, ...(qualifier ? [qualifier] : [])].join(
    ":",
  );

/** The one version the host publishes of each function; the alias points to it. */
export const PUBLISHED_VERSION = "1";

/** A function as the host runs it. */
export interface HostedFunction {
  /** The template's logical id: the function's name on the host and in the emulator. */
  name: string;
  /** Whose records its log lines are, in the report's terms: `orchestrator`, or the processor's stage. */
  logSource: string;
  /** The folder `sam build` wrote the function's code to. */
  artifactDirectory: string;
  /** `index.handler`: the module, then the export. */
  handler: string;
  /** `nodejs24.x`. */
  runtime: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** `AutoPublishAlias`, if any. */
  alias: string | undefined;
  /** Lambda's LoggingConfig: `JSON` or `Text`, and the least severe level kept. */
  logFormat: string;
  logLevel: string;
  /** The template's variables, resolved. */
  environment: Record<string, string>;
  /** The durable function's DurableConfig; undefined for a plain function. */
  durable: { executionTimeoutSeconds: number; retentionPeriodInDays: number } | undefined;
}

export interface BuiltTemplate {
  functions: HostedFunction[];
  /** The ARN the template's `OrchestratorAliasArn` output names: what a caller invokes to start the chain. */
  entryArn: string;
}

const Section = v.optional(v.record(v.string(), v.unknown()), {});
const TemplateSchema = v.object({
  Parameters: v.optional(v.record(v.string(), v.object({ Default: v.optional(v.unknown()) })), {}),
  Globals: v.optional(v.object({ Function: Section }), {}),
  Resources: v.record(v.string(), v.object({ Type: v.string(), Properties: Section })),
  Outputs: v.optional(v.record(v.string(), v.object({ Value: v.unknown() })), {}),
});
type Template = v.InferOutput<typeof TemplateSchema>;

const FunctionSchema = v.object({
  CodeUri: v.string(),
  Handler: v.string(),
  Runtime: v.pipe(v.string(), v.startsWith("nodejs", "the host runs Node.js functions only")),
  Timeout: v.optional(v.unknown(), 3),
  MemorySize: v.optional(v.unknown(), 128),
  AutoPublishAlias: v.optional(v.unknown()),
  LoggingConfig: v.optional(v.record(v.string(), v.unknown()), {}),
  Environment: v.optional(v.object({ Variables: v.optional(v.record(v.string(), v.unknown()), {}) }), {}),
  DurableConfig: v.optional(v.object({ ExecutionTimeout: v.unknown(), RetentionPeriodInDays: v.unknown() })),
});

const SERVERLESS_FUNCTION = "AWS::Serverless::Function";

/** Resolves the template's values as CloudFormation would, in the emulator's account and region. */
class Resolver {
  constructor(
    private readonly template: Template,
    private readonly placement: Placement,
  ) {}

  private isFunction(id: string): boolean {
    return this.template.Resources[id]?.Type === SERVERLESS_FUNCTION;
  }

  functionArn(name: string, qualifier?: string): string {
    return functionArn(this.placement, name, qualifier);
  }

  /** A string, number or boolean as is; `Ref` and `Fn::GetAtt` of what the host knows; anything else refused. */
  resolve(value: unknown, where: string): string {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
    const ref = v.safeParse(v.object({ Ref: v.string() }), value);
    if (ref.success) return this.resolveRef(ref.output.Ref, where);
    const getAtt = v.safeParse(v.object({ "Fn::GetAtt": v.tuple([v.string(), v.literal("Arn")]) }), value);
    if (getAtt.success && this.isFunction(getAtt.output["Fn::GetAtt"][0])) {
      return this.functionArn(getAtt.output["Fn::GetAtt"][0]);
    }
    throw new SetupError(`${where}: the Invoke host cannot resolve ${JSON.stringify(value)}`);
  }

  private resolveRef(name: string, where: string): string {
    if (name === "AWS::Region") return this.placement.region;
    if (name === "AWS::AccountId") return this.placement.account;
    const parameter = this.template.Parameters[name];
    if (parameter?.Default !== undefined) return this.resolve(parameter.Default, `parameter ${name}`);
    // SAM's `!Ref <Function>.Version` and `!Ref <Function>.Alias`, and a function's own name.
    const [id = "", member] = name.split(".");
    if (this.isFunction(id) && member === "Version") return this.functionArn(id, PUBLISHED_VERSION);
    if (this.isFunction(id) && member === "Alias") return this.functionArn(id, this.aliasOf(id));
    if (this.isFunction(id) && member === undefined) return id;
    throw new SetupError(`${where}: the Invoke host cannot resolve Ref ${name}`);
  }

  private aliasOf(id: string): string {
    const alias =
      this.template.Resources[id]?.Properties.AutoPublishAlias ?? this.template.Globals.Function.AutoPublishAlias;
    if (alias === undefined) throw new SetupError(`${id} has no AutoPublishAlias, so its .Alias names nothing`);
    return this.resolve(alias, `${id} AutoPublishAlias`);
  }
}

const positive = (text: string, where: string): number => {
  const number = Number(text);
  if (!(number > 0)) throw new SetupError(`${where} must be a number above 0, not ${text}`);
  return number;
};

/**
 * Whose records a function's log lines are, as `npm start` names them: the
 * durable function is the orchestrator, a function whose version the
 * orchestrator's environment names for a stage is that processor, and any
 * other function is its own name.
 */
const logSources = (functions: readonly Pick<HostedFunction, "name" | "durable" | "environment">[]) => {
  const sources = new Map(functions.map(({ name }) => [name, name]));
  for (const orchestrator of functions.filter(({ durable }) => durable !== undefined)) {
    sources.set(orchestrator.name, "orchestrator");
    for (const stage of PROCESSOR_STAGES) {
      const target = orchestrator.environment[stageNames(stage).arnVariable]?.split(":")[6];
      if (target !== undefined && sources.has(target)) sources.set(target, stage);
    }
  }
  return sources;
};

/**
 * Reads `<buildDirectory>/template.yaml`, the template `sam build` wrote (with
 * every intrinsic function in its long form), into the functions to host.
 */
export const readBuiltTemplate = (buildDirectory: string, placement: Placement): BuiltTemplate => {
  const file = path.join(buildDirectory, "template.yaml");
  if (!existsSync(file)) throw new SetupError(`no ${file}: run \`sam build\` first`);
  const parsed = v.safeParse(TemplateSchema, parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new SetupError(`${file} is not a SAM template: ${v.summarize(parsed.issues)}`);
  const template = parsed.output;
  const resolver = new Resolver(template, placement);

  const read = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === SERVERLESS_FUNCTION)
    .map(([name, resource]) => {
      const properties = v.safeParse(FunctionSchema, {
        ...template.Globals.Function,
        ...resource.Properties,
        // Globals' maps are merged into the function's, as SAM does.
        LoggingConfig: {
          ...(template.Globals.Function.LoggingConfig ?? {}),
          ...(resource.Properties.LoggingConfig ?? {}),
        },
      });
      if (!properties.success) throw new SetupError(`${name}: ${v.summarize(properties.issues)}`);
      const { CodeUri, Handler, Runtime, Timeout, MemorySize, AutoPublishAlias, LoggingConfig, Environment } =
        properties.output;
      const { DurableConfig } = properties.output;
      const artifactDirectory = path.resolve(buildDirectory, CodeUri);
      if (!existsSync(artifactDirectory)) throw new SetupError(`${name}: no ${artifactDirectory}: run \`sam build\``);
      const environment = Object.fromEntries(
        Object.entries(Environment.Variables).map(([variable, value]) => [
          variable,
          resolver.resolve(value, `${name}'s environment variable ${variable}`),
        ]),
      );
      return {
        name,
        artifactDirectory,
        handler: Handler,
        runtime: Runtime,
        timeoutSeconds: positive(resolver.resolve(Timeout, `${name} Timeout`), `${name} Timeout`),
        memoryMb: positive(resolver.resolve(MemorySize, `${name} MemorySize`), `${name} MemorySize`),
        alias:
          AutoPublishAlias === undefined ? undefined : resolver.resolve(AutoPublishAlias, `${name} AutoPublishAlias`),
        logFormat: resolver.resolve(LoggingConfig.LogFormat ?? "Text", `${name} LogFormat`),
        logLevel: resolver.resolve(LoggingConfig.ApplicationLogLevel ?? "INFO", `${name} ApplicationLogLevel`),
        environment,
        durable:
          DurableConfig === undefined
            ? undefined
            : {
                executionTimeoutSeconds: positive(
                  resolver.resolve(DurableConfig.ExecutionTimeout, `${name} ExecutionTimeout`),
                  `${name} DurableConfig.ExecutionTimeout`,
                ),
                retentionPeriodInDays: positive(
                  resolver.resolve(DurableConfig.RetentionPeriodInDays, `${name} RetentionPeriodInDays`),
                  `${name} DurableConfig.RetentionPeriodInDays`,
                ),
              },
      };
    });

  const sources = logSources(read);
  const functions = read.map((fn) => ({ ...fn, logSource: sources.get(fn.name) ?? fn.name }));
  const entry = template.Outputs[ALIAS_OUTPUT];
  if (entry === undefined) throw new SetupError(`${file} has no ${ALIAS_OUTPUT} output: is it this pattern's build?`);
  return { functions, entryArn: resolver.resolve(entry.Value, `output ${ALIAS_OUTPUT}`) };
};
