/**
 * Valid payloads of each schema of the chain, from the sample chain itself,
 * for tests that break one field of one: which stage returns a schema is read
 * from the declaration, so these tests name no stage.
 */
import { PROCESSOR_STAGES, stageRow, type PayloadSchema } from "../../shared";
import { runStagesInProcess } from "../../scripts/local/stages";
import { loadEvent } from "./events";

/** The sample chain's payload of `schema`: the prepared one, or the output of the stage that returns `schema`. */
export const samplePayload = async (schema: PayloadSchema): Promise<Record<string, unknown>> => {
  const { prepared, outputs } = await runStagesInProcess(loadEvent("orchestrator"), new Date(0));
  if (schema === stageRow(PROCESSOR_STAGES[0]).input) return { ...prepared };
  const stage = PROCESSOR_STAGES.find((candidate) => stageRow(candidate).output === schema);
  if (stage === undefined) throw new Error("no stage of the chain returns that schema");
  return { ...(outputs[stage] as Record<string, unknown>) };
};
