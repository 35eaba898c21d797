/**
 * The limits that keep hostile or mistaken input from exhausting memory or the stack,
 * in one place: the check, the archive's confidential scan and the importer read them
 * here. Real letters are far below each.
 */

/** Largest case file read, in bytes (2 MiB; real letters are under 40 kB). */
export const MAX_CASE_BYTES = 2 * 1024 * 1024;

/** Largest number of YAML aliases resolved in one file (50): stops "billion laughs". */
export const MAX_YAML_ALIASES = 50;

/** Deepest nesting of quotes and lists on one Markdown line (16). */
export const MAX_MARKDOWN_DEPTH = 16;

/** Longest run of one Markdown markup character (200). */
export const MAX_MARKUP_RUN = 200;

/** Largest posted decision (PDF or text) the importer reads, in bytes (20 MiB; posted decisions are under 200 kB). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
