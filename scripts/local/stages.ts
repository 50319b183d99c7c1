/**
 * The processor stages' own code, found by the folder each stage has
 * (`functions/<stage>/`), so that the tools and tests need no list of stages:
 * esbuild bundles every file the import patterns below can match, and jest
 * resolves them as they are.
 */
import type { Handler } from "aws-lambda";
import { parsePayload, PROCESSOR_STAGES, stageInputName, stageNames, stageOutputName, stageRow } from "../../shared";
import type { PreparedPayload, ProcessorStage, WorkflowResult } from "../../shared";
import { prepare } from "../../functions/orchestrator/prepare";

/** Processor `stage`'s Lambda handler: `functions/<stage>/index.ts`'s `handler`. */
export const loadProcessorHandler = async (stage: ProcessorStage): Promise<Handler> => {
  const module = (await import(`../../functions/${stage}/index.ts`)) as { handler?: unknown };
  if (typeof module.handler !== "function") throw new Error(`functions/${stage}/index.ts exports no handler`);
  return module.handler as Handler;
};

/** Processor `stage`'s pure logic: the function `functions/<stage>/<stage>.ts` exports under the stage's name. */
export const loadStageLogic = async (stage: ProcessorStage): Promise<(input: unknown) => unknown> => {
  const { logic } = stageNames(stage);
  const module = (await import(`../../functions/${stage}/${stage}.ts`)) as Record<string, unknown>;
  const found = module[logic];
  if (typeof found !== "function") throw new Error(`functions/${stage}/${stage}.ts exports no function ${logic}`);
  return found as (input: unknown) => unknown;
};

/** The payloads of one pass through the stages: what `prepare` made, what each stage took and returned, the result. */
export interface StagesRun {
  prepared: PreparedPayload;
  inputs: Record<ProcessorStage, unknown>;
  outputs: Record<ProcessorStage, unknown>;
  result: WorkflowResult;
}

/**
 * What the chain computes for `event`, from the stages' own logic with no
 * durable runtime: `prepare` at `preparedAt`, then each stage in order, each
 * input and output checked against its row of the contract.
 */
export const runStagesInProcess = async (event: unknown, preparedAt: Date): Promise<StagesRun> => {
  const prepared = prepare(event, preparedAt);
  const inputs: Partial<Record<ProcessorStage, unknown>> = {};
  const outputs: Partial<Record<ProcessorStage, unknown>> = {};
  let payload: unknown = prepared;
  for (const stage of PROCESSOR_STAGES) {
    const logic = await loadStageLogic(stage);
    const input = parsePayload(stageRow(stage).input, payload, stageInputName(stage));
    inputs[stage] = input;
    payload = parsePayload(stageRow(stage).output, logic(input), stageOutputName(stage));
    outputs[stage] = payload;
  }
  return {
    prepared,
    inputs: inputs as Record<ProcessorStage, unknown>,
    outputs: outputs as Record<ProcessorStage, unknown>,
    result: { workflow: "completed", input: event, output: payload as WorkflowResult["output"] },
  };
};

/** The result every runner must return for `event`, when `prepare` ran at `preparedAt`. */
export const expectedResult = async (event: unknown, preparedAt: Date): Promise<WorkflowResult> =>
  (await runStagesInProcess(event, preparedAt)).result;
