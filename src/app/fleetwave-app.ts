/**
 * What every handler shares: a forge for the event's installation, the bot identity, the manifest
 * locator, and `reconcile` — parse the manifest, run the injected reconcile use case (one at a time
 * per migration), then update the tracking issue.
 */
import type { Context, Probot } from 'probot';
import { catalogFromEnv, engineDeps } from '../composition/engine-deps.js';
import type { GitHubClient } from '../forge/github/client.js';
import type { GitHubForge } from '../forge/github/forge.js';
import type { LoadedManifest } from '../manifest/types.js';
import type { MigrationSummary } from '../rollout/model.js';
import type { Logger } from '../util/log.js';
import { Coalescer } from './coalesce.js';
import { InstallationCatalogs } from './installation-catalogs.js';
import { type BotIdentity, installationForge, resolveBotIdentity } from './github.js';
import { installationRepositoryNames, ManifestLocator, scanManifests } from './manifests.js';
import { upsertTrackingIssue } from './tracking-issue.js';
import { issueCommentSink } from '../alerts/issue-comment-sink.js';
import { deliverPending } from '../alerts/outbox.js';
import { computeBurndown } from '../report/burndown.js';
import { renderBurndownMermaid } from '../report/burndown-mermaid.js';
import type { AppServices } from './types.js';

export interface EventScope {
  octokit: GitHubClient;
  installationId: number;
  /** The installation's account, e.g. `acme`. */
  account: string;
  log: Logger;
}

export class FleetwaveApp {
  readonly locator: ManifestLocator;
  private bot: Promise<BotIdentity> | null = null;
  private readonly coalescer = new Coalescer<MigrationSummary>();
  private readonly catalogs: InstallationCatalogs;

  constructor(
    readonly probot: Probot,
    readonly services: AppServices,
  ) {
    this.locator = new ManifestLocator(services.config.manifestGlobs, () => services.now().getTime());
    this.catalogs = new InstallationCatalogs(() => services.now().getTime());
  }

  /** The event's installation, its client and account; null for events without an installation. */
  scope(context: Context): EventScope | null {
    const payload = context.payload as { installation?: { id: number }; repository?: { owner: { login: string } } };
    if (!payload.installation?.id) return null;
    return {
      octokit: context.octokit as unknown as GitHubClient,
      installationId: payload.installation.id,
      account: payload.repository?.owner.login ?? String(payload.installation.id),
      log: context.log as unknown as Logger,
    };
  }

  botIdentity(scope: EventScope): Promise<BotIdentity> {
    if (!this.bot) {
      this.bot = this.probot.auth().then((app) => resolveBotIdentity(app as unknown as GitHubClient, scope.octokit));
      this.bot.catch(() => (this.bot = null));
    }
    return this.bot;
  }

  async forge(scope: EventScope): Promise<GitHubForge> {
    const bot = await this.botIdentity(scope);
    const octokit = scope.octokit as unknown as { auth?: (o: { type: 'installation' }) => Promise<{ token: string }> };
    const token = octokit.auth ? async () => (await octokit.auth!({ type: 'installation' })).token : undefined;
    return installationForge(scope.octokit, bot, this.services.config, token);
  }

  /** Validate (throws ValidationError) and reconcile one manifest, then update its tracking issue. */
  async reconcile(scope: EventScope, manifestRepo: string, path: string, text: string): Promise<MigrationSummary> {
    const loaded: LoadedManifest = this.services.parseManifest(text, path);
    const migration = loaded.manifest.metadata.name;
    return this.coalescer.run(`${scope.installationId}:${migration}`, async () => {
      const forge = await this.forge(scope);
      const env = this.services.env ?? process.env;
      const catalog = this.catalogs.get(scope.installationId, () => catalogFromEnv(forge, env, scope.log));
      const summary = await this.services.reconcileMigration(
        engineDeps({
          forge,
          store: this.services.store,
          changes: this.services.changes,
          logger: scope.log,
          now: () => this.services.now(),
          env,
          catalog,
        }),
        loaded,
        { manifestRepo, fleet: `github:${scope.account}` },
      );
      const burndown = renderBurndownMermaid(
        computeBurndown({ summary, events: this.services.store.events({ migration }), asOf: this.services.now().toISOString() }),
        { title: migration },
      );
      const issue = await upsertTrackingIssue(scope.octokit, manifestRepo, path, summary, burndown);
      // The migration's alerts (journalled by the reconcile) as comments mentioning its owners; once each.
      await deliverPending(this.services.store, migration, [issueCommentSink(scope.octokit, manifestRepo, issue)], {
        now: this.services.now(),
        logger: scope.log,
      });
      scope.log.info({ migration, state: summary.state, manifestRepo, trackingIssue: issue }, 'reconciled');
      return summary;
    });
  }

  /** Reconcile the migration `name` of this installation, wherever its manifest lives; null when none does. */
  async reconcileByName(scope: EventScope, migration: string): Promise<MigrationSummary | null> {
    const located = await this.locator.locate(scope.octokit, scope.installationId, migration);
    if (!located) {
      scope.log.info({ migration }, 'no manifest for this migration on any default branch of the installation; ignoring the event');
      return null;
    }
    const forge = await this.forge(scope);
    const text = await forge.readFile(located.repo, located.path);
    if (text === null) {
      this.locator.forget(scope.installationId);
      return null;
    }
    return this.reconcile(scope, located.repo, located.path, text);
  }

  /**
   * The periodic reconcile: every migration of every installation, so soak times end and missed
   * webhooks are made up for. One failing migration does not stop the others.
   */
  async sweep(log: Logger): Promise<{ reconciled: number; failed: number }> {
    const app = (await this.probot.auth()) as unknown as GitHubClient;
    let reconciled = 0;
    let failed = 0;
    for (let page = 1; ; page++) {
      const res = await app.request('GET /app/installations', { per_page: 100, page });
      for (const installation of res.data) {
        const octokit = (await this.probot.auth(installation.id)) as unknown as GitHubClient;
        const account = (installation.account as { login?: string } | null)?.login ?? String(installation.id);
        const scope: EventScope = { octokit, installationId: installation.id, account, log };
        const manifests = await scanManifests(octokit, await installationRepositoryNames(octokit), this.services.config.manifestGlobs);
        for (const [migration, m] of manifests) {
          try {
            await this.reconcile(scope, m.repo, m.path, m.text);
            reconciled++;
          } catch (err) {
            failed++;
            log.error(
              { migration, installation: installation.id, err: err instanceof Error ? err.message : String(err) },
              'periodic reconcile failed',
            );
          }
        }
      }
      if (res.data.length < 100) break;
    }
    return { reconciled, failed };
  }
}
