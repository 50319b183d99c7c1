/**
 * The names of the chain's durable operations.
 *
 * They are checkpoint keys as well as labels: the orchestrator passes them to
 * `context.step` and `context.invoke`, and a replay matches its operations to
 * the checkpointed history by these names. Renaming one breaks the replay of
 * executions that are in flight, so treat them as part of the contract.
 */
/** The step that validates and prepares the event: the first operation of every execution. */
export const PREPARE_STEP = "prepare";

/** The three processor stages, each a separate Lambda function invoked under its stage name. */
export const PROCESSOR_STAGES = ["add", "transform", "finalize"] as const;

/** A processor stage: a Lambda function that the orchestrator invokes. */
export type ProcessorStage = (typeof PROCESSOR_STAGES)[number];

/** Whether `name` is one of the processor stages. */
export const isProcessorStage = (name: string | undefined): name is ProcessorStage =>
  (PROCESSOR_STAGES as readonly (string | undefined)[]).includes(name);

/**
 * The durable wait before processor `stage` is invoked for the `attempt`th time
 * (2 or more) after a transient failure: `add-wait-2`. Each attempt's invoke
 * keeps the stage's own name.
 */
export const retryWaitName = (stage: ProcessorStage, attempt: number): string => `${stage}-wait-${attempt}`;
