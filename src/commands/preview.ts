/**
 * `imr-letters preview [case] [--port 4173] [--edition letter|public]`: the letter on
 * http://127.0.0.1:PORT/, rendered in memory (no PDF) and reloaded in the browser as
 * soon as the case file, a template, a style or the configuration is saved.
 *
 * - The case file's folder, `templates/` (and `partials/`), `styles/` and the
 *   configuration file are watched (`fs.watch` on folders, so editors that save by
 *   renaming a temporary file are seen too). A change is announced to open pages by
 *   Server-Sent Events (`/events`); the page reloads and keeps its scroll position.
 * - Every page view checks and renders the case anew. With a check error, the page
 *   shows the problems at their `file:line:column`, with the offending source lines,
 *   instead of the letter.
 * - Fonts are served from node_modules (the renderer's assets); nothing else is served,
 *   and only on 127.0.0.1.
 *
 * Without a case, `/` lists the case files of `cases/` and each links to its preview.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { checkSource } from '../check/index.js';
import { loadConfig } from '../config.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics.js';
import { formatError } from '../errors.js';
import { decodeSource, findCaseFiles, readSource } from '../read/source.js';
import { createRenderer, type Renderer } from '../render/index.js';
import type { Edition } from '../render/model.js';
import { escapeHtml } from '../html.js';
import { loadPreviewPages, type PreviewPages } from './preview-pages.js';
import { DEFAULT_PREVIEW_PORT } from './preview-port.js';

export { DEFAULT_PREVIEW_PORT };

export interface PreviewOptions {
  /** The case file to preview; without it, `/` lists the files of `cases`. */
  file?: string;
  /** Folder listed when no file is given (default `cases`). */
  cases?: string;
  /** Port on 127.0.0.1 (default 4173; 0: any free port). */
  port?: number;
  /** The edition shown first (default: the mailed letter when the case has parties). */
  edition?: Edition;
  config?: string;
  templates?: string;
  styles?: string;
  /** Quiet time after a change before pages are told to reload, in ms (default 25). */
  debounceMs?: number;
  log?: (line: string) => void;
}

export interface PreviewServer {
  url: string;
  port: number;
  /** Increases with every change seen (tests wait on it). */
  version(): number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function preview(options: PreviewOptions = {}): Promise<PreviewServer> {
  const templates = options.templates ?? 'templates';
  const styles = options.styles ?? 'styles';
  const configFile = options.config ?? 'imr-letters.config.yaml';
  const casesDir = options.cases ?? 'cases';
  const log = options.log ?? (() => undefined);
  const debounceMs = options.debounceMs ?? 25;
  if (options.file) await stat(options.file); // fail early on a missing file

  let renderer: Renderer | undefined;
  let rendererError: string | undefined;
  const loadRenderer = async () => {
    try {
      renderer = await createRenderer({ org: (await loadConfig(configFile)).organization, templates, styles });
      rendererError = undefined;
    } catch (error) {
      renderer = undefined;
      rendererError = formatError(error);
    }
  };
  await loadRenderer();
  const pages = await loadPreviewPages();

  let version = 1;
  const clients = new Set<http.ServerResponse>();
  const broadcast = () => {
    for (const res of clients) res.write(`event: reload\ndata: ${version}\n\n`);
  };

  let timer: NodeJS.Timeout | undefined;
  let rendererStale = false;
  const changed = (what: 'case' | 'look', name: string) => {
    if (what === 'look') rendererStale = true;
    clearTimeout(timer);
    timer = setTimeout(() => {
      void (async () => {
        if (rendererStale) {
          rendererStale = false;
          await loadRenderer();
        }
        version++;
        log(`changed: ${name}; reloading (${clients.size} page${clients.size === 1 ? '' : 's'})`);
        broadcast();
      })();
    }, debounceMs);
  };
  const watchers = watchSources(options, { templates, styles, configFile, casesDir }, changed);

  const server = http.createServer((req, res) => {
    const ctx: PageContext = { options, pages, version, renderer: () => renderer, rendererError: () => rendererError, casesDir, clients };
    void handle(ctx, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`imr-letters preview: ${formatError(error)}\n`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PREVIEW_PORT, HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const root = `http://${HOST}:${port}/`;
  return {
    url: options.file ? `${root}?file=${encodeURIComponent(options.file)}` : root,
    port,
    version: () => version,
    async close() {
      clearTimeout(timer);
      for (const w of watchers) w.close();
      for (const res of clients) res.end();
      clients.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------
// Pages

const esc = escapeHtml;


/**
 * Watches the case, the templates, the styles and the configuration: folders, filtered
 * by name, since editors often save by renaming a new file over the old.
 */
function watchSources(options: PreviewOptions, dirs: { templates: string; styles: string; configFile: string; casesDir: string }, changed: (what: 'case' | 'look', name: string) => void): FSWatcher[] {
  const watchers: FSWatcher[] = [];
  const watchDir = (dir: string, accept: (name: string) => boolean, what: 'case' | 'look') => {
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        const n = name?.toString();
        if (n && accept(n)) changed(what, path.join(dir, n));
      });
      w.on('error', () => undefined);
      watchers.push(w);
    } catch {
      // A folder that does not exist (no partials, say) has nothing to watch.
    }
  };
  const caseDir = options.file ? path.dirname(options.file) : dirs.casesDir;
  const caseName = options.file ? path.basename(options.file) : undefined;
  watchDir(caseDir, (n) => (caseName ? n === caseName : n.endsWith('.md')), 'case');
  watchDir(dirs.templates, (n) => n.endsWith('.hbs'), 'look');
  watchDir(path.join(dirs.templates, 'partials'), (n) => n.endsWith('.hbs'), 'look');
  watchDir(dirs.styles, (n) => n.endsWith('.css'), 'look');
  watchDir(path.dirname(path.resolve(dirs.configFile)), (n) => n === path.basename(dirs.configFile), 'look');

  return watchers;
}

interface PageContext {
  options: PreviewOptions;
  pages: PreviewPages;
  /** The version when the request came. */
  version: number;
  renderer: () => Renderer | undefined;
  rendererError: () => string | undefined;
  casesDir: string;
  /** The pages listening for reloads. */
  clients: Set<http.ServerResponse>;
}

/** One request: the reload events, the fonts, the file list or a letter. */
async function handle(ctx: PageContext, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const { options, pages, version, casesDir, clients } = ctx;
  const url = new URL(req.url ?? '/', `http://${HOST}`);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (url.pathname === '/events') {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(`retry: 300\nevent: hello\ndata: ${version}\n\n`);
    clients.add(res);
    req.on('close', () => clients.delete(res));
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    const name = url.pathname.slice('/assets/'.length);
    const asset = ctx.renderer()?.assets.find((a) => a.name === name);
    if (!asset) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'font/woff2', 'cache-control': 'max-age=3600' }).end(asset.bytes);
    return;
  }
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204).end();
    return;
  }
  if (url.pathname !== '/') {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  const requested = url.searchParams.get('file') ?? options.file;
  const html = requested === undefined ? pages.index({ casesDir, rows: await indexRows(casesDir), version }) : await letterPage(ctx, requested, url.searchParams.get('edition'));
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : html);
  }


