/**
 * The generated regions of a document: text between `<!-- generated: NAME -->`
 * and `<!-- end: NAME -->`, which `npm run regenerate` rewrites from what the
 * chain declares and does (blocks.ts). A region on lines of its own is a
 * block; one inside a line is inline text. Everything outside them is prose,
 * written by hand.
 */

const REGION = /<!-- generated: ([a-z0-9-]+) -->([\s\S]*?)<!-- end: ([a-z0-9-]+) -->/g;

/** One generated region: its name, and its text as the document has it now. */
export interface Region {
  name: string;
  text: string;
  /** On lines of its own (a block) rather than inside a line. */
  block: boolean;
}

/** Every generated region of `document`, in order; a region whose end names another region is an error. */
export const regionsOf = (document: string): Region[] =>
  [...document.matchAll(REGION)].map(([, name = "", inner = "", end = ""]) => {
    if (end !== name) throw new Error(`<!-- generated: ${name} --> is closed by <!-- end: ${end} -->`);
    const block = inner.startsWith("\n");
    return { name, text: block ? inner.slice(1, -1) : inner, block };
  });

/**
 * `document` with each region's text replaced by what `render` gives for its
 * name; for a block, the text is put on lines of its own between the markers.
 */
export const fillRegions = (document: string, render: (region: Region) => string): string =>
  document.replace(REGION, (_whole, name: string, inner: string) => {
    const block = inner.startsWith("\n");
    const text = render({ name, text: block ? inner.slice(1, -1) : inner, block });
    return `<!-- generated: ${name} -->${block ? `\n${text}\n` : text}<!-- end: ${name} -->`;
  });

/** The prose of `document`: its text with every generated region's content left out. */
export const proseOf = (document: string): string =>
  document.replace(REGION, (_whole, name: string) => `<!-- generated: ${name} --><!-- end: ${name} -->`);
