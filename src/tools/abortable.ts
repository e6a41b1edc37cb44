// vscode-free: Stop must end a tool call at once, even while it waits on something slow (a file on a
// network drive, a file search over a large tree). The wait is raced against the signal; the slow
// work may finish later, but nobody waits for it.

/** `work`, or a rejection with the signal's reason as soon as `signal` aborts. */
export function abortable<T>(work: PromiseLike<T> | T, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return Promise.resolve(work);
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(work).then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The tool call was stopped.', 'AbortError');
}
