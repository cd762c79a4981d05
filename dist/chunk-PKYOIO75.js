import { createRequire as __fwCreateRequire } from 'node:module';
import { dirname as __fwDirname } from 'node:path';
import { fileURLToPath as __fwFileURLToPath } from 'node:url';
const require = __fwCreateRequire(import.meta.url);
const __filename = __fwFileURLToPath(import.meta.url);
const __dirname = __fwDirname(__filename);
import {
  loadManifest,
  parseManifest
} from "./chunk-ZCZ24UWS.js";
import "./chunk-BYYG4EVF.js";
import "./chunk-VZFKD5XM.js";
export {
  loadManifest,
  parseManifest
};
