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

export const DEFAULT_PREVIEW_PORT = 4173;

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

  let version = 1;
  const clients = new Set<http.ServerResponse>();
  const broadcast = () => {
    for (const res of clients) res.write(`event: reload\ndata: ${version}\n\n`);
  };

  // Watching: folders, filtered by name, since editors often save by renaming a new file over the old.
  const watchers: FSWatcher[] = [];
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
  const caseDir = options.file ? path.dirname(options.file) : casesDir;
  const caseName = options.file ? path.basename(options.file) : undefined;
  watchDir(caseDir, (n) => (caseName ? n === caseName : n.endsWith('.md')), 'case');
  watchDir(templates, (n) => n.endsWith('.hbs'), 'look');
  watchDir(path.join(templates, 'partials'), (n) => n.endsWith('.hbs'), 'look');
  watchDir(styles, (n) => n.endsWith('.css'), 'look');
  watchDir(path.dirname(path.resolve(configFile)), (n) => n === path.basename(configFile), 'look');

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`imr-letters preview: ${formatError(error)}\n`);
    });
  });

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
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
      const asset = renderer?.assets.find((a) => a.name === name);
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
    const html = requested === undefined ? await indexPage(casesDir, version) : await letterPage(requested, url.searchParams.get('edition'));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : html);
  };

  const letterPage = async (file: string, editionParam: string | null): Promise<string> => {
    // The case file given, or case files inside the working folder; never another path.
    const resolved = path.resolve(file);
    const allowed = (options.file !== undefined && resolved === path.resolve(options.file)) || (resolved.startsWith(path.resolve('.') + path.sep) && file.endsWith('.md'));
    if (!allowed) return errorPage(file, 'Not a case file of this project', [], '', version);
    let text: string;
    try {
      const read = decodeSource(file, await readFile(file));
      if (!read.source) return errorPage(file, 'The case file cannot be read', read.diagnostics, '', version);
      text = read.source.text;
    } catch (error) {
      return errorPage(file, 'The case file cannot be read', [], formatError(error), version);
    }
    const result = checkSource({ file, text });
    const diagnostics = sortDiagnostics(result.diagnostics);
    if (!result.case || hasErrors(diagnostics)) return errorPage(file, 'The case does not pass check', diagnostics, '', version, text);
    if (!renderer) return errorPage(file, 'The templates, styles or configuration cannot be loaded', [], rendererError ?? '', version);
    const c = result.case;
    const edition: Edition = editionParam === 'letter' || editionParam === 'public' ? editionParam : (options.edition ?? (c.data.parties ? 'letter' : 'public'));
    if (edition === 'letter' && !c.data.parties) {
      return errorPage(file, 'No mailed letter: the case has no `parties`', [], 'Add the parties block to build the mailed letter, or look at the public edition.', version, undefined, c.data.case);
    }
    let html: string;
    try {
      html = renderer.render(c, edition, '/assets/').html;
    } catch (error) {
      return errorPage(file, 'The letter cannot be rendered', [], formatError(error), version);
    }
    return inject(html, toolbar(file, c.data.case, edition, Boolean(c.data.parties), diagnostics, version));
  };

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

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The live-reload client: reloads on `reload` (or when a change happened before it connected), keeping the scroll position. */
function client(version: number): string {
  return `<script>
(() => {
  const key = 'imr-preview-scroll:' + location.search;
  const y = sessionStorage.getItem(key);
  if (y !== null) { sessionStorage.removeItem(key); addEventListener('load', () => scrollTo(0, Number(y))); }
  const reload = () => { sessionStorage.setItem(key, String(scrollY)); location.reload(); };
  const events = new EventSource('/events');
  events.addEventListener('hello', (e) => { if (Number(e.data) !== ${version}) reload(); });
  events.addEventListener('reload', reload);
  events.onopen = () => { document.documentElement.setAttribute('data-preview-live', ''); document.documentElement.removeAttribute('data-preview-offline'); };
  events.onerror = () => document.documentElement.setAttribute('data-preview-offline', '');
  window.__imrPreviewVersion = ${version};
})();
</script>`;
}

const BAR_CSS = `<style>
#imr-preview { position: fixed; top: 8px; right: 8px; z-index: 10; font: 12px/1.4 system-ui, sans-serif; background: #fff; color: #222;
  border: 1px solid #bbb; border-radius: 6px; padding: 6px 10px; box-shadow: 0 1px 4px rgba(0,0,0,.15); max-width: 420px; }
#imr-preview a { color: #0645ad; margin-left: 6px; }
#imr-preview a[aria-current] { color: #222; font-weight: 700; text-decoration: none; }
#imr-preview details { margin-top: 4px; }
html[data-preview-offline] #imr-preview::after { content: " · preview stopped"; color: #a11; }
@media print { #imr-preview { display: none; } }
@media screen { html { background: #e8e8e8; } body { background: #fff; box-shadow: 0 0 6px rgba(0,0,0,.2); padding: 48pt 60pt !important; max-width: 468pt; isolation: isolate; } }
/* The page is its own stacking context, so a draft's watermark (z-index -1) shows on it, behind the text, as in the PDF. */
</style>`;

