// The webview's one call into VS Code, stubbed for the benchmark page: messages to the host are dropped.
Reflect.set(globalThis, 'acquireVsCodeApi', () => ({ postMessage: (): void => undefined }));
