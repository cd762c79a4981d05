import { createRequire as __fwCreateRequire } from 'node:module';
import { dirname as __fwDirname } from 'node:path';
import { fileURLToPath as __fwFileURLToPath } from 'node:url';
const require = __fwCreateRequire(import.meta.url);
const __filename = __fwFileURLToPath(import.meta.url);
const __dirname = __fwDirname(__filename);

// src/util/errors.ts
var FleetwaveError = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = new.target.name;
  }
};
var InputError = class extends FleetwaveError {
  kind = "input";
};
var ValidationError = class extends InputError {
  constructor(problems) {
    super(problems.map(formatProblem).join("\n"));
    this.problems = problems;
  }
  problems;
};
function formatProblem(p) {
  return `${p.file}:${p.line}:${p.col}: ${p.message}`;
}
var DataError = class extends FleetwaveError {
  kind = "data";
};
var ForgeError = class extends FleetwaveError {
  constructor(message, transient, options) {
    super(message, options);
    this.transient = transient;
  }
  transient;
  kind = "forge";
};
var StateError = class extends FleetwaveError {
  kind = "state";
};

export {
  FleetwaveError,
  InputError,
  ValidationError,
  DataError,
  ForgeError,
  StateError
};
