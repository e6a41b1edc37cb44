import * as vscode from 'vscode';
import type { ProxySettings } from '../api/proxyRoute';

/**
 * VS Code's own proxy settings (`http.proxy`, `http.noProxy`, `http.proxyStrictSSL`), as the user
 * set them: a workspace cannot route the key through a proxy of its choosing or turn certificate
 * checks off, so only user (and default) values count.
 */
export function readProxySettings(): ProxySettings {
  const http = vscode.workspace.getConfiguration('http');
  const proxy = userValue(http, 'proxy');
  const noProxy = userValue(http, 'noProxy');
  const strictSSL = userValue(http, 'proxyStrictSSL');
  return {
    proxy: typeof proxy === 'string' ? proxy : '',
    noProxy: Array.isArray(noProxy) ? noProxy.filter((entry): entry is string => typeof entry === 'string') : [],
    strictSSL: strictSSL !== false,
  };
}

function userValue(config: vscode.WorkspaceConfiguration, key: string): unknown {
  const inspected = config.inspect<unknown>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}
