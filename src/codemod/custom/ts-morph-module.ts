/**
 * ts-morph as one module file the custom-codemod child process can import by URL. In the bundled
 * Action there is no node_modules: this file is bundled beside the worker (dist/ts-morph-module.js)
 * and the runner hands its URL to the child.
 */
import * as tsMorph from 'ts-morph';

export default tsMorph;
