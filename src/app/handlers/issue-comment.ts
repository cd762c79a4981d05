/**
 * `issue_comment` created in a migration's tracking issue: `/fleetwave pause | resume | retry <repo> |
 * approve | rollback | trial [n]`. Taken only in an issue the App opened and recorded as a migration's tracking
 * issue (the store's claim, src/store/port.ts MigrationClaim: same installation, repository and issue
 * number), for that migration — never for one named in the issue's text — and only from users with write
 * access to the manifest's repository (the issue's repository); everyone else gets a reply saying why.
 * Bots are not listened to. An approval journals the manifest's current hash and the approver's login.
 *
 * The delivery is answered once the command is checked (write access, the manifest still there), what
 * it decides is in the store (the pause, the approval, the retry: `record`) and the migration's
 * reconcile is queued; its reconciles, a rollback's reverts, a resume (which reconciles before it
 * decides) and the reply are carried out after the answer. A crash after the answer loses the reply,
 * not the command.
 */
import { repoOf } from '../../plan/workspaces.js';
import type { Context } from 'probot';
import { writeEvent, type EventBody } from '../../store/journal-events.js';
import type { ControlRecord } from '../../store/port.js';
import { parseCommand, type FleetwaveCommand } from '../commands.js';
import type { EventScope, FleetwaveApp } from '../fleetwave-app.js';
import { sameLogin } from '../../forge/github/pull-requests.js';
import { sourceLocation } from '../../rollout/identity.js';
import { renderTrialMarkdown } from '../../report/trial.js';

export async function onIssueComment(app: FleetwaveApp, context: Context<'issue_comment'>): Promise<void> {
  const p = context.payload;
  if (p.action !== 'created' || p.comment.user?.type === 'Bot' || p.issue.pull_request) return;
  const parsed = parseCommand(p.comment.body);
  if (!parsed) return;
  const scope = app.scope(context);
  if (!scope) return;
  const repo = p.repository.full_name;
  // Which migration: the store's record of the tracking issue the App opened for it, in this installation
  // and this repository; never the issue's text, which anyone who can open an issue can write.
  const claim = (await app.services.store.claims()).find(
    (c) => c.installation === scope.installationId && c.trackingIssue === p.issue.number && sourceLocation(c.source)?.repo === repo,
  );
  if (!claim || !sameLogin(p.issue.user?.login, (await app.botIdentity(scope)).login)) {
    scope.log.info({ repo, issue: p.issue.number }, 'a /fleetwave command in an issue that is no tracking issue of this App: ignored');
    return;
  }
  const path = sourceLocation(claim.source)!.path;
  const user = p.comment.user?.login ?? p.sender.login;
  const forge = await app.forge(scope);
  const reply = (body: string) => forge.comment(repo, p.issue.number, `@${user} ${body}`);

  if (!parsed.ok) return reply(parsed.error);
  if (!(await forge.hasWriteAccess(repo, user))) {
    return reply(`only people with write access to ${repo} can steer this migration; ask a maintainer of ${repo} to run the command.`);
  }
  const text = await forge.readFile(repo, path);
  if (text === null) return reply(`the manifest \`${path}\` is no longer on the default branch of ${repo}; nothing to do.`);
  // The manifest's hash, as a reconcile of this text computes it: every journalled command (an approval above all) is for this manifest.
  const loaded = app.services.parseManifest(text, path);
  if (loaded.manifest.metadata.name !== claim.migration) {
    return reply(`the manifest \`${path}\` no longer declares **${claim.migration}**; nothing to do.`);
  }
  const command = parsed.command;
  const target: Target = { repo, path, text, migration: claim.migration, manifestHash: loaded.hash };
  await record(app, target, command, user, p.issue.number);
  // A trial changes nothing a reconcile would act on: none is queued for it.
  if (command.kind !== 'trial') await app.request(scope, claim.migration, { repo, path });
  app.afterAnswer(scope, async () => reply(await runCommand(app, scope, target, command, user, p.issue.number)));
}

/** What a command decides, written to the store before the delivery is answered (a resume decides after a reconcile). */
async function record(app: FleetwaveApp, t: Target, command: FleetwaveCommand, user: string, issue: number): Promise<void> {
  const by = { by: user, issue };
  switch (command.kind) {
    case 'pause':
      await setControl(app, t.migration, { pausedBy: user, pausedReason: `paused by @${user} in #${issue}` });
      await journal(app, t, { target: null, action: 'pause', outcome: 'ok', detail: by });
      return;
    case 'retry':
      await journal(app, t, { target: command.repo, action: 'retry', outcome: 'ok', detail: by });
      return;
    case 'approve':
      await journal(app, t, { target: null, action: 'approve', outcome: 'ok', detail: { ...by, manifestHash: t.manifestHash } });
      return;
    case 'rollback':
      await setControl(app, t.migration, { pausedBy: user, pausedReason: `rollback requested by @${user} in #${issue}` });
      await journal(app, t, { target: null, action: 'rollback', outcome: 'ok', detail: by });
      return;
    case 'resume':
    case 'trial':
      return;
  }
}

