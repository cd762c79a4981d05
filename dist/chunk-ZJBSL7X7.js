import { createRequire as __fwCreateRequire } from 'node:module';
import { dirname as __fwDirname } from 'node:path';
import { fileURLToPath as __fwFileURLToPath } from 'node:url';
const require = __fwCreateRequire(import.meta.url);
const __filename = __fwFileURLToPath(import.meta.url);
const __dirname = __fwDirname(__filename);

// src/util/atomic-write.ts
import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, basename } from "node:path";
function tempPathFor(path) {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}
async function writeFileAtomic(path, data) {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
function writeFileAtomicSync(path, data) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
function atomicTarget(path) {
  const tmp = tempPathFor(path);
  return {
    tmp,
    async commit() {
      await rename(tmp, path);
    },
    async abort() {
      await rm(tmp, { force: true });
    }
  };
}

export {
  writeFileAtomic,
  writeFileAtomicSync,
  atomicTarget
};
