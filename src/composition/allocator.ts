/**
 * Flat memory for the streaming data commands on Linux (issue 15; docs/data.md, "Memory on Linux").
 *
 * glibc's malloc serves a request of at least M_MMAP_THRESHOLD bytes (128 KiB at start) with its own
 * mmap, given back to the system when freed. But the threshold is dynamic: freeing such a chunk raises
 * it to that chunk's size (up to 32 MiB on 64-bit), so after a conversion frees its first multi-MiB
 * buffer (a read chunk, a decompressed block, a row group's bytes), later buffers of that size come from
 * the heap, where freed memory stays with the process — its RSS grows with the dataset although the live
 * memory (JS heap, external, WebAssembly) does not. Setting the threshold explicitly turns the dynamic
 * adjustment off (mallopt(3): "M_MMAP_THRESHOLD … setting this parameter disables the dynamic
 * adjustment"; glibc manual, "Malloc Tunable Parameters").
 *
 * glibc reads the environment variable MALLOC_MMAP_THRESHOLD_ only when the process starts, so a
 * command cannot set it for itself; `mallopt(M_MMAP_THRESHOLD, …)` works at any time, and Node has no
 * binding for it, so it is called through koffi (a C FFI with prebuilt binaries; docs/decisions/0016).
 * A threshold the user set in the environment is left alone, and FLEETWAVE_FIXED_MMAP_THRESHOLD=0 keeps
 * glibc's dynamic one (the benchmark's baseline). Elsewhere (macOS, Windows, musl, or koffi
 * unavailable, as in the Action's bundle) nothing changes and the reason is returned.
 */

/** mallopt(3)'s parameter number for M_MMAP_THRESHOLD (glibc's malloc.h). */
const M_MMAP_THRESHOLD = -3;

/** 128 KiB: glibc's starting threshold, kept fixed (measured in bench/data-storage.bench.ts). */
export const MMAP_THRESHOLD_BYTES = 128 * 1024;

export type AllocatorTuning =
  | { tuned: true; thresholdBytes: number }
  | { tuned: false; reason: 'environment' | 'disabled' | 'not-linux' | 'unavailable'; detail?: string };

/** Fixes glibc's mmap threshold at 128 KiB for this process, unless the environment already sets one. */
export async function fixMmapThreshold(env: NodeJS.ProcessEnv = process.env): Promise<AllocatorTuning> {
  if (env.MALLOC_MMAP_THRESHOLD_ !== undefined && env.MALLOC_MMAP_THRESHOLD_ !== '') return { tuned: false, reason: 'environment' };
  if (env.FLEETWAVE_FIXED_MMAP_THRESHOLD === '0') return { tuned: false, reason: 'disabled' };
  if (process.platform !== 'linux') return { tuned: false, reason: 'not-linux' };
  try {
    const { default: koffi } = await import('koffi');
    // glibc's soname; musl has none of that name, so this throws there (and musl's mallopt does nothing).
    const mallopt = koffi.load('libc.so.6').func('int mallopt(int param, int value)') as (param: number, value: number) => number;
    if (mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) !== 1)
      return { tuned: false, reason: 'unavailable', detail: 'mallopt refused the value' };
    return { tuned: true, thresholdBytes: MMAP_THRESHOLD_BYTES };
  } catch (err) {
    return { tuned: false, reason: 'unavailable', detail: (err as Error).message };
  }
}
