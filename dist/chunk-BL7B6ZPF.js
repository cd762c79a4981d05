import { createRequire as __fwCreateRequire } from 'node:module';
import { dirname as __fwDirname } from 'node:path';
import { fileURLToPath as __fwFileURLToPath } from 'node:url';
const require = __fwCreateRequire(import.meta.url);
const __filename = __fwFileURLToPath(import.meta.url);
const __dirname = __fwDirname(__filename);
import {
  loadManifest,
  parseManifest
} from "./chunk-Y5Y236LS.js";
import "./chunk-2D776WV5.js";
import "./chunk-EBGSD6R6.js";
import "./chunk-OWQR4BEP.js";
import "./chunk-6L7NLG3T.js";
export {
  loadManifest,
  parseManifest
};
