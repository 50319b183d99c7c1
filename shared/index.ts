export * from "./contract";
export * from "./errors";
export * from "./log-records";
export * from "./schemas";
export * from "./stages";
export * from "./validate";
