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
} from "./chunk-SRJI3YQI.js";
import {
  FleetwaveError
} from "./chunk-VZFKD5XM.js";

// src/action/modes/index.ts
var MODES = {
  convert: async (io) => (await import("./chunk-Y3QBIURM.js")).convertMode(io),
  verify: async (io) => (await import("./chunk-IKWIL4IQ.js")).verifyMode(io),
  validate: async (io) => (await import("./chunk-EUR3YF54.js")).validateMode(io),
  reconcile: async (io) => (await import("./chunk-ONIMQMF2.js")).reconcileMode(io),
  codemod: async (io) => (await import("./chunk-FY7RKLEB.js")).codemodMode(io)
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
