/**
 * Content rules: what the letter says against what the case decides (see README
 * "Check rules"). Each rule is a pure function of the `ContentContext`.
 */
import type { Document } from 'yaml';
import type { Diagnostic, Span } from '../../diagnostics.js';
import type { Section } from '../sections.js';
import type { PathKey } from '../validate.js';
import { contentContext, type ContentRule } from './context.js';
import { decisionRule } from './decision.js';
import { deadlineRule } from './deadline.js';
import { listsRule } from './lists.js';
import { placeholderRule } from './placeholder.js';
import { summaryRule } from './summary.js';
import { wordsRule } from './words.js';

export { characterRule } from './characters.js';

export const CONTENT_RULES: readonly ContentRule[] = [decisionRule, summaryRule, deadlineRule, listsRule, wordsRule];

export interface ContentInput {
  file: string;
  source: string;
  data: Record<string, unknown>;
  sections: readonly Section[];
  doc: Document.Parsed | undefined;
  yamlSpan: (range: readonly [number, number] | undefined) => Span;
  at: (path: readonly PathKey[]) => Span;
  /** Whether the schema refused the value at a path. */
  invalid?: (path: readonly PathKey[]) => boolean;
}

export function checkContent(input: ContentInput): Diagnostic[] {
  const ctx = contentContext(input.file, input.source, input.data, input.sections, input.at, input.invalid);
  return [...CONTENT_RULES.flatMap((rule) => rule(ctx)), ...placeholderRule(ctx, input.doc, input.yamlSpan)];
}