interface Target {
  repo: string;
  path: string;
  text: string;
  migration: string;
  manifestHash: string;
}

/** Journals a command of the tracking issue, for the hash of the manifest it steers (the one an approval approves). */
async function journal(app: FleetwaveApp, t: Target, body: EventBody): Promise<void> {
  await writeEvent(
    app.services.store,
    { at: app.services.now().toISOString(), migration: t.migration, manifestHash: t.manifestHash },
    body,
  );
}

async function setControl(app: FleetwaveApp, migration: string, change: Partial<ControlRecord>): Promise<void> {
  const store = app.services.store;
  await store.setControl({ ...(await store.getControl(migration)), ...change, migration, updatedAt: app.services.now().toISOString() });
}

async function runCommand(
  app: FleetwaveApp,
  scope: EventScope,
  t: Target,
  command: FleetwaveCommand,
  user: string,
  issue: number,
): Promise<string> {
  const by = { by: user, issue };
  switch (command.kind) {
    case 'pause': {
      const s = await app.reconcile(scope, t.repo, t.path, t.text);
      return `paused **${t.migration}** (state: ${s.state}). \`/fleetwave resume\` goes on.`;
    }
    case 'resume': {
      const before = await app.reconcile(scope, t.repo, t.path, t.text);
      const failedWaves = before.waves.filter((w) => w.failed > 0).map((w) => w.index);
      const control = await app.services.store.getControl(t.migration);
      await setControl(app, t.migration, {
        pausedBy: null,
        pausedReason: null,
        acceptedWaves: [...new Set([...control.acceptedWaves, ...failedWaves])].sort((a, b) => a - b),
      });
      await journal(app, t, { target: null, action: 'resume', outcome: 'ok', detail: { ...by, acceptedWaves: failedWaves } });
      const s = await app.reconcile(scope, t.repo, t.path, t.text);
      return `resumed **${t.migration}**${failedWaves.length ? ` past the failures of wave${failedWaves.length > 1 ? 's' : ''} ${failedWaves.join(', ')}` : ''} (state: ${s.state}).`;
    }
    case 'retry': {
      const s = await app.reconcile(scope, t.repo, t.path, t.text);
      const target = s.targets.find((x) => x.repo === command.repo);
      if (!target) return `${command.repo} is not a target of **${t.migration}**.`;
      return `reconciled **${t.migration}**: ${command.repo} is ${target.state}${target.reason ? ` — ${target.reason}` : ''}.`;
    }
    case 'approve': {
      const s = await app.reconcile(scope, t.repo, t.path, t.text);
      return `recorded your approval of **${t.migration}** (state: ${s.state}).`;
    }
    case 'trial': {
      // Each target's change on fleetwave-trial/<migration>, its checks awaited (up to 30 min), the branches deleted.
      const report = await app.trial(scope, t.repo, t.path, t.text, command.sample !== undefined ? { sample: command.sample } : {});
      return renderTrialMarkdown(report);
    }
    case 'rollback': {
      const s = await app.reconcile(scope, t.repo, t.path, t.text);
      const forge = await app.forge(scope);
      const merged = s.targets.filter((x) => x.state === 'merged' && x.prNumber !== null);
      const done: string[] = [];
      const failed: string[] = [];
      for (const target of merged) {
        try {
          const r = await forge.revertPullRequest(
            repoOf(target.repo),
            target.prNumber!,
            `rollback of ${t.migration} requested by @${user} in ${t.repo}#${issue}`,
          );
          done.push(`${target.repo}${r.pr ? ` ([revert PR](${r.pr.url}))` : ''}`);
          await journal(app, t, { target: target.repo, action: 'revert', outcome: 'ok', detail: { ...by, sha: r.sha } });
        } catch (err) {
          failed.push(`${target.repo}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      const lines = [
        `paused **${t.migration}** and reverted ${done.length} of ${merged.length} merged target${merged.length === 1 ? '' : 's'}.`,
      ];
      if (done.length) lines.push('', ...done.map((d) => `- ${d}`));
      if (failed.length) lines.push('', 'Could not revert:', ...failed.map((f) => `- ${f}`));
      return lines.join('\n');
    }
  }
}
