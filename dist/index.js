import { createRequire as __fwCreateRequire } from 'node:module';
import { dirname as __fwDirname } from 'node:path';
import { fileURLToPath as __fwFileURLToPath } from 'node:url';
const require = __fwCreateRequire(import.meta.url);
const __filename = __fwFileURLToPath(import.meta.url);
const __dirname = __fwDirname(__filename);
import {
  coreIO,
  info,
  setFailed
} from "./chunk-JEG7EJH7.js";
import {
  FleetwaveError
} from "./chunk-OWQR4BEP.js";
import "./chunk-6L7NLG3T.js";

// src/action/modes/index.ts
var MODES = {
  convert: async (io) => (await import("./chunk-M3GESHGA.js")).convertMode(io),
  verify: async (io) => (await import("./chunk-PJQYYXKF.js")).verifyMode(io),
  validate: async (io) => (await import("./chunk-6A6XJPGV.js")).validateMode(io),
  reconcile: async (io) => (await import("./chunk-EYMJFEGQ.js")).reconcileMode(io),
  codemod: async (io) => (await import("./chunk-WHQ3OU3Z.js")).codemodMode(io)
};

// src/action/main.ts
async function main() {
  const io = coreIO();
  const mode = io.input("mode");
  const run = Object.hasOwn(MODES, mode) ? MODES[mode] : void 0;
  if (!run) {
    setFailed(`input \`mode\`: "${mode}" is not one of ${Object.keys(MODES).join(", ")}`);
    return;
  }
  try {
    const outcome = await run(io);
    if (outcome.failed) setFailed(outcome.failed);
  } catch (err) {
    if (!(err instanceof FleetwaveError) && err instanceof Error && err.stack) info(err.stack);
    setFailed(err instanceof Error ? err.message : String(err));
  }
}
await main();