/** The letter of `file` with the toolbar, or the page saying why there is none. */
async function letterPage(ctx: PageContext, file: string, editionParam: string | null): Promise<string> {
  const { options, version } = ctx;
  const errorPage = (title: string, diagnostics: Diagnostic[], detail: string, text?: string, caseNumber?: string) =>
    ctx.pages.errors({ file, title, detail, version, caseNumber, diagnostics: diagnostics.map((d) => ({ ...d, frame: text === undefined ? '' : codeFrame(text, d) })) });
  const renderer = ctx.renderer();
  // The case file given, or case files inside the working folder; never another path.
  const resolved = path.resolve(file);
  const allowed = (options.file !== undefined && resolved === path.resolve(options.file)) || (resolved.startsWith(path.resolve('.') + path.sep) && file.endsWith('.md'));
  if (!allowed) return errorPage('Not a case file of this project', [], '');
  let text: string;
  try {
    const read = decodeSource(file, await readFile(file));
    if (!read.source) return errorPage('The case file cannot be read', read.diagnostics, '');
    text = read.source.text;
  } catch (error) {
    return errorPage('The case file cannot be read', [], formatError(error));
  }
  const result = checkSource({ file, text });
  const diagnostics = sortDiagnostics(result.diagnostics);
  if (!result.case || hasErrors(diagnostics)) return errorPage('The case does not pass check', diagnostics, '', text);
  if (!renderer) return errorPage('The templates, styles or configuration cannot be loaded', [], ctx.rendererError() ?? '');
  const c = result.case;
  const edition: Edition = editionParam === 'letter' || editionParam === 'public' ? editionParam : (options.edition ?? (c.data.parties ? 'letter' : 'public'));
  if (edition === 'letter' && !c.data.parties) {
    return errorPage('No mailed letter: the case has no `parties`', [], 'Add the parties block to build the mailed letter, or look at the public edition.', undefined, c.data.case);
  }
  let html: string;
  try {
    html = renderer.render(c, edition, '/assets/').html;
  } catch (error) {
    return errorPage('The letter cannot be rendered', [], formatError(error));
  }
  return inject(html, ctx.pages.toolbar({ file, caseNumber: c.data.case, edition, hasParties: Boolean(c.data.parties), warnings: diagnostics.filter((d) => d.severity === 'warning'), version }));
}


function inject(html: string, extra: string): string {
  const at = html.lastIndexOf('</body>');
  return at === -1 ? `${html}${extra}` : `${html.slice(0, at)}${extra}\n${html.slice(at)}`;
}

/** Source lines around a diagnostic, with its span marked. */
export function codeFrame(text: string, d: Diagnostic, context = 2): string {
  const lines = text.split('\n');
  const first = Math.max(1, d.line - context);
  const last = Math.min(lines.length, Math.max(d.endLine, d.line) + context);
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const line = lines[n - 1] ?? '';
    const hit = n >= d.line && n <= Math.max(d.endLine, d.line);
    let body = esc(line);
    if (hit) {
      const from = n === d.line ? d.column - 1 : 0;
      const to = n === d.endLine ? Math.max(d.endColumn - 1, from + 1) : line.length;
      body = `${esc(line.slice(0, from))}<mark>${esc(line.slice(from, to) || ' ')}</mark>${esc(line.slice(to))}`;
    }
    out.push(`<span class="line${hit ? ' hit' : ''}" data-line="${n}"><span class="no">${n}</span>${body}</span>`);
  }
  return `<pre class="source">${out.join('')}</pre>`;
}

async function indexRows(casesDir: string): Promise<{ file: string; status: string }[]> {
  const { files } = await findCaseFiles([casesDir]);
  const rows: { file: string; status: string }[] = [];
  for (const file of files) {
    let status = '';
    try {
      const read = await readSource(file);
      const result = read.source ? checkSource(read.source) : { case: undefined, diagnostics: read.diagnostics };
      const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
      status = errors ? `${errors} error${errors === 1 ? '' : 's'}` : result.case ? `${result.case.data.case} v${result.case.data.revision}, ${result.case.data.status}` : '';
    } catch (error) {
      status = formatError(error);
    }
    rows.push({ file, status });
  }
  return rows;
}
