#!/usr/bin/env node
// The installed command: runs the compiled CLI (`npm run build` writes build/).
import { main } from '../build/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
