import { createRequire as __fwCreateRequire } from 'node:module';
import { dirname as __fwDirname } from 'node:path';
import { fileURLToPath as __fwFileURLToPath } from 'node:url';
const require = __fwCreateRequire(import.meta.url);
const __filename = __fwFileURLToPath(import.meta.url);
const __dirname = __fwDirname(__filename);
import {
  InputError
} from "./chunk-OWQR4BEP.js";

// src/util/repo-dir.ts
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
function manifestRepoDir(manifestPath, explicit) {
  if (explicit) return resolve(explicit);
  const dir = dirname(resolve(manifestPath));
  try {
    return execFileSync("git", ["-C", dir, "rev-parse", "--show-toplevel"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return dir;
  }
}
function checkRepoDir(repoDir) {
  const abs = resolve(repoDir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new InputError(`${repoDir}: no such folder; give the consumer repository's checkout`);
  return abs;
}

export {
  manifestRepoDir,
  checkRepoDir
};
