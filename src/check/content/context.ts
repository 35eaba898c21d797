/**
 * What the content rules see: the frontmatter as read (raw, so they run even when the
 * schema refused a value), the body's sections flattened to text, and where things are.
 */
import type { Diagnostic, Span } from '../../diagnostics.js';
import type { Section } from '../sections.js';
import type { PathKey } from '../validate.js';
import { flatten, type FlatText } from './text.js';

export interface ContentContext {
  file: string;
  /** The frontmatter's data as parsed (not yet validated). */
  data: Record<string, unknown>;
  sections: readonly Section[];
  /** The span of a frontmatter value (its key's mapping when it is absent). */
  at(path: readonly PathKey[]): Span;
  /** Whether the schema refused the value at `path` (content rules then leave it alone). */
  invalid(path: readonly PathKey[]): boolean;
  /** A section's words, with their positions; cached. */
  text(section: Section): FlatText;
}

export type ContentRule = (ctx: ContentContext) => Diagnostic[];

export function contentContext(file: string, source: string, data: Record<string, unknown>, sections: readonly Section[], at: (path: readonly PathKey[]) => Span, invalid: (path: readonly PathKey[]) => boolean = () => false): ContentContext {
  const cache = new Map<Section, FlatText>();
  return {
    file,
    data,
    sections,
    at,
    invalid,
    text(section) {
      let t = cache.get(section);
      if (!t) cache.set(section, (t = flatten(section.children, source)));
      return t;
    },
  };
}

export const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** The items with an id, with their index in `items`; of items sharing an id (`duplicate-item-id`), none. */
export function itemsOf(data: Record<string, unknown>): { index: number; item: Record<string, unknown>; id: string }[] {
  const items = Array.isArray(data.items) ? data.items : [];
  const all = items.flatMap((v, index) => {
    const item = obj(v);
    return item && typeof item.id === 'string' ? [{ index, item, id: item.id }] : [];
  });
  return all.filter((a) => all.filter((b) => b.id === a.id).length === 1);
}

export function rationaleOf(ctx: ContentContext, id: string): Section | undefined {
  return ctx.sections.find((s) => s.kind === 'rationale' && s.id === id);
}

export function summaryOf(ctx: ContentContext): Section | undefined {
  return ctx.sections.find((s) => s.kind === 'summary');
}
