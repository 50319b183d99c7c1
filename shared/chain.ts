import * as v from "valibot";
import { AddedPayloadSchema, FinalizedPayloadSchema, PreparedPayloadSchema, TransformedPayloadSchema } from "./schemas";
import { constantField, payload } from "./schemas/fields";
import type { PayloadSchema } from "./validate";

/**
 * THE CHAIN, declared once: the processor stages in the order the orchestrator
 * invokes them, and the schema of what each takes and returns. Everything that
 * names a stage or counts stages (the template's logical ids, the environment
 * variables, the events, the tools, the tests and the docs) is derived from
 * these two declarations; docs/adapting.md walks through changing them.
 *
 * The names are durable operation names as well: the orchestrator passes them
 * to `context.step` and `context.invoke`, and a replay matches operations to
 * the checkpointed history by name. Renaming one changes the checkpoint keys of
 * the executions that run on the new code (docs/adapting.md says when that is safe).
 */

/** The step that validates and prepares the event: the first operation of every execution. */
export const PREPARE_STEP = "prepare";

/**
 * The processor stages, in chain order. Each is a Lambda function of its own
 * (`functions/<stage>/`), invoked under its stage's name. A name is lower-case
 * words joined by `-`, so that every spelling below can be derived from it.
 */
export const PROCESSOR_STAGES = ["add", "transform", "finalize"] as const;

/** A processor stage: a Lambda function that the orchestrator invokes. */
export type ProcessorStage = (typeof PROCESSOR_STAGES)[number];

/** One row of {@link STAGE_CONTRACT}. */
export interface StageRow {
  readonly input: PayloadSchema;
  readonly output: PayloadSchema;
}

/**
 * What each processor takes and returns. Each stage's input is the schema the
 * stage before it returns (the `prepare` step's, for the first), which a unit
 * test checks; the compiler ties each processor's logic and the orchestrator's
 * call to it to its row.
 */
export const STAGE_CONTRACT = {
  add: { input: PreparedPayloadSchema, output: AddedPayloadSchema },
  transform: { input: AddedPayloadSchema, output: TransformedPayloadSchema },
  finalize: { input: TransformedPayloadSchema, output: FinalizedPayloadSchema },
} as const satisfies { readonly [S in ProcessorStage]: StageRow };

type Contract = typeof STAGE_CONTRACT;

/** The rows by stage, for lookups by a stage's name; `Partial` so that a missing row is reported once, above. */
const ROWS: Readonly<Partial<Record<ProcessorStage, StageRow>>> = STAGE_CONTRACT;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- only while a row is missing (see RowOf)
type LooseSchema = v.GenericSchema<any, any> & { readonly entries: v.ObjectEntries };

/**
 * The row of stage `S`. A stage listed in {@link PROCESSOR_STAGES} without a row
 * gets a loose one here, so that the compiler reports the one missing row, at
 * `STAGE_CONTRACT`, instead of every place the stage is used.
 */
type RowOf<S extends ProcessorStage> = S extends keyof Contract
  ? Contract[S]
  : { readonly input: LooseSchema; readonly output: LooseSchema };

/** The schema of processor stage `S`'s input. */
export type StageInputSchema<S extends ProcessorStage> = RowOf<S>["input"];

/** The payload that processor stage `S` accepts. */
export type StageInput<S extends ProcessorStage> = v.InferOutput<RowOf<S>["input"]>;

/** The payload that processor stage `S` returns. */
export type StageOutput<S extends ProcessorStage> = v.InferOutput<RowOf<S>["output"]>;

/** Stage `S`'s row of {@link STAGE_CONTRACT}. */
export const stageRow = <S extends ProcessorStage>(stage: S): RowOf<S> => ROWS[stage] as RowOf<S>;

/** The last stage: its output is the chain's output. */
type LastStage = typeof PROCESSOR_STAGES extends readonly [...unknown[], infer Last extends ProcessorStage]
  ? Last
  : never;

/** The last processor stage, whose output the orchestrator returns. */
export const LAST_STAGE = PROCESSOR_STAGES[PROCESSOR_STAGES.length - 1] as LastStage;

/**
 * What the orchestrator returns: the last stage's output, and the caller's
 * event echoed exactly as received (so `name` is not trimmed there). The event
 * passed `prepare`'s validation, but it is the caller's data, so it is typed
 * as `unknown` rather than re-parsed.
 */
export const WorkflowResultSchema = payload({
  workflow: constantField("completed"),
  input: v.unknown(),
  output: stageRow(LAST_STAGE).output,
});

