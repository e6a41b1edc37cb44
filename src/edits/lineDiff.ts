// Which lines of a rewritten block are new or changed compared to the original (vscode-free).

/** Above this many line pairs the comparison is skipped and every line counts as changed. */
const MAX_CELLS = 1_000_000;

function splitLines(text: string): string[] {
  return text.split(/\r\n|\n/);
}

/**
 * For each line of `current`, whether it is not part of a longest common subsequence of lines with
 * `original` (that is: inserted or changed). Lines are compared ignoring trailing whitespace.
 */
export function changedLines(original: string, current: string): boolean[] {
  const a = splitLines(original).map((line) => line.trimEnd());
  const b = splitLines(current).map((line) => line.trimEnd());
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_CELLS) return b.map(() => true);

  // lcs[i][j]: length of the LCS of a[i..] and b[j..], in one flat array.
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const changed = b.map(() => true);
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      changed[j] = false;
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) {
      i++;
    } else {
      j++;
    }
  }
  return changed;
}
