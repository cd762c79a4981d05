/**
 * A verifier's output reduced to what a person (or the agent's next turn) needs: the lines that name an
 * error, a failure, an assertion's expected and received values, or a `file:line` — at most
 * MAX_LINES of them, each cut at MAX_WIDTH. When no line looks like one, the output's last lines.
 * ANSI colour codes are taken out. Pure.
 */
const MAX_LINES = 40;
const MAX_WIDTH = 300;
const TAIL = 15;

const RELEVANT = [
  /\berror\b|\bErr(or)?:|\bERR!/i,
  /\bfail(ed|ure|ing)?\b|✕|✗|×|●/i,
  /\bexpected\b|\breceived\b|\bassert/i,
  /Traceback|Exception\b|panic:/,
  /[\w./-]+\.\w+[:(]\d+/,
];

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

export function reduceOutput(output: string): string[] {
  const lines = output
    .replace(ANSI, '')
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim().length > 0);
  let picked = lines.filter((l) => RELEVANT.some((re) => re.test(l)));
  if (picked.length === 0) picked = lines.slice(-TAIL);
  const out = [...new Set(picked)].slice(0, MAX_LINES).map((l) => (l.length > MAX_WIDTH ? `${l.slice(0, MAX_WIDTH - 1)}…` : l));
  if (picked.length > MAX_LINES) out.push(`… ${picked.length - MAX_LINES} more line(s)`);
  return out;
}