export type WorkflowResult = v.InferOutput<typeof WorkflowResultSchema>;

/** Whether `name` is one of the processor stages. */
export const isProcessorStage = (name: string | undefined): name is ProcessorStage =>
  (PROCESSOR_STAGES as readonly (string | undefined)[]).includes(name);

/**
 * A record with one entry per processor stage, in chain order.
 *
 * @example
 * ```ts
 * const calls = perStage(() => 0); // { add: 0, transform: 0, finalize: 0 }
 * ```
 */
export const perStage = <T>(entry: (stage: ProcessorStage) => T): Record<ProcessorStage, T> =>
  Object.fromEntries(PROCESSOR_STAGES.map((stage) => [stage, entry(stage)])) as Record<ProcessorStage, T>;

const words = (stage: string): string[] => stage.split("-");
const capitalised = (word: string): string => `${word.charAt(0).toUpperCase()}${word.slice(1)}`;

/** `sales-tax` -> `SalesTax`. */
const pascalCase = (stage: string): string => words(stage).map(capitalised).join("");

/**
 * Every name a processor stage goes by outside its own code, derived from the
 * stage's name (shown for `add`). template.yaml spells them out; a unit test
 * holds it to these.
 */
export const stageNames = (stage: ProcessorStage) => {
  const pascal = pascalCase(stage);
  const camel = `${pascal.charAt(0).toLowerCase()}${pascal.slice(1)}`;
  return {
    /** `add`: the name of the stage's logic, exported by `functions/add/add.ts`. */
    logic: camel,
    /** `AddFunction`: the function's logical id in template.yaml, and its id in the local runners. */
    functionId: `${pascal}Function`,
    /** `AddLogGroup`: its log group's logical id. */
    logGroupId: `${pascal}LogGroup`,
    /** `AddFunctionName`: the stack output that names the function. */
    functionNameOutput: `${pascal}FunctionName`,
    /** `addErrors`: its metric's id in the processor-errors alarm. */
    errorsMetricId: `${camel}Errors`,
    /** `ADD_FUNCTION_ARN`: the orchestrator's environment variable that holds the ARN to invoke. */
    arnVariable: `${words(stage).join("_").toUpperCase()}_FUNCTION_ARN`,
    /** `functions/add`: the folder of its handler (`index.ts`) and its logic (`add.ts`). */
    folder: `functions/${stage}`,
    /** `events/add.json`: the event it receives in the sample chain, for `sam local invoke` (npm run regenerate writes it). */
    event: `events/${stage}.json`,
  } as const;
};

/** The orchestrator's names, as {@link stageNames} gives a stage's. */
export const ORCHESTRATOR_NAMES = {
  functionId: "OrchestratorFunction",
  logGroupId: "OrchestratorLogGroup",
  /** The stack output to invoke: the `live` alias (a durable function cannot be invoked unqualified). */
  aliasOutput: "OrchestratorAliasArn",
  functionNameOutput: "OrchestratorFunctionName",
  folder: "functions/orchestrator",
  /** The sample event, and the one the tools run by default. */
  event: "events/orchestrator.json",
  /** The sample of invalid input: refused by `prepare`, no processor invoked. */
  invalidEvent: "events/orchestrator-invalid.json",
  /**
   * What `sam local invoke --env-vars` gives the orchestrator: each processor's ARN variable naming the function
   * `sam local start-lambda` serves (`!Ref AddFunction.Version` means nothing under `sam local`). npm run regenerate writes it.
   */
  samLocalEnvVars: "events/sam-local-env-vars.json",
} as const;

/**
 * What one execution costs when nothing fails: the `prepare` step, then one
 * invoke per stage. Each invoke suspends the orchestrator until its processor
 * returns, so the orchestrator runs once more than there are stages.
 */
export const SUCCESSFUL_EXECUTION = {
  operations: 1 + PROCESSOR_STAGES.length,
  orchestratorInvocations: PROCESSOR_STAGES.length + 1,
  processorCallsPerStage: 1,
} as const;

/**
 * The durable wait after the `failedAttempt`th failed invocation of processor
 * `stage`, before the next: `add-backoff-1`. The durable SDK's `withRetry`
 * names its waits so (a unit test holds it to that); each attempt's invoke
 * keeps the stage's own name.
 */
export const retryBackoffName = (stage: ProcessorStage, failedAttempt: number): string =>
  `${stage}-backoff-${failedAttempt}`;
