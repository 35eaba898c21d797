/**
 * Facet tokens: how a filter value is indexed in the `f` column of a shard's FTS5 table,
 * one token per (key, value): `<key>_<value slug>`, lower case, every run of
 * non-alphanumerics one `_`: `category_diagnostic_testing`, `month_2016_05`. A filter is
 * `f:<token>` in a MATCH expression. The one place tokens are made; the search page gets
 * the value → token map in its JSON (`facetTokenMap`) and never derives them. Pure.
 *
 * The shards' tokenizer keeps `_` inside a token (`tokenchars '_'`), so a token is one
 * term of the index, never a phrase of its parts.
 */
import type { LetterFacets } from '../facets.js';

/** `key_value_slug`. */
export function facetToken(key: string, value: string): string {
  const slug = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
  const v = slug(value);
  return `${slug(key)}_${v || 'none'}`;
}

/** A letter's facet tokens, sorted, each once: the text of its `f` column. */
export function facetTokens(facets: LetterFacets): string[] {
  const tokens = new Set<string>();
  for (const [key, values] of Object.entries(facets)) for (const v of values) tokens.add(facetToken(key, v));
  return [...tokens].sort();
}

/** `{ key: { value: token } }` for the values given: what the search page's JSON carries. */
export function facetTokenMap(values: Record<string, Iterable<string>>): Record<string, Record<string, string>> {
  const map: Record<string, Record<string, string>> = {};
  for (const key of Object.keys(values).sort()) {
    map[key] = {};
    for (const v of [...values[key]!].sort()) map[key]![v] = facetToken(key, v);
  }
  return map;
}