function toolbar(file: string, caseNumber: string, edition: Edition, hasParties: boolean, diagnostics: Diagnostic[], version: number): string {
  const link = (e: Edition, label: string) =>
    e === edition ? `<a aria-current="page">${label}</a>` : `<a href="/?file=${encodeURIComponent(file)}&amp;edition=${e}">${label}</a>`;
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  const list = warnings.length
    ? `<details><summary>${warnings.length} warning${warnings.length === 1 ? '' : 's'}</summary><ul>${warnings.map((d) => `<li>${esc(`${d.file}:${d.line}:${d.column}`)} ${esc(d.message)} <code>${esc(d.rule)}</code></li>`).join('')}</ul></details>`
    : '';
  return `${BAR_CSS}<div id="imr-preview" data-version="${version}"><strong>Preview</strong> ${esc(caseNumber)} · ${esc(file)}<br>${hasParties ? link('letter', 'Mailed letter') : '<span title="no parties">Mailed letter</span>'}${link('public', 'Public edition')}${list}</div>${client(version)}`;
}

function inject(html: string, extra: string): string {
  const at = html.lastIndexOf('</body>');
  return at === -1 ? `${html}${extra}` : `${html.slice(0, at)}${extra}\n${html.slice(at)}`;
}

const PAGE_CSS = `<style>
body { font: 14px/1.5 system-ui, sans-serif; margin: 24px auto; max-width: 960px; padding: 0 16px; color: #222; }
h1 { font-size: 20px; } .file { color: #555; }
.diagnostic { border: 1px solid #ddd; border-left: 4px solid #c62828; border-radius: 4px; margin: 12px 0; padding: 8px 12px; }
.diagnostic.warning { border-left-color: #ef8f00; }
.where { font-family: ui-monospace, monospace; font-weight: 600; } .rule { color: #666; font-family: ui-monospace, monospace; }
.severity { text-transform: uppercase; font-size: 11px; font-weight: 700; color: #c62828; margin: 0 6px; } .warning .severity { color: #ef8f00; }
pre.source { background: #f6f6f6; padding: 6px 0; overflow-x: auto; font: 13px/1.45 ui-monospace, monospace; margin: 8px 0 0; }
pre.source .line { display: block; padding: 0 8px; } pre.source .line.hit { background: #fdecea; }
pre.source .no { display: inline-block; width: 4ch; color: #999; text-align: right; margin-right: 1.5ch; user-select: none; }
pre.source mark { background: none; text-decoration: underline wavy #c62828; text-underline-offset: 3px; color: inherit; }
.detail { white-space: pre-wrap; font-family: ui-monospace, monospace; background: #f6f6f6; padding: 8px; }
</style>`;

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

function errorPage(file: string, title: string, diagnostics: Diagnostic[], detail: string, version: number, text?: string, caseNumber?: string): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const items = diagnostics
    .map(
      (d) => `<section class="diagnostic ${d.severity}" data-rule="${esc(d.rule)}" data-line="${d.line}">
<div><span class="where">${esc(`${d.file}:${d.line}:${d.column}`)}</span><span class="severity">${d.severity}</span>${esc(d.message)} <span class="rule">${esc(d.rule)}</span></div>
${text === undefined ? '' : codeFrame(text, d)}
</section>`,
    )
    .join('\n');
  const heading = errors ? `${errors} error${errors === 1 ? '' : 's'} in ${file}` : title;
  const links = caseNumber ? ` <a href="/?file=${encodeURIComponent(file)}&amp;edition=public">Public edition</a>` : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(heading)}</title>${PAGE_CSS}</head>
<body class="preview-errors">
<h1>${esc(heading)}</h1>
<p class="file">${esc(title)}. The letter shows again when the file is fixed and saved.${links}</p>
${detail ? `<div class="detail">${esc(detail)}</div>` : ''}
${items}
${client(version)}
</body></html>
`;
}

async function indexPage(casesDir: string, version: number): Promise<string> {
  const { files } = await findCaseFiles([casesDir]);
  const rows: string[] = [];
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
    rows.push(`<li><a href="/?file=${encodeURIComponent(file)}">${esc(file)}</a> <span class="rule">${esc(status)}</span></li>`);
  }
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>imr-letters preview</title>${PAGE_CSS}</head>
<body><h1>Case files in ${esc(casesDir)}</h1><ul>${rows.join('\n')}</ul>${client(version)}</body></html>
`;
}
