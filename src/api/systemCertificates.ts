// The operating system's trusted certificates, so a gateway behind a company CA (or a TLS-inspecting
// proxy) that the system trusts is trusted here too. Node 22.15+ reads the system store itself
// (tls.getCACertificates('system')); older Node (VS Code 1.100 ships Node 20) gets the Linux bundle
// files. macOS keychains and the Windows store are not readable without a native package, so there
// only Node's bundled roots apply (plus NODE_EXTRA_CA_CERTS, which Node reads itself).

import * as fs from 'node:fs';
import * as tls from 'node:tls';

/** Where Linux distributions keep the system's bundle (Debian/Ubuntu, Fedora/RHEL, openSUSE, Alpine). */
export const LINUX_CA_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

type GetCaCertificates = (type: 'system') => string[];

export interface SystemCertificates {
  certificates: string[];
  /** Where they came from, for the Test Connection report; undefined when none were found. */
  source: string | undefined;
}

let cached: SystemCertificates | undefined;

/** Read once per session: the store changes rarely and the bundle is a few hundred KB. */
export function systemCertificates(): SystemCertificates {
  cached ??= readSystemCertificates(tls as unknown as { getCACertificates?: GetCaCertificates }, LINUX_CA_BUNDLES);
  return cached;
}

export function readSystemCertificates(
  tlsModule: { getCACertificates?: GetCaCertificates },
  bundles: readonly string[],
  readFile: (path: string) => string = (path) => fs.readFileSync(path, 'utf8'),
): SystemCertificates {
  if (typeof tlsModule.getCACertificates === 'function') {
    try {
      return { certificates: tlsModule.getCACertificates('system'), source: 'system store' };
    } catch {
      // Fall through to the files.
    }
  }
  for (const bundle of bundles) {
    let text: string;
    try {
      text = readFile(bundle);
    } catch {
      continue;
    }
    const certificates = splitPem(text);
    if (certificates.length > 0) return { certificates, source: bundle };
  }
  return { certificates: [], source: undefined };
}

export function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
