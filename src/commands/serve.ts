/**
 * `imr-letters serve [--out DIR] [--port N]`: serves DIR (default `out/`) on
 * http://127.0.0.1:N/ for a look at the archive (`/archive/`) and the letters. Static
 * files only, GET and HEAD; never outside DIR (no `..`, no dot-files, no symbolic links
 * leading out); text compressed with gzip when the browser accepts it, as a web host
 * does. Not a production server.
 */
import { realpath, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import compression from 'compression';
import sirv from 'sirv';

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  // Pagefind's chunks are gzip data its script decompresses itself: served as bytes, never re-encoded.
  '.pagefind': 'application/octet-stream',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_filter': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
};

// WebAssembly too (the search engine's SQLite), as web hosts compress it; never the search chunks (no extension: read by Range).
const COMPRESSIBLE = new Set(['.html', '.css', '.js', '.mjs', '.json', '.txt', '.svg', '.wasm']);

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file a URL path names under `root`, or null when it would leave it: the path is
 * decoded once, must not hold `..`, a backslash, a NUL or a dot-file segment, and a
 * folder means its `index.html`.
 */
export function resolveUrlPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || /[\\\0]/.test(decoded)) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.' || s.startsWith('.'))) return null;
  const file = path.resolve(root, ...segments);
  const base = path.resolve(root);
  if (file !== base && !file.startsWith(base + path.sep)) return null;
  return file;
}

export interface ServeOptions {
  /** The folder served (default `out`). */
  root?: string;
  /** Port on 127.0.0.1 (default 8080; 0 picks a free one). */
  port?: number;
  /** Called for each request (method, path, status, bytes sent). */
  log?: (line: string) => void;
}

export interface Served {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

export async function serve(options: ServeOptions = {}): Promise<Served> {
  const root = path.resolve(options.root ?? 'out');
  const realRoot = await realpath(root);
  // Files are read at each request (dev), so a rebuilt archive is served without a restart.
  const files = sirv(root, {
    dev: true,
    etag: true,
    extensions: ['html'],
    setHeaders: (res, pathname) => {
      // A folder is served as its index.html.
      res.setHeader('content-type', contentType(pathname.endsWith('/') ? 'index.html' : pathname));
      res.setHeader('x-content-type-options', 'nosniff');
      // A `.gz` file (the open data's bulk downloads) is served as the gzip file it is, not
      // as its content compressed in transit (sirv's reading of the name).
      if (pathname.endsWith('.gz')) res.setHeader('content-encoding', 'identity');
    },
  });
  const gzip = compression({ level: 9, threshold: 0, filter: (req) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    // A folder is its index.html.
    return COMPRESSIBLE.has(pathname.endsWith('/') ? '.html' : path.extname(pathname).toLowerCase());
  } });
  const server = http.createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Internal error\n');
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
      options.log?.(`${req.method} ${req.url} ${status}`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'Method not allowed\n', { allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/') return send(302, 'See /archive/\n', { location: '/archive/' });
    // Our rules before sirv's: no dot-files, no `..` however encoded, no symbolic link leading out.
    const file = resolveUrlPath(root, url.pathname);
    const real = file ? await realpath(file).catch(() => undefined) : undefined;
    if (!real || (real !== realRoot && !real.startsWith(realRoot + path.sep))) return send(404, 'Not found\n');
    if ((await stat(real)).isDirectory() && !url.pathname.endsWith('/')) return send(301, 'Moved\n', { location: `${url.pathname}/${url.search}` });
    gzip(req as Parameters<typeof gzip>[0], res as Parameters<typeof gzip>[1], () => {
      files(req, res, () => send(404, 'Not found\n'));
      options.log?.(`${req.method} ${url.pathname} ${res.statusCode}`);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
