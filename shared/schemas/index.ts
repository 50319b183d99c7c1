/**
 * The chain's payloads, each declared once as a schema: every TypeScript type
 * is inferred from its schema, so the compiler and the run-time checks cannot
 * drift apart. Each payload extends the one before it, so a field added to the
 * prepared payload reaches every later one. One file per payload lets a bundle
 * keep only the ones it uses.
 */
export { LIMITS, UNKNOWN_KEY } from "./fields";
export * from "./orchestrator-input";
export * from "./prepared-payload";
export * from "./added-payload";
export * from "./transformed-payload";
export * from "./finalized-payload";
