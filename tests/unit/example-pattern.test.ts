/**
 * example-pattern.json describes this pattern for the serverless-patterns
 * collection. It must have that format's fields and say what the README says.
 */
import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import path from "node:path";
import * as v from "valibot";
import { ROOT } from "../support/events";

const TextBlockSchema = v.object({ text: v.pipe(v.array(v.pipe(v.string(), v.nonEmpty())), v.minLength(1)) });
const ExamplePatternSchema = v.strictObject({
  title: v.pipe(v.string(), v.nonEmpty()),
  description: v.pipe(v.string(), v.nonEmpty(), v.maxLength(300)),
  language: v.literal("TypeScript"),
  level: v.picklist(["100", "200", "300", "400"]),
  framework: v.literal("AWS SAM"),
  introBox: v.object({ headline: v.string(), text: TextBlockSchema.entries.text }),
  gitHub: v.object({ template: v.object({ templateFile: v.string() }) }),
  resources: v.object({
    bullets: v.pipe(
      v.array(v.object({ text: v.string(), link: v.pipe(v.string(), v.url(), v.startsWith("https://")) })),
      v.minLength(1),
    ),
  }),
  deploy: TextBlockSchema,
  testing: TextBlockSchema,
  cleanup: TextBlockSchema,
});

const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
const raw: unknown = JSON.parse(readFileSync(path.join(ROOT, "example-pattern.json"), "utf8"));
const parsed = v.safeParse(ExamplePatternSchema, raw);
/** The parsed file; when it does not parse, the first test says why and the others fail here. */
const pattern = () => {
  if (!parsed.success) throw new Error("example-pattern.json does not match its schema: see the first test");
  return parsed.output;
};
/** The commands a text line shows, in `<code>` or as the whole line. */
const commandsIn = (lines: readonly string[]) =>
  lines
    .flatMap((line) => [...line.matchAll(/<code>(.*?)<\/code>/g)].map((match) => match[1] ?? ""))
    .concat(lines.filter((line) => !line.includes(" ") || /^(sam|npm|aws) /.test(line)));

describe("example-pattern.json", () => {
  it("has the serverless-patterns fields, and nothing else", () => {
    expect(parsed.issues?.map((issue) => `${v.getDotPath(issue) ?? "(file)"}: ${issue.message}`)).toBeUndefined();
  });

  it("has the README's title", () => {
    expect(readme.split("\n")[0]).toBe(`# ${pattern().title}`);
  });

  it("points at the template that exists", () => {
    expect(readFileSync(path.join(ROOT, pattern().gitHub.template.templateFile), "utf8")).toContain(
      "AWS::Serverless-2016-10-31",
    );
  });

  it("gives only deploy, testing and cleanup commands that the README gives too", () => {
    const commands = commandsIn([...pattern().deploy.text, ...pattern().testing.text, ...pattern().cleanup.text]);

    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const command of commands) expect(readme).toContain(command);
  });
});
