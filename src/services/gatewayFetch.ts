import * as tls from 'node:tls';
import { createNodeFetch } from '../api/nodeFetch';
import { chooseProxy, type Environment, type ProxyChoice, type ProxySettings } from '../api/proxyRoute';
import { systemCertificates } from '../api/systemCertificates';
import { readProxySettings } from '../config/networkSettings';

/**
 * The fetch every gateway request uses: through the proxy that VS Code's proxy settings (or the
 * environment's) choose, trusting the system's certificates besides Node's own; requests that need
 * no proxy go out with the global fetch as before. Rebuilt when the settings change, so open
 * keep-alive connections to an old proxy are not reused.
 */
export class GatewayFetch {
  private built: { key: string; fetch: typeof fetch } | undefined;

  constructor(
    private readonly settings: () => ProxySettings = readProxySettings,
    private readonly env: Environment = process.env,
  ) {}

  readonly fetch: typeof fetch = (input, init) => this.current()(input, init);

  /** The proxy a request to `baseUrl` takes now; undefined for a direct connection. */
  proxyFor(baseUrl: string): ProxyChoice | undefined {
    return chooseProxy(new URL(baseUrl), this.settings(), this.env);
  }

  /** What Test Connection's TLS probe trusts: the same as the fetch. */
  trust(): { ca: readonly string[] | undefined; rejectUnauthorized: boolean; certificateSource: string | undefined } {
    const system = systemCertificates();
    return {
      ca: system.certificates.length > 0 ? [...tls.rootCertificates, ...system.certificates] : undefined,
      rejectUnauthorized: this.settings().strictSSL,
      certificateSource: system.source,
    };
  }

  private current(): typeof fetch {
    const settings = this.settings();
    const key = JSON.stringify(settings);
    if (this.built?.key !== key) {
      this.built = {
        key,
        fetch: createNodeFetch({
          proxyFor: (target) => chooseProxy(target, settings, this.env)?.proxy,
          extraCa: systemCertificates().certificates,
          rejectUnauthorized: settings.strictSSL,
          // Looked up per request: VS Code installs its extended fetch on globalThis.
          direct: (input, init) => globalThis.fetch(input, init),
        }),
      };
    }
    return this.built.fetch;
  }
}
