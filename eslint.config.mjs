// One linter, configured here; formatting is Prettier's job (`npm run format`).
import eslint from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

/** Why the orchestrator's workflow code may not read time, randomness or the environment (the rules below). */
const REPLAY =
  "The orchestrator's body is replayed on every invocation and must do the same each time: read " +
  "time/randomness/environment inside context.step or at start-up in config.ts; wait with context.wait; do I/O " +
  "in a step or a processor.";

/** Node modules whose exports give time, randomness or timers: node:crypto, node:perf_hooks, node:timers(/promises). */
const REPLAY_UNSAFE_MODULES = String.raw`/^(node:)?(crypto|perf_hooks|timers)(\u002Fpromises)?$/`;

export default defineConfig(
  {
    ignores: [
      "node_modules/",
      ".tools/",
      ".aws-sam/",
      ".build/",
      "coverage/",
      "reports/",
      ".stryker-tmp/",
      ".jest-cache/",
    ],
  },
  {
    files: ["**/*.ts"],
    extends: [eslint.configs.recommended, tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true } },
    rules: {
      // Durable steps and Lambda handlers must return promises even when their body is synchronous.
      "@typescript-eslint/require-await": "off",
      // Numbers read naturally in messages (`received ${count}`); other non-strings do not.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      // `const { dropped, ...rest } = payload` is how a test removes a field.
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
    },
  },
  {
    // The orchestrator's workflow code is replayed from the start on every invocation, so anything that can
    // differ between runs would make a replay diverge from its checkpoints. Not prepare.ts (its body runs inside
    // the step) nor index.ts and config.ts (they run once, at start-up).
    files: ["functions/orchestrator/orchestrator.ts", "functions/orchestrator/invoke-stage.ts"],
    rules: {
      "no-restricted-globals": [
        "error",
        {
          checkGlobalObject: true,
          globals: ["Date", "crypto", "performance", "setTimeout", "setInterval", "setImmediate", "fetch"].map(
            (name) => ({ name, message: REPLAY }),
          ),
        },
      ],
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "random", message: REPLAY },
        { object: "process", property: "env", message: REPLAY },
      ],
      "no-restricted-syntax": [
        "error",
        ...["ImportDeclaration", "ImportExpression"].map((node) => ({
          selector: `${node}[source.value=${REPLAY_UNSAFE_MODULES}]`,
          message: `Importing crypto, perf_hooks or timers. ${REPLAY}`,
        })),
      ],
    },
  },
  {
    // Plain JavaScript run by Node itself (scripts/setup/check-node.mjs must run on any Node.js).
    files: ["**/*.mjs"],
    extends: [eslint.configs.recommended],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  {
    files: ["**/*.cjs"],
    extends: [eslint.configs.recommended],
    languageOptions: {
      sourceType: "commonjs",
      globals: { __filename: "readonly", __dirname: "readonly", process: "readonly" },
    },
  },
);
