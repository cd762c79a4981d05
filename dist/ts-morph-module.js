import { createRequire as __fwCreateRequire } from 'node:module';
import { dirname as __fwDirname } from 'node:path';
import { fileURLToPath as __fwFileURLToPath } from 'node:url';
const require = __fwCreateRequire(import.meta.url);
const __filename = __fwFileURLToPath(import.meta.url);
const __dirname = __fwDirname(__filename);
import {
  require_ts_morph
} from "./chunk-2D776WV5.js";
import {
  __toESM
} from "./chunk-6L7NLG3T.js";

// src/codemod/custom/ts-morph-module.ts
var tsMorph = __toESM(require_ts_morph(), 1);
var ts_morph_module_default = tsMorph;
export {
  ts_morph_module_default as default
};
