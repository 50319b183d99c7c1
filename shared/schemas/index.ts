/**
 * The chain's payload contract, declared once: one schema per payload, each
 * stage's input being the previous stage's output. Every TypeScript type is
 * inferred from its schema, so the compiler and the run-time checks cannot
 * drift apart. One file per payload lets a bundle keep only the ones it uses.
 */
export { LIMITS, UNKNOWN_KEY, VALUE_BOUNDS } from "./fields";
export * from "./orchestrator-input";
export * from "./prepared-payload";
export * from "./added-payload";
export * from "./transformed-payload";
export * from "./finalized-payload";
export * from "./workflow-result";
