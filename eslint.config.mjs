// One linter, configured here; formatting is Prettier's job (`npm run format`).
import eslint from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["node_modules/", ".tools/", ".aws-sam/", ".build/", "coverage/"] },
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
  { files: ["**/*.mjs"], extends: [eslint.configs.recommended] },
  {
    files: ["**/*.cjs"],
    extends: [eslint.configs.recommended],
    languageOptions: {
      sourceType: "commonjs",
      globals: { __filename: "readonly", __dirname: "readonly" },
    },
  },
);
