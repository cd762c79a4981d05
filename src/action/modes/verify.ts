/**
 * Mode `verify`: the source Avro (with the manifest's transform) against the converted Parquet
 * (src/data/verify), each a path or an object-store URI (s3://, gs://, az://, abfss://, file://); without
 * `source` and `target`, the manifest's dataset.source.uri and dataset.target.uri. The Markdown report
 * (src/report, the same one `fleetwave verify` prints) goes to the job summary and to `report-path`; the
 * step fails when the target does not match. With a manifest, the verification record (passing or
 * failing, with this run's URL) is written to `<target>/_fleetwave/verification.json` for the rollout's
 * dataset gate (docs/verify.md).
 */
import { tmpdir } from 'node:os';
import { convertOptionsFromManifest } from '../../data/convert.js';
import { verifyOptionsFrom } from '../../data/verify/options.js';
import { verifyDataset, verifyDatasetObjects } from '../../data/verify/verify.js';
import { verifyAndRecord, workflowRunUrl } from '../../data/verification-store.js';
import { VERSION } from '../../version.js';
import { renderVerificationMarkdown } from '../../report/verification-markdown.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { type ActionIO, type ModeOutcome, numberInput, pathIn, requiredInput } from '../io.js';
import { loadManifestFile } from '../manifest.js';

/** A dataset location: an object-store or file:// URI as given, a path resolved against the working directory. */
function locationIn(io: ActionIO, uri: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(uri) ? uri : pathIn(io, uri) + (uri.endsWith('/') ? '/' : '');
}

export async function verifyMode(io: ActionIO): Promise<ModeOutcome> {
  const manifestPath = io.input('manifest');
  const loaded = manifestPath ? await loadManifestFile(pathIn(io, manifestPath)) : undefined;
  const sourceInput = loaded && !io.input('source') ? loaded.manifest.dataset.source.uri : requiredInput(io, 'source', 'verify');
  const targetInput = loaded && !io.input('target') ? loaded.manifest.dataset.target.uri : requiredInput(io, 'target', 'verify');
  const source = locationIn(io, sourceInput);
  const target = locationIn(io, targetInput);
  const overrides: Parameters<typeof verifyOptionsFrom>[1] = {};
  const schema = loaded ? (await convertOptionsFromManifest(loaded)).schema : undefined;
  if (schema !== undefined) overrides.schema = schema;
  const key = io.input('key');
  if (key) overrides.key = key;
  const ratio = numberInput(io, 'max-mismatch-ratio', { min: 0, max: 1 });
  if (ratio !== undefined) overrides.maxMismatchRatio = ratio;

  const options = verifyOptionsFrom(loaded?.manifest, overrides);
  let report;
  if (loaded) {
    const done = await verifyAndRecord(
      {
        migration: loaded.manifest.metadata.name,
        manifestHash: loaded.hash,
        sourceUri: source,
        targetUri: target,
        maxMismatchRatio: options.maxMismatchRatio ?? 0,
        reportUrl: workflowRunUrl(io.env),
        fleetwaveVersion: VERSION,
      },
      () => verifyDatasetObjects(source, target, options),
    );
    report = done.verified.report;
    io.info(`verification record (${done.record.pass ? 'pass' : 'FAIL'}) written to ${done.recordUri}`);
  } else {
    report = await verifyDataset(source, target, options);
  }
  const markdown = renderVerificationMarkdown(report);
  const reportPath = pathIn(io, io.input('report-path') || `${io.env.RUNNER_TEMP || tmpdir()}/fleetwave-verify-report.md`);
  await writeFileAtomic(reportPath, `${markdown}\n`);
  const jsonPath = reportPath.replace(/(\.md)?$/, '.json');
  await writeFileAtomic(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  await io.summary(`${markdown}\n`);
  io.setOutput('pass', report.pass);
  io.setOutput('source-rows', report.sourceRows);
  io.setOutput('target-rows', report.targetRows);
  io.setOutput('mismatched-rows', report.mismatchedRows);
  io.setOutput('mismatch-ratio', report.mismatchRatio);
  io.setOutput('report-path', reportPath);
  io.setOutput('report-json-path', jsonPath);
  io.info(
    `${report.pass ? 'verified' : 'MISMATCH'}: ${report.sourceRows} source rows, ${report.targetRows} target rows, mismatch ratio ${report.mismatchRatio}`,
  );
  return report.pass ? {} : { failed: `verification failed: ${report.reasons.join('; ')}` };
}
