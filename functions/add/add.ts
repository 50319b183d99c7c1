import type { StageInput, StageOutput } from "../../shared";

/** Stage `add`: adds 10 to `value` and marks the stage done. Pure, so a retry gives the same answer. */
export const add = (input: StageInput<"add">): StageOutput<"add"> => ({
  ...input,
  value: input.value + 10,
  step1_completed: true,
});
