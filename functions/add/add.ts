import type { AddedPayload, PreparedPayload } from "../../shared";

/** Stage 1: adds 10 to `value` and marks the stage done. Pure, so a retry gives the same answer. */
export const add = (input: PreparedPayload): AddedPayload => ({
  ...input,
  value: input.value + 10,
  step1_completed: true,
});
