import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';

/** A package as `npm pack --json` describes its tarball, with the manifest it was packed from. */
export interface Packed {
  manifest: { name: string; version: string } & Record<string, unknown>;
  tarball: string;
  integrity: string;
}

export interface Registry {
  url: string;
  /** The paths asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * An npm registry on 127.0.0.1 that serves exactly the given tarballs: a packument per package and
 * the tarballs it points at. `npm install --registry <url>` then resolves dependencies without the
 * network and without depending on what a cache happens to hold.
 */
export async function serveRegistry(packages: readonly Packed[]): Promise<Registry> {
  const routes = new Map<string, { type: string; body: Buffer }>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const route = routes.get(req.url ?? '');
    res.writeHead(route ? 200 : 404, { 'content-type': route?.type ?? 'text/plain' });
    res.end(route?.body ?? 'not found');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  for (const { manifest, tarball, integrity } of packages) {
    const file = `/${manifest.name}/-/${basename(tarball)}`;
    routes.set(file, { type: 'application/octet-stream', body: readFileSync(tarball) });
    const version = { ...manifest, dist: { tarball: `${url}${file}`, integrity } };
    const packument = { name: manifest.name, 'dist-tags': { latest: manifest.version }, versions: { [manifest.version]: version } };
    // npm asks for a scoped name as /@scope%2fname.
    routes.set(`/${manifest.name.replace('/', '%2f')}`, { type: 'application/json', body: Buffer.from(JSON.stringify(packument)) });
  }
  return { url, requests, close: () => new Promise((done) => server.close(() => done())) };
}
