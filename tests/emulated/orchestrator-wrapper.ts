/**
 * The orchestrator of the wrapped build: the built orchestrator (`built.mjs`,
 * beside this file in the task root), whose process is killed for the
 * execution faults.ts names, as a crash or a Lambda timeout would end it: in
 * the invocation that starts the second stage (the first one's result is
 * checkpointed), after it has checkpointed and before it answers.
 */
import { PROCESSOR_STAGES } from "../../shared";
import { FAULTS } from "./faults";

const [FIRST] = PROCESSOR_STAGES;
const SECOND = PROCESSOR_STAGES.at(1);

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const built: unknown = Reflect.get((await import(new URL("./built.mjs", import.meta.url).href)) as object, "handler");
if (typeof built !== "function") throw new Error("built.mjs exports no handler");
const builtHandler = built as Handler;

interface Operation {
  Type?: string;
  Name?: string;
  Status?: string;
  ExecutionDetails?: { InputPayload?: string };
}

/** The operations the emulator sent this invocation, as Lambda sends them. */
const operationsOf = (event: unknown): Operation[] => {
  const state: unknown =
    typeof event === "object" && event !== null ? Reflect.get(event, "InitialExecutionState") : undefined;
  const operations: unknown = typeof state === "object" && state !== null ? Reflect.get(state, "Operations") : [];
  return Array.isArray(operations) ? (operations as Operation[]) : [];
};

/** The invocation that starts the second stage in the execution to interrupt: the first has succeeded, the second is not started. */
const isTheOneToKill = (operations: Operation[]): boolean => {
  const input = operations.find(({ Type }) => Type === "EXECUTION")?.ExecutionDetails?.InputPayload ?? "{}";
  const id: unknown = Reflect.get(JSON.parse(input) as object, "id");
  return (
    id === FAULTS.orchestratorKilledMidChain &&
    operations.some(({ Name, Status }) => Name === FIRST && Status === "SUCCEEDED") &&
    !operations.some(({ Name }) => Name === SECOND)
  );
};

export const handler = async (event: unknown, context: unknown): Promise<unknown> => {
  const killed = isTheOneToKill(operationsOf(event));
  const result = await builtHandler(event, context);
  if (killed) process.kill(process.pid, "SIGKILL");
  return result;
};
