/**
 * The archive's cache of case files (`src/archive/case-cache.ts`): a file whose stamp is
 * unchanged is not read again; a changed one is; a stamp taken right after a change (racy)
 * is not kept.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaseFiles } from '../src/archive/cases.js';
import { RACY_MS } from '../src/build/state.js';
import { tempFolders } from './helpers.js';

const temp = tempFolders('i14q-case-cache');

const caseText = (name: string) => `---
case: CM16-0000001
revision: 1
status: final
parties:
  claimNumber: 05-123456-01
  injuredWorker:
    name: ${name}
---

# Clinical case summary
`;

const names = (values: { kind: string; value: string }[]) => values.filter((v) => v.kind === 'injured worker name').map((v) => v.value);
const settle = () => new Promise((resolve) => setTimeout(resolve, RACY_MS + 200));

describe('the case files cache of the archive', () => {
  it('keeps a file read under its stamp, reads it again once it changes, and does not keep a racy stamp', async () => {
    const dir = temp('cases');
    const file = path.join(dir, 'CM16-0000001.md');
    const cache = path.join(temp('out'), 'archive-cases.json');
    await writeFile(file, caseText('Maria Lopez'));
    // Just written: racy, so read but not kept.
    expect(names((await readCaseFiles([dir], { cache })).values)).toEqual(['Maria Lopez']);
    expect(JSON.parse(await readFile(cache, 'utf8')).files).toEqual({});
    await settle();
    expect(names((await readCaseFiles([dir], { cache })).values)).toEqual(['Maria Lopez']);
    const kept = JSON.parse(await readFile(cache, 'utf8')) as { files: Record<string, [string, { values: { kind: string; value: string }[] }]> };
    expect(Object.keys(kept.files)).toEqual([file]);
    // What the cache holds is what is used while the stamp is unchanged (the file is not read).
    kept.files[file]![1].values.find((v) => v.kind === 'injured worker name')!.value = 'From The Cache';
    await writeFile(cache, JSON.stringify(kept));
    expect(names((await readCaseFiles([dir], { cache })).values)).toEqual(['From The Cache']);
    // Changed: read again.
    await writeFile(file, caseText('Quentin Farthingale'));
    expect(names((await readCaseFiles([dir], { cache })).values)).toEqual(['Quentin Farthingale']);
  });
});
