export * from "./chain";
export * from "./errors";
export * from "./log-records";
export * from "./processor-handler";
export * from "./schemas";
export * from "./validate";
