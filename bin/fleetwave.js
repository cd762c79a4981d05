#!/usr/bin/env node
// The installed command: runs the compiled CLI (`npm run build` writes build/). First, the TypeScript
// compiler the codemods use is set to load through its V8 code cache, when a command needs it
// (src/composition/compiler-code-cache.ts; FLEETWAVE_COMPILE_CACHE=0 turns it off).
import { installCompilerCodeCache } from '../build/src/composition/compiler-code-cache.js';

installCompilerCodeCache();
const { main } = await import('../build/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
