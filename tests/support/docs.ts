/**
 * Reading the README and docs/ for the tests that keep them true: the fenced
 * blocks they show, and the transcripts among them (a block whose first line
 * is `$ <command>`, followed by what the command prints).
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./events";

/** README.md and every docs/*.md, as `[path, text]`. */
export const documents = (): [string, string][] => [
  ["README.md", readFileSync(path.join(ROOT, "README.md"), "utf8")],
  ...readdirSync(path.join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name): [string, string] => [`docs/${name}`, readFileSync(path.join(ROOT, "docs", name), "utf8")]),
];

/** The text of one of them, or of any other file in the repository. */
export const documentText = (file: string): string => readFileSync(path.join(ROOT, file), "utf8");

/** The first fenced block (of `language`) after `marker` in `file`. */
export const blockAfter = (file: string, marker: string, language = "text"): string => {
  const text = documentText(file);
  const start = text.indexOf(marker);
  const block = start < 0 ? null : new RegExp("```" + language + "\\n([\\s\\S]*?)```").exec(text.slice(start));
  if (!block?.[1]) throw new Error(`${file} has no ${language} block after "${marker}"`);
  return block[1];
};

/** Every transcript in `text`: the command after `$ `, and the output shown below it. */
export const transcriptsIn = (text: string): { command: string; shown: string }[] =>
  [...text.matchAll(/```text\n\$ ([^\n]*)\n([\s\S]*?)```/g)].map(([, command = "", shown = ""]) => ({
    command,
    shown,
  }));
