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
/** The project's folder in the serverless-patterns collection: this package's name. */
const FOLDER = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { name: string }).name;

/** The words of an intro: the collection asks for 300 to 500. */
const words = (paragraphs: readonly string[]) => paragraphs.join(" ").split(/\s+/).length;

/**
 * The collection's pattern model (_pattern-model/example-pattern.json) and the limits its schema check enforces
 * (scripts/pattern-schema.json): title and headline at most 75 characters, description 150, 1 to 5 resources.
 * No `authors`: there is no author to name, and the collection's check requires a name and a bio for each one listed.
 */
const ExamplePatternSchema = v.strictObject({
  title: v.pipe(v.string(), v.nonEmpty(), v.maxLength(75)),
  description: v.pipe(v.string(), v.nonEmpty(), v.maxLength(150)),
  language: v.literal("TypeScript"),
  level: v.picklist(["100", "200", "300", "400"]),
  framework: v.literal("AWS SAM"),
  introBox: v.object({
    headline: v.pipe(v.string(), v.maxLength(75)),
    text: v.pipe(
      TextBlockSchema.entries.text,
      v.check((text) => words(text) >= 300 && words(text) <= 500, "must be 300 to 500 words"),
    ),
  }),
  gitHub: v.strictObject({
    template: v.strictObject({
      repoURL: v.literal(`https://github.com/aws-samples/serverless-patterns/tree/main/${FOLDER}`),
      templateURL: v.literal(`serverless-patterns/${FOLDER}`),
      projectFolder: v.literal(FOLDER),
      templateFile: v.string(),
    }),
  }),
  resources: v.object({
    bullets: v.pipe(
      v.array(v.object({ text: v.string(), link: v.pipe(v.string(), v.url(), v.startsWith("https://")) })),
      v.minLength(1),
      v.maxLength(5),
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

  it("names the folder the README's deployment steps change to", () => {
    expect(readme).toContain(`cd serverless-patterns/${pattern().gitHub.template.projectFolder}`);
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
