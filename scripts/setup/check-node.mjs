// Runs before `npm start` and `npm test` (their `pre` scripts): on a Node.js older than package.json's
// `engines` allows, stop with one line that says which version is needed, instead of failing later with
// an error that does not say why. Plain JavaScript, so that any Node.js can run it.
import { readFileSync } from "node:fs";

const { engines } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
const needed = Number(/^>=(\d+)$/.exec(engines.node)?.[1]);
const running = Number(process.versions.node.split(".")[0]);

if (!Number.isInteger(needed)) {
  console.error(`check-node: package.json engines.node must read ">=<major>", not ${JSON.stringify(engines.node)}`);
  process.exit(1);
}
if (running < needed) {
  console.error(
    `This project needs Node.js ${needed} or newer (24, the Lambda runtime's, is recommended); this is Node.js ${process.version}.`,
  );
  process.exit(1);
}
