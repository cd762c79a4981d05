/**
 * The dataset gate's port (issue 15): how the engine reads the target dataset's verification record.
 * The composition root wires it to the object stores (src/composition/dataset-gate.ts); the tick
 * reads it once (./dataset-gate.ts). A leaf of types, so tick.ts and dataset-gate.ts share it.
 */
import type { GateVerdict } from '../data/verification-record.js';
import type { LoadedManifest } from '../manifest/types.js';

/** What the port answers: the record's verdict and where it lives, or why the record could not be read. */
export type DatasetReading = { verdict: GateVerdict; recordUri: string } | { unreadable: string };

/** Reads the verification record of `loaded`'s target dataset and the source's fingerprint. */
export type DatasetGateReader = (loaded: LoadedManifest) => Promise<DatasetReading>;
