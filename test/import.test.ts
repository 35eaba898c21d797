/**
 * The importer: posted decisions (their `pdftotext -layout` text) → case files.
 *
 * Unit tests of each parsing step on small texts, then whole letters from
 * `test/fixtures/import/` (invented letters in the layout of the posted ones: a
 * modified request, an item that wraps over a page break, a page break inside a
 * rationale, odd guideline forms, a letter without the patient's age, an unparseable
 * one), then the `import` command writing files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { joinWrapped, toLines, toParagraphs, lineWidth } from '../src/import/layout.js';
import { isSplitWord, markSplitWords } from '../src/import/hyphenation.js';
import { keepDoubleSpaces } from '../src/import/spacing.js';
import { parseBbox } from '../src/import/pdftext.js';
import { publicFacts } from '../src/render/facts.js';
import { facetsOf } from '../src/archive/facets.js';
import { parseGuideline, parseLead } from '../src/import/items.js';
import { inferCategory, itemIdBase, itemIds, patientFacts } from '../src/import/infer.js';
import { escapeInline, markdownParagraph } from '../src/import/casefile.js';
import { formatCaseFile } from '../src/write/case-file.js';
import { boilerplate, isoDate, ISSUES_LEAD, SUMMARY_LEAD } from '../src/import/letter.js';
import { importLetter } from '../src/import/index.js';
import { importFiles, importSummary } from '../src/commands/import.js';
import { checkSource } from '../src/check/index.js';
import { checkPaths } from '../src/commands/check.js';
import { parse } from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const fixtures = path.join(here, 'fixtures', 'import');
const fixture = (name: string) => ({ file: path.join('test/fixtures/import', name), text: readFileSync(path.join(fixtures, name), 'utf8') });
const corpusPdf = path.resolve(root, '../shared/corpus/dwc-imr-2016-2017/pdf/CM16-0233904.pdf');

describe('layout text', () => {
  it('numbers lines and pages; a form feed starts a page', () => {
    const lines = toLines('a\nb\n\fc\nd\f');
    expect(lines.map((l) => [l.no, l.text, l.page, l.pageStart])).toEqual([
      [1, 'a', 1, false],
      [2, 'b', 1, false],
      [3, 'c', 2, true],
      [4, 'd', 2, false],
    ]);
  });

  it('joins wrapped lines: a space, none after a hyphen ending a word', () => {
    // Between digits, a zero width space marks where the original broke the word (the
    // renderer keeps such words whole unless marked).
    expect(joinWrapped('dated 10-30-', '2016, the worker')).toBe('dated 10-30-\u200B2016, the worker');
    expect(joinWrapped('the x-', 'ray shows')).toBe('the x-ray shows');
    // Word does not break after a slash: the letter had a space there.
    expect(joinWrapped('on 10/10/', '2016.')).toBe('on 10/10/ 2016.');
    expect(joinWrapped('imaging --', 'Magnetic')).toBe('imaging -- Magnetic');
    expect(joinWrapped('pre-', 'and post-operative')).toBe('pre- and post-operative');
    expect(joinWrapped('plain', 'words')).toBe('plain words');
  });

  it('keeps a paragraph whole over a page break, and ends one where the text says so', () => {
    const text = [
      'First paragraph that runs on and on to the end of the line, as text set in a letter does here',
      'and goes on at the top of the next page after this line which is also a long line of text',
      '\fwith the rest of the first paragraph, which closes on a short line.',
      '\fA new paragraph starts at the top of the page: the line before it ended short.',
      '',
      'Third.',
      '\fClaims Administrator guideline: a label at the top of a page starts a paragraph.',
    ].join('\n');
    const lines = toLines(text);
    const paras = toParagraphs(lines, { width: lineWidth(lines) });
    expect(paras.map((p) => p.text.slice(0, 20))).toEqual(['First paragraph that', 'A new paragraph star', 'Third.', 'Claims Administrator']);
    expect(paras[0]!.text).toContain('next page after this line which is also a long line of text with the rest');
  });
});

describe('item lines', () => {
  it('reads a plain request, with a colon inside', () => {
    expect(parseLead('Oxycodone HCL ER 20mg #60 day supply: 30: Overturned')).toEqual({
      ok: true,
      value: { request: 'Oxycodone HCL ER 20mg #60 day supply: 30', decision: 'Overturned' },
    });
  });

  it('reads a modified request in the partial form, with and without "is"', () => {
    const text = 'Baclofen 100mg #30 was the original request. Baclofen 100mg #27 was authorized by the Claims Administrator. The remaining IMR eligible portion of the original request, Baclofen 100mg #3';
    expect(parseLead(`${text} is: Upheld`)).toEqual({
      ok: true,
      value: { request: 'Baclofen 100mg #30', decision: 'Upheld', modified: { form: 'partial', authorized: 'Baclofen 100mg #27', remainder: 'Baclofen 100mg #3' } },
    });
    const r = parseLead(`${text}: Upheld`);
    expect(r.ok && r.value.modified).toEqual({ form: 'partial', authorized: 'Baclofen 100mg #27', remainder: 'Baclofen 100mg #3', printIs: false });
  });

  it('reads a modified request in the alternative form; the remainder defaults to the request', () => {
    const r = parseLead(
      'Partial Hospitalization day treatment was the original request. The Claims Administrator authorized an Evaluation only, leaving the original request IMR eligible. The original request, Partial Hospitalization day treatment is: Overturned',
    );
    expect(r).toEqual({
      ok: true,
      value: { request: 'Partial Hospitalization day treatment', decision: 'Overturned', modified: { form: 'alternative', authorized: 'an Evaluation only' } },
    });
    const lower = parseLead('Purchase of a chair was the original request. The Claims Administrator authorized a chair for 1 month, leaving the original request IMR eligible. The original request, purchase of a chair is: Upheld');
    expect(lower.ok && lower.value.modified?.remainder).toBe('purchase of a chair');
  });

  it('refuses an item line without a decision, or a modified form of its own', () => {
    expect(parseLead('Norco 10/325mg #120 Upheld')).toMatchObject({ ok: false, reason: expect.stringContaining('": Upheld"') });
    expect(parseLead('X was the original request. Y was approved. Z is: Upheld')).toMatchObject({ ok: false, reason: expect.stringContaining('neither form') });
  });
});

describe('guidelines', () => {
  it('reads statements and citations, several of them', () => {
    expect(
      parseGuideline(
        ' The Claims Administrator based their decision on recommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines (ODG), Low Back, Physical therapy.',
        'The Claims Administrator',
      ),
    ).toEqual({ ok: true, value: ['outside-mtus', { nonMtus: 'Official Disability Guidelines (ODG), Low Back, Physical therapy' }] });
    expect(
      parseGuideline('Decision based on MTUS Low Back Complaints 2004, Section(s): Summary, and Chronic Pain Medical Treatment 2016, Section(s): Facet blocks. Decision based on Non-MTUS Citation ACOEM, 3rd ed., pg. 607.', 'The Expert Reviewer'),
    ).toEqual({
      ok: true,
      value: [{ mtus: 'Low Back Complaints 2004, Section(s): Summary, and Chronic Pain Medical Treatment 2016, Section(s): Facet blocks' }, { nonMtus: 'ACOEM, 3rd ed., pg. 607' }],
    });
    expect(parseGuideline('The Expert Reviewer did not cite any medical evidence for its decision.', 'The Expert Reviewer')).toEqual({ ok: true, value: ['none'] });
  });

  it('keeps odd forms as text: a citation without a source, no final period, another speaker', () => {
    expect(parseGuideline('Decision based on Non-MTUS Citation', 'The Claims Administrator')).toEqual({ ok: true, value: [{ text: 'Decision based on Non-MTUS Citation' }] });
    expect(parseGuideline('Decision based on MTUS Opioid Treatment 2016. Decision based on ODG', 'The Expert Reviewer')).toEqual({
      ok: true,
      value: [{ mtus: 'Opioid Treatment 2016' }, { text: 'Decision based on ODG' }],
    });
    expect(parseGuideline('The Claims Administrator did not cite any medical evidence for its decision.', 'The Expert Reviewer')).toEqual({
      ok: true,
      value: [{ text: 'The Claims Administrator did not cite any medical evidence for its decision.' }],
    });
  });

  it('refuses an empty guideline', () => {
    expect(parseGuideline('  ', 'The Expert Reviewer').ok).toBe(false);
  });
});

describe('inferred facts', () => {
  it('reads the age and sex the summary states', () => {
    expect(patientFacts('The injured worker is a 37 year old female who sustained')).toMatchObject({ age: 37, sex: 'female' });
    expect(patientFacts('This case involves a now 26-year-old female with a history')).toMatchObject({ age: 26, sex: 'female' });
    expect(patientFacts('The applicant is a 58-year-old former warehouse worker, a man who')).toMatchObject({ age: 58, sex: 'unspecified' });
    expect(patientFacts('The injured worker sustained an injury on 10-26-2016.')).toEqual({ sex: 'unspecified' });
    expect(patientFacts('The injured worker is a right-handed female who sustained an injury.')).toEqual({ sex: 'female', evidence: 'is a right-handed female' });
    expect(patientFacts('The injured worker saw a female physician.')).toEqual({ sex: 'unspecified' });
  });

  it('infers the request category from keywords, then from the guidelines', () => {
    const cat = (request: string, guidelines = '') => inferCategory(request, guidelines)?.category;
    expect(cat('MRI of the right shoulder without contrast')).toBe('Diagnostic Testing');
    expect(cat('Norco 7.5-325mg #112')).toBe('Pharmaceuticals');
    expect(cat('Associated surgical service: Shoulder sling with abduction pillow')).toBe('DMEPOS');
    expect(cat('Post-op physical therapy 2 times a week for 4 weeks')).toBe('Rehabilitation');
    expect(cat('Right L5-S1 epidural steroid injection')).toBe('Injection');
    expect(cat('Consult with hip replacement specialist')).toBe('Evaluation & Management');
    expect(cat('Right knee arthroscopy with evaluation of ACL, medial meniscectomy')).toBe('Surgery');
    expect(cat('Comprehensive psychological testing')).toBe('Psych Services');
    expect(cat('Pre-op labs: PT/PTT')).toBe('Diagnostic Testing');
    expect(cat('Etodolac')).toBe('Pharmaceuticals');
    expect(cat('Zyxorbital', 'Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Opioids')).toBe('Pharmaceuticals');
    expect(inferCategory('Zyxorbital', 'Decision based on ODG')).toBeUndefined();
  });

  it('joins a word split at a line end by the general rule; compounds keep their hyphen', () => {
    const words = new Set(['medication', 'cation', 'follow', 'up', 'followup', 're', 'evaluation', 'reevaluation', 'xray', 'ray', 'treatment']);
    const isWord = (w: string) => words.has(w);
    const none = new Set<string>();
    expect(isSplitWord('medi', 'cation', none, isWord)).toBe(true); // `medi` is no word, `medication` is
    expect(isSplitWord('follow', 'up', none, isWord)).toBe(false); // two words: a compound
    expect(isSplitWord('re', 'evaluation', none, isWord)).toBe(false);
    expect(isSplitWord('x', 'ray', none, isWord)).toBe(false); // one letter: never a split
    expect(isSplitWord('Exami', 'nation', new Set(['examination']), () => false)).toBe(true); // elsewhere in the letter
    expect(isSplitWord('treat', 'ment', new Set(['treat-ment']), isWord)).toBe(false); // hyphenated elsewhere
    expect(isSplitWord('zyx', 'qwv', none, isWord)).toBe(false); // no evidence: the hyphen stays
    const join = (text: string) => toParagraphs(markSplitWords(toLines(text), isWord), { width: 90 })[0]!.text;
    expect(join('The medi-\ncation and the treat-\nment and a follow-\nup, pre- and post-op, 10-30-\n2016.')).toBe('The medi\u00ADcation and the treat\u00ADment and a follow-up, pre- and post-op, 10-30-\u200B2016.');
    expect(join('A soft hyphen: medi\u00AD\ncation.')).toBe('A soft hyphen: medi\u00ADcation.');
    expect(join('Shown by a hyphen: medi\u00AD-\ncation.')).toBe('Shown by a hyphen: medi\u00ADcation.');
  });

  it('categories: drug names, dosage and drug-class stems; then guideline sections; else unknown', () => {
    const cat = (request: string, guidelines = '') => inferCategory(request, guidelines)?.category;
    expect(cat('Esomeprazole 40mg #30')).toBe('Pharmaceuticals');
    expect(cat('Piroxicam')).toBe('Pharmaceuticals'); // -oxicam
    expect(cat('Clonazepam')).toBe('Pharmaceuticals'); // -azepam
    expect(cat('Synvisc one for the left knee')).toBe('Injection');
    expect(cat('H-wave device purchase')).toBe('DMEPOS');
    expect(cat('Home assistance 4 hours a day')).toBe('Home Health');
    expect(cat('Hardware removal, right ankle')).toBe('Surgery');
    expect(cat('Sleep study')).toBe('Diagnostic Testing');
    expect(cat('Hyperbaric oxygen therapy')).toBe('Therapies');
    expect(cat('Prescribed by April 2017')).toBeUndefined(); // `April` is no drug-class stem
    expect(cat('Quantum field harmonization', 'Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Benzodiazepines')).toBe('Pharmaceuticals');
  });

  it('keeps two spaces where the PDF sets a wide gap between two words of a paragraph', () => {
    const w = (text: string, wide: number[] = []) => text.split(' ').map((word, i) => ({ word, wide: wide.includes(i) }));
    // The PDF's words: a heading, paragraph 1 (wide gap after "one."), an item line, paragraph 2 split over a page with a footer.
    const words = [...w('SUMMARY'), ...w('Sentence one. Sentence two.', [1]), ...w('MRI: Upheld', [0]), ...w('It was medi- cation. Page 1 of 2 Then more.', [3])];
    expect(keepDoubleSpaces(['Sentence one. Sentence two.', 'It was medi\u00ADcation. Then more.'], words)).toEqual(['Sentence one.  Sentence two.', 'It was medi\u00ADcation. Then more.']);
    expect(keepDoubleSpaces(['A b. C d.'], w('A b. C d.', [1]))).toEqual(['A b.  C d.']);
    expect(keepDoubleSpaces(['A b. C d.'], undefined)).toEqual(['A b. C d.']);
    // pdftotext -bbox: a gap over 1.5 spaces (the median gap of a line's words) is wide.
    const box = (x0: number, x1: number, word: string, y = 100) => `<word xMin="${x0}" yMin="${y}" xMax="${x1}" yMax="${y + 10.8}">${word}</word>`;
    const bbox = [box(72, 100, 'one.'), box(106, 130, 'Two'), box(133, 150, 'three'), box(153, 170, 'four'), box(173, 180, 'a'), box(72, 90, 'next', 114)].join('\n');
    expect(parseBbox(bbox)).toEqual(['one.', 'Two', 'three', 'four', 'a', 'next'].map((word, i) => ({ word, wide: i === 0 })));
    // The case file keeps the two spaces and never wraps there.
    expect(markdownParagraph('One.  Two three.', 8)).toEqual(['One.  Two', 'three.']);
  });

  it('makes short, unique kebab-case ids', () => {
    expect(itemIdBase('MRI (magnetic resonance imaging) of the cervical spine')).toBe('mri-cervical-spine');
    expect(itemIdBase('X-ray of the pelvis')).toBe('x-ray-pelvis');
    expect(itemIdBase('Associated surgical service: EKG')).toBe('ekg');
    expect(itemIds(['Physical therapy', 'Physical therapy', 'Physical therapy'])).toEqual(['physical-therapy', 'physical-therapy-2', 'physical-therapy-3']);
    expect(itemIds(['', '***'])).toEqual(['item', 'item-2']);
  });

  it('reads header dates', () => {
    expect(isoDate('12/09/2016')).toBe('2016-12-09');
    expect(isoDate('02/30/2017')).toBeUndefined();
    expect(isoDate('2016-12-09')).toBeUndefined();
  });
});

describe('case file text', () => {
  it('escapes what Markdown would read as markup', () => {
    expect(escapeInline('a *b* _c_ <d> [e](f) `g` ~h~ x|y &amp; & \\')).toBe('a \\*b\\* \\_c\\_ \\<d\\> \\[e\\](f) \\`g\\` \\~h\\~ x\\|y \\&amp; & \\\\');
  });

  it('wraps paragraphs and escapes line starts that would open a block', () => {
    const lines = markdownParagraph('aaaa 1. bbbb - cccc # dddd + eeee > ffff 2) gggg ==== hhhh', 4);
    expect(lines).toEqual(['aaaa', '1\\.', 'bbbb', '\\-', 'cccc', '\\#', 'dddd', '\\+', 'eeee', '\\>', 'ffff', '2\\)', 'gggg', '\\====', 'hhhh']);
  });

  it('writes YAML values that read back as written, quoted only when needed, comments kept', () => {
    const values = ['MRI of the right shoulder', 'Baclofen 100mg #30', 'Labs to include: EKG', 'yes', '1 knee scooter', '#60 tablets', 'trailing:', '"quoted"', '- dash', 'a\u200Bb'];
    const text = formatCaseFile({ data: { k: values, l: ['Physical Medicine & Rehabilitation', 'a, b'] }, flow: [['l']], notes: [{ path: ['k', 1], text: 'a note' }], header: ['top'], body: '' });
    const yaml = /^---\n([\s\S]*?)---\n$/.exec(text)![1]!;
    expect(parse(yaml)).toEqual({ k: values, l: ['Physical Medicine & Rehabilitation', 'a, b'] });
    expect(text).toContain('  - MRI of the right shoulder\n');
    expect(text).toContain('# a note');
    expect(text).toContain('l: [Physical Medicine & Rehabilitation, "a, b"]');
    expect(text).toContain('"a\\u200Bb"');
    expect(text.startsWith('---\n# top\n')).toBe(true);
  });

  it('expects the templates\' fixed sentences', () => {
    const strip = (s: string) =>
      s
        .replace(/\{\{org\.name\}\}/g, 'MAXIMUS Federal Services')
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    const partial = (name: string) => strip(readFileSync(path.join(root, 'templates', 'partials', name), 'utf8'));
    expect(partial('how-made.hbs')).toContain(boilerplate('MAXIMUS Federal Services'));
    expect(partial('summary.hbs')).toContain(SUMMARY_LEAD);
    expect(partial('issues.hbs')).toContain(ISSUES_LEAD);
  });
});

describe('whole letters', () => {
  it('imports items: a plain one, a modified request, an item line wrapped over a page break', () => {
    const r = importLetter(fixture('letter-items.txt'));
    expect(r.diagnostics).toEqual([]);
    const c = checkSource({ file: 'x.md', text: r.caseFile! });
    expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const d = c.case!.data;
    expect(d).toMatchObject({
      case: 'CM16-0900101',
      revision: 1,
      status: 'final',
      priority: 'Standard',
      dates: { injury: '2016-10-26', urDenial: '2016-11-09', applicationReceived: '2016-12-05', assigned: '2016-12-09', decision: '2017-01-06' },
      reviewer: { licensure: ['Texas', 'California'], licensureSeparator: ',', specialties: ['Preventive Medicine', 'Occupational Medicine', 'Public Health & General Preventive Medicine'] },
      patient: { age: 52, sex: 'male' },
    });
    expect(d.parties).toBeUndefined();
    expect(d.items.map((i) => [i.id, i.category, i.decision])).toEqual([
      ['naproxen-550mg-60', 'Pharmaceuticals', 'Upheld'],
      ['cyclobenzaprine-7-5mg-90', 'Pharmaceuticals', 'Upheld'],
      ['additional-physical-therapy-two-week', 'Rehabilitation', 'Overturned'],
    ]);
    expect(d.items[1]!.modified).toEqual({ form: 'partial', authorized: 'Cyclobenzaprine 7.5mg #60', remainder: 'Cyclobenzaprine 7.5mg #30', printIs: false });
    expect(d.items[2]!.request).toBe('Additional physical therapy two times a week for four weeks for the lumbar spine and the left lower extremity');
    expect(d.items[0]!.imroGuideline).toEqual([
      { mtus: 'Chronic Pain Medical Treatment 2016, Section(s): NSAIDs (non-steroidal anti-inflammatory drugs)' },
      { nonMtus: 'Official Disability Guidelines (ODG), Pain Chapter' },
    ]);
    // The rationale before the page break ends where the next item line starts.
    expect(r.letter!.items[1]!.rationale).toEqual([
      'Muscle relaxants are recommended for short-term treatment of acute exacerbations of chronic low back pain. Long-term use is not recommended, and the remaining portion of the request for cyclobenzaprine is therefore not medically necessary at this time.',
    ]);
    // A date wrapped after its hyphen is one word again; Markdown characters are escaped.
    expect(r.letter!.summary[0]).toContain('dated 10-30-\u200B2016, the worker');
    expect(r.caseFile).toContain('dated 10-30-&#x200B;2016, the worker');
    expect(r.caseFile).toContain('\\*stars\\*');
    expect(r.caseFile).toMatch(/^# Imported by `imr-letters import` from test\/fixtures\/import\/letter-items\.txt$/m);
  });

  it('imports a page break inside a rationale, a paragraph ending at a page\'s end and odd guideline forms', () => {
    const r = importLetter(fixture('letter-odd.txt'));
    expect(r.diagnostics).toEqual([]);
    const item = r.letter!.items[0]!;
    expect(item.modified).toEqual({ form: 'alternative', authorized: 'Acupuncture 6 sessions', remainder: 'acupuncture 12 sessions' });
    expect(item.claimsAdministratorGuideline).toEqual([{ text: 'Decision based on Non-MTUS Citation' }]);
    expect(item.imroGuideline).toEqual(['outside-mtus', { nonMtus: 'Official Disability Guidelines, Neck and Upper Back, Acupuncture' }, { text: 'Decision based on ODG' }]);
    expect(item.rationale).toHaveLength(2);
    expect(item.rationale[0]).toContain('over 2 weeks, with evidence of objective functional improvement');
    expect(item.rationale[1]).toBe('"Acupuncture is an option when pain medication is reduced or not tolerated." The records do not show that.');
    expect(r.letter!.patient).toEqual({ age: 61, sex: 'female' });
  });

  it('imports what a letter does not state as unstated: no age, an unknown category (a warning), nothing guessed', () => {
    const r = importLetter(fixture('letter-no-age.txt'));
    expect(r.caseFile).toBeDefined();
    expect(r.letter!.patient).toEqual({ sex: 'unspecified' });
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ file: 'test/fixtures/import/letter-no-age.txt', line: 41, rule: 'import-category', severity: 'warning', message: expect.stringContaining('"Quantum field harmonization"') }),
    ]);
    const c = checkSource({ file: 'CM16-0900103.md', text: r.caseFile! });
    expect(c.diagnostics.map((d) => [d.severity, d.rule])).toEqual([['warning', 'category-unknown']]);
    expect(c.case!.data.patient).toEqual({ sex: 'unspecified' });
    expect(c.case!.data.items.map((i) => i.category)).toEqual(['Diagnostic Testing', 'unknown']);
    expect(r.caseFile).toContain('# age: the summary does not state it');
    // The archive: "Unknown" among the categories, and no age.
    const facts = publicFacts(c.case!);
    expect(facts.patient).toEqual({ age: null, sex: 'unspecified' });
    expect(facetsOf(facts).category).toEqual(['Diagnostic Testing', 'Unknown']);
    // A word split at a line end is joined; a compound that occurs elsewhere keeps its hyphen.
    expect(r.letter!.summary[0]).toContain('included medi\u00ADcation, a follow-up visit');
    expect(r.caseFile).toMatch(/included\s+medi&#xAD;cation, a follow-up visit/);
    expect(r.letter!.summary[0]).toContain('and a follow-up visit in six weeks.');
  });

  it('reports every problem of an unparseable letter at its line, and writes nothing', () => {
    const r = importLetter(fixture('letter-unparseable.txt'));
    expect(r.caseFile).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.line, d.column, d.rule])).toEqual([
      [18, 31, 'import-reviewer'],
      [30, 1, 'import-items'],
    ]);
    expect(r.diagnostics[0]!.message).toContain('"Atlantis"');
    expect(r.diagnostics[1]!.message).toContain('Norco 10/325mg #120 Upheld');
  });

  it('reports text that is not a posted decision', () => {
    expect(importLetter({ file: 'empty.txt', text: '\f' }).diagnostics.map((d) => d.rule)).toEqual(['import-empty']);
    const r = importLetter({ file: 'notes.txt', text: 'Some notes\nthat are not a letter\n' });
    expect(r.caseFile).toBeUndefined();
    expect(new Set(r.diagnostics.map((d) => d.rule))).toEqual(new Set(['import-structure']));
  });

  it('reports a header field it cannot read', () => {
    const { file, text } = fixture('letter-items.txt');
    const r = importLetter({ file, text: text.replace('Decision Date:         01/06/2017', 'Decision Date:         13/06/2017') });
    expect(r.diagnostics).toEqual([expect.objectContaining({ line: 3, column: 24, rule: 'import-header', message: expect.stringContaining('"13/06/2017"') })]);
  });
});

describe('imr-letters import', () => {
  const dirs: string[] = [];
  const tmp = async () => {
    const d = await mkdtemp(path.join(os.tmpdir(), 'imr-import-'));
    dirs.push(d);
    return d;
  };
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  it('imports a folder: valid case files for the good letters, none for the others, and a summary', async () => {
    const into = await tmp();
    const lines: string[] = [];
    const run = await importFiles({ paths: [fixtures], into, log: (l) => lines.push(l) });
    expect(run.files.map((f) => [path.basename(f.file), f.state])).toEqual([
      ['letter-items.txt', 'written'],
      ['letter-no-age.txt', 'written'],
      ['letter-odd.txt', 'written'],
      ['letter-unparseable.txt', 'failed'],
    ]);
    expect((await readdir(into)).sort()).toEqual(['CM16-0900101.md', 'CM16-0900103.md', 'CM17-0900102.md']);
    const checked = await checkPaths([into]);
    expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(checked.cases).toHaveLength(3);
    expect(run.diagnostics.map((d) => [path.basename(d.file), d.line, d.rule])).toEqual([
      ['letter-no-age.txt', 41, 'import-category'],
      ['letter-unparseable.txt', 18, 'import-reviewer'],
      ['letter-unparseable.txt', 30, 'import-items'],
    ]);
    expect(importSummary(run)).toMatch(/^4 letters: 3 written, 0 unchanged, 1 not imported, in \d+\.\d s$/);
    expect(lines).toHaveLength(4);
    // The schema comment points at the project's schema from the output folder.
    const text = await readFile(path.join(into, 'CM16-0900101.md'), 'utf8');
    const schemaRef = /\$schema=(\S+)/.exec(text)![1]!;
    expect(existsSync(path.resolve(into, schemaRef))).toBe(true);
  });

  it('leaves an identical file alone, refuses to overwrite an edited one unless forced', async () => {
    const into = await tmp();
    const file = path.join(fixtures, 'letter-items.txt');
    expect((await importFiles({ paths: [file], into })).files[0]!.state).toBe('written');
    expect((await importFiles({ paths: [file], into })).files[0]!.state).toBe('unchanged');
    const target = path.join(into, 'CM16-0900101.md');
    await writeFile(target, `${await readFile(target, 'utf8')}\nAn author's edit.\n`);
    const refused = await importFiles({ paths: [file], into });
    expect(refused.files[0]!.state).toBe('skipped');
    expect(refused.diagnostics.map((d) => d.rule)).toEqual(['import-exists']);
    expect(await readFile(target, 'utf8')).toContain("An author's edit.");
    expect((await importFiles({ paths: [file], into, force: true })).files[0]!.state).toBe('written');
    expect(await readFile(target, 'utf8')).not.toContain("An author's edit.");
  });

  it('imports one letter once: a second file with the same case number is refused', async () => {
    const into = await tmp();
    const copy = path.join(await tmp(), 'copy.txt');
    await copyFile(path.join(fixtures, 'letter-items.txt'), copy);
    const run = await importFiles({ paths: [path.join(fixtures, 'letter-items.txt'), copy], into });
    expect(run.files.map((f) => f.state)).toEqual(['written', 'skipped']);
    expect(run.diagnostics.map((d) => [d.file, d.rule])).toEqual([[copy, 'import-duplicate']]);
  });

  it('reports a file that cannot be read: a damaged PDF, a missing file', async () => {
    const dir = await tmp();
    const bad = path.join(dir, 'damaged.pdf');
    await writeFile(bad, 'not a PDF at all');
    const run = await importFiles({ paths: [bad, path.join(dir, 'missing.pdf')], into: path.join(dir, 'out') });
    expect(run.diagnostics.map((d) => [path.basename(d.file), d.rule])).toEqual([
      ['missing.pdf', 'not-found'],
      ['damaged.pdf', 'import-read'],
    ]);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('reads a posted PDF through pdftotext -layout', async () => {
    const into = await tmp();
    const run = await importFiles({ paths: [corpusPdf], into });
    expect(run.diagnostics).toEqual([]);
    const text = await readFile(path.join(into, 'CM16-0233904.md'), 'utf8');
    const c = checkSource({ file: 'CM16-0233904.md', text }).case!;
    expect(c.data.items[0]).toMatchObject({ request: 'Baclofen 100mg #30', modified: { form: 'partial', remainder: 'Baclofen 100mg #3', printIs: false } });
    // The hand-made case file of the same letter holds the same data (ids, categories and its invented parties aside).
    const hand = checkSource({ file: 'cases/CM16-0233904.md', text: readFileSync(path.join(root, 'cases', 'CM16-0233904.md'), 'utf8') }).case!;
    expect(c.data.parties).toBeUndefined();
    // Issue 10: an imported letter says it has no parties on record, so the archive may publish it.
    expect(c.data.publicOnly).toBe(true);
    const strip = (d: typeof c.data) => ({ ...d, parties: undefined, publicOnly: undefined, items: d.items.map(({ id: _id, category: _c, ...rest }) => rest) });
    expect(strip(c.data)).toEqual(strip(hand.data));
  });
});
