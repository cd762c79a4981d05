/** Messages between the engine and the custom-codemod child process (over Node's IPC channel). */
export interface CustomJob {
  /** Absolute path of the transform module (inside the manifest repository). */
  modulePath: string;
  /** Absolute path of the manifest repository: the module may only load files below it. */
  rootDir: string;
  /** file:// URL of the ts-morph the engine uses, handed to the module. */
  tsMorphUrl: string;
  files: { path: string; text: string }[];
}

export type CustomResult = { ok: true; files: { path: string; text: string }[]; notes: string[] } | { ok: false; error: string };
