/**
 * Mode `verify`: the source Avro (with the manifest's transform) against the converted Parquet
 * (src/data/verify). The Markdown report (src/report, the same one `fleetwave verify` prints) goes to
 * the job summary and to `report-path`; the step fails when the target does not match.
 */
import { tmpdir } from 'node:os';
import { convertOptionsFromManifest } from '../../data/convert.js';
import { verifyOptionsFrom } from '../../data/verify/options.js';
import { verifyDataset } from '../../data/verify/verify.js';
import { renderVerificationMarkdown } from '../../report/verification-markdown.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { type ActionIO, type ModeOutcome, numberInput, pathIn, requiredInput } from '../io.js';
import { loadManifestFile } from '../manifest.js';

export async function verifyMode(io: ActionIO): Promise<ModeOutcome> {
  const source = pathIn(io, requiredInput(io, 'source', 'verify'));
  const target = pathIn(io, requiredInput(io, 'target', 'verify'));
  const manifestPath = io.input('manifest');
  const loaded = manifestPath ? await loadManifestFile(pathIn(io, manifestPath)) : undefined;
  const overrides: Parameters<typeof verifyOptionsFrom>[1] = {};
  const schema = loaded ? (await convertOptionsFromManifest(loaded)).schema : undefined;
  if (schema !== undefined) overrides.schema = schema;
  const key = io.input('key');
  if (key) overrides.key = key;
  const ratio = numberInput(io, 'max-mismatch-ratio', { min: 0, max: 1 });
  if (ratio !== undefined) overrides.maxMismatchRatio = ratio;

  const report = await verifyDataset(source, target, verifyOptionsFrom(loaded?.manifest, overrides));
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
