/**
 * Preparing one letter, where it runs (a worker thread, or the build's thread with
 * `workers: 0`): a case file's bytes → checked case data and the HTML of its editions.
 */
import { checkSource } from '../check/index.js';
import { decodeSource } from '../read/source.js';
import type { Renderer } from '../render/index.js';
import { publicFacts } from '../render/facts.js';
import type { Edition } from '../render/model.js';
import type { CaseInfo, PrepareResult, RenderedEdition } from './compile.js';

/** Checks and renders one case file. Pure apart from the renderer's templates, already loaded. */
export function prepareCase(file: string, bytes: Uint8Array, renderer: Renderer, editions: readonly Edition[], assetBase: string): PrepareResult {
  const read = decodeSource(file, bytes);
  if (!read.source) return { diagnostics: read.diagnostics, prepared: undefined };
  const checked = checkSource(read.source);
  const c = checked.case;
  if (!c) return { diagnostics: checked.diagnostics, prepared: undefined };
  const rendered: Partial<Record<Edition, RenderedEdition>> = {};
  for (const edition of editions) {
    if (edition === 'letter' && !c.data.parties) continue;
    const { html, view } = renderer.render(c, edition, assetBase);
    rendered[edition] = { html, title: view.title, subject: view.subject, keywords: view.keywords, outcome: view.outcome };
  }
  const info: CaseInfo = { file: c.file, data: c.data, contentHash: c.contentHash, publicHash: c.publicHash, revisionSpan: c.revisionSpan, caseSpan: c.caseSpan };
  return { diagnostics: checked.diagnostics, prepared: { info, editions: rendered, facts: `${JSON.stringify(publicFacts(c), null, 2)}\n` } };
}

