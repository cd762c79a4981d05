/**
 * `installation` and `installation_repositories`: the fleet changed. The manifest locator forgets what
 * it knew about the installation; the next event, or the periodic reconcile, sees the new fleet.
 */
import type { Context } from 'probot';
import type { FleetwaveApp } from '../fleetwave-app.js';

export async function onInstallationChange(
  app: FleetwaveApp,
  context: Context<'installation'> | Context<'installation_repositories'>,
): Promise<void> {
  const id = context.payload.installation.id;
  app.locator.forget(id);
  context.log.info(
    { installation: id, action: context.payload.action },
    'installation changed: the fleet is read again on the next reconcile',
  );
}
