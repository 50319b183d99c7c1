/**
 * Reads template.yaml the way CloudFormation does: short-form intrinsic
 * functions (`!Ref`, `!GetAtt`, `!Sub`, ...) become their long JSON form
 * (`{ Ref: ... }`, `{ "Fn::GetAtt": [...] }`, ...), so that the tools and the
 * tests read plain data, and a setting the template states is not stated again.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { parse, type Tags } from "yaml";

/** Short tags whose long form is `Fn::<Name>`; `!Ref` and `!Condition` keep their own names. */
const FN_TAGS = [
  "And",
  "Base64",
  "Cidr",
  "Equals",
  "FindInMap",
  "GetAZs",
  "GetAtt",
  "If",
  "ImportValue",
  "Join",
  "Length",
  "Not",
  "Or",
  "Select",
  "Split",
  "Sub",
  "ToJsonString",
  "Transform",
] as const;

/**
 * `!GetAtt Resource.Attribute` is the scalar form of `[Resource, Attribute]`.
 * CloudFormation splits at the first dot: the attribute may hold dots itself.
 */
const splitGetAtt = (value: string): string[] => {
  const dot = value.indexOf(".");
  return dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
};

/** One YAML tag in each of its three forms (scalar, sequence, mapping), all read as `{ [key]: value }`. */
const intrinsicTags = (name: string, key: string, readScalar: (value: string) => unknown): Tags => {
  const readCollection = (collection: { toJSON(): unknown }) => ({ [key]: collection.toJSON() });
  return [
    { tag: `!${name}`, resolve: (value: string) => ({ [key]: readScalar(value) }) },
    { tag: `!${name}`, collection: "seq", resolve: readCollection },
    { tag: `!${name}`, collection: "map", resolve: readCollection },
  ];
};

const CLOUDFORMATION_TAGS: Tags = [
  ...intrinsicTags("Ref", "Ref", (value) => value),
  ...intrinsicTags("Condition", "Condition", (value) => value),
  ...FN_TAGS.flatMap((name) =>
    intrinsicTags(name, `Fn::${name}`, name === "GetAtt" ? splitGetAtt : (value: string) => value),
  ),
];

const sectionSchema = v.record(v.string(), v.record(v.string(), v.unknown()));

/** The parts of a template the tests read; other keys are dropped. */
const templateSchema = v.object({
  Parameters: v.optional(sectionSchema, {}),
  Globals: v.optional(sectionSchema, {}),
  Resources: v.record(
    v.string(),
    v.object({
      Type: v.string(),
      Properties: v.optional(v.record(v.string(), v.unknown()), {}),
      Metadata: v.optional(v.record(v.string(), v.unknown()), {}),
      Condition: v.optional(v.string()),
      DeletionPolicy: v.optional(v.string()),
      UpdateReplacePolicy: v.optional(v.string()),
    }),
  ),
  Outputs: v.optional(sectionSchema, {}),
});

/** A parsed template, intrinsic functions in their long form. */
export type Template = v.InferOutput<typeof templateSchema>;

/** One entry of the template's `Resources`. */
export type Resource = Template["Resources"][string];

/** Parses template text; fails if it is not a template with `Resources`. */
export const parseTemplate = (text: string): Template =>
  v.parse(templateSchema, parse(text, { customTags: CLOUDFORMATION_TAGS }));

/** Parses the repository's template.yaml; `root` is the repository, where npm runs the tools. */
export const loadTemplate = (root: string = process.cwd()): Template =>
  parseTemplate(readFileSync(join(root, "template.yaml"), "utf8"));

/** The processors' Lambda timeout, in seconds: `Globals.Function.Timeout`. */
export const processorTimeoutSeconds = (template: Template = loadTemplate()): number =>
  v.parse(v.number(), valueAt(template.Globals, "Function", "Timeout"));

/** The template's resources of one type, as `[logicalId, resource]` pairs in template order. */
export const resourcesOfType = (template: Template, type: string): [string, Resource][] =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

/** The resource with logical id `id`; fails, naming it, if the template has none. */
export const resourceById = (template: Template, id: string): Resource => {
  const resource = template.Resources[id];
  if (!resource) throw new Error(`template.yaml has no resource ${id}`);
  return resource;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The value at `path` below `value`, or `undefined` as soon as a step is not a
 * mapping or lacks the key.
 *
 * @example
 * ```ts
 * valueAt(resource.Properties, "Environment", "Variables", "ADD_FUNCTION_ARN");
 * ```
 */
export const valueAt = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), value);
