import type { StageInput, StageOutput } from "../../shared";

/** Stage `finalize`: adds 5 to `value` and marks the payload `COMPLETED`. */
export const finalize = (input: StageInput<"finalize">): StageOutput<"finalize"> => ({
  ...input,
  value: input.value + 5,
  step3_completed: true,
  status: "COMPLETED",
});
