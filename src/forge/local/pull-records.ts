/**
 * The local forge's pull request records: one JSON file per repository, `{ nextNumber, pulls }`,
 * always written whole (temp file + rename), so a crash leaves the old file or the new one, never
 * half of one. Writers of one repository take turns inside the process (`withRepoLock`).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { StateError } from '../../util/errors.js';

const review = z.object({
  author: z.string(),
  state: z.enum(['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED']),
  submittedAt: z.string(),
  commitSha: z.string().optional(),
  body: z.string().optional(),
});

const comment = z.object({ author: z.string(), body: z.string(), createdAt: z.string() });

const pullRecord = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string(),
  branch: z.string(),
  baseBranch: z.string(),
  /** The head when opened; kept up to date while open, frozen when merged or closed. */
  headSha: z.string(),
  state: z.enum(['open', 'closed', 'merged']),
  createdAt: z.string(),
  updatedAt: z.string(),
  mergedAt: z.string().optional(),
  mergeSha: z.string().optional(),
  closedAt: z.string().optional(),
  closedBy: z.string().optional(),
  revertedAt: z.string().optional(),
  revertSha: z.string().optional(),
  revertReason: z.string().optional(),
  /** Opened as a draft (an agent's change). */
  draft: z.boolean().optional(),
  /** Reviews requested (`requestReviewers`): user logins and team slugs. */
  requestedReviewers: z.object({ users: z.array(z.string()), teams: z.array(z.string()) }).optional(),
  comments: z.array(comment),
  reviews: z.array(review),
});

const pullsFile = z.object({
  version: z.literal(1),
  nextNumber: z.number().int().positive(),
  pulls: z.array(pullRecord),
});

export type PullRecord = z.infer<typeof pullRecord>;
export type PullComment = z.infer<typeof comment>;
export type PullsFile = z.infer<typeof pullsFile>;

export function emptyPullsFile(): PullsFile {
  return { version: 1, nextNumber: 1, pulls: [] };
}

export async function readPulls(path: string): Promise<PullsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyPullsFile();
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new StateError(
      `${path}: not valid JSON (${(err as Error).message}); restore it from a backup or delete it to forget this repository's pull requests`,
      { cause: err },
    );
  }
  const parsed = pullsFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new StateError(
      `${path}: ${issue.path.join('.') || '(root)'}: ${issue.message}; the local forge's pull request records are damaged, restore or delete the file`,
    );
  }
  return parsed.data;
}

export async function writePulls(path: string, file: PullsFile): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`);
}
