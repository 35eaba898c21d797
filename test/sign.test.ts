/**
 * Signed issued letters, end to end: the test makes its own key and certificate with
 * openssl (PKCS#12 with a passphrase, outside the repository), builds `cases/` and a draft
 * with `IMR_SIGNING_P12` set, and verifies every PDF with poppler's `pdfsig`. A changed byte
 * fails verification; the same build signs to the same bytes; drafts stay unsigned; the
 * manifest and the archive's letter page say which are signed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../src/commands/build.js';
import { buildArchive } from '../src/archive/index.js';
import { loadSigningKey, SigningError } from '../src/print/sign.js';
import { SLOW, projectInputs, root, setup } from './helpers.js';

let tmp: string;
let p12: string;
let cases: string;
let outA: string;
let resultA: BuildResult;
const PASSPHRASE = 'test passphrase';

const pdfsig = (file: string) => spawnSync('pdfsig', [file], { encoding: 'utf8' });

async function signedBuild(out: string): Promise<BuildResult> {
  process.env.IMR_SIGNING_P12 = p12;
  process.env.IMR_SIGNING_PASSPHRASE = PASSPHRASE;
  try {
    return await build({ ...projectInputs, paths: [cases], out });
  } finally {
    delete process.env.IMR_SIGNING_P12;
    delete process.env.IMR_SIGNING_PASSPHRASE;
  }
}

setup(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'imr-sign-'));
  const key = path.join(tmp, 'key.pem');
  const cert = path.join(tmp, 'cert.pem');
  p12 = path.join(tmp, 'imr.p12');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '36500', '-subj', '/CN=Test IMR Organization/O=imr-letters tests'], { stdio: 'ignore' });
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', p12, '-passout', `pass:${PASSPHRASE}`], { stdio: 'ignore' });
  // The cases, and a draft (never signed).
  cases = path.join(tmp, 'cases');
  await mkdir(cases);
  for (const f of (await readdir(path.join(root, 'cases'))).filter((n) => n.endsWith('.md'))) {
    await writeFile(path.join(cases, f), await readFile(path.join(root, 'cases', f)));
  }
  const draft = (await readFile(path.join(root, 'cases', 'CM16-0233904.md'), 'utf8')).replace('case: CM16-0233904', 'case: CM16-0999904').replace(/^status: final/m, 'status: draft');
  expect(draft).toContain('status: draft');
  await writeFile(path.join(cases, 'CM16-0999904.md'), draft);
  outA = path.join(tmp, 'out-a');
  resultA = await signedBuild(outA);
  expect(resultA.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
}, SLOW);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('signed letters', () => {
  it('every PDF of a final revision carries a valid PAdES signature dated the decision date; drafts none', () => {
    let signed = 0;
    for (const l of resultA.manifest.letters) {
      for (const f of l.files.filter((x) => x.format === 'pdf')) {
        const r = pdfsig(path.join(outA, f.path));
        if (l.status === 'final') {
          expect(r.stdout, f.path).toContain('Signature Validation: Signature is Valid.');
          expect(r.stdout).toContain('Signature Type: ETSI.CAdES.detached');
          expect(r.stdout).toContain('Signer Certificate Common Name: Test IMR Organization');
          expect(r.stdout).toContain('Total document signed');
          const [y, m, d] = l.decisionDate.split('-');
          const month = new Date(`${l.decisionDate}T12:00:00Z`).toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
          expect(r.stdout).toContain(`Signing Time: ${month} ${d} ${y} 12:00:00`);
          expect(m).toBeTruthy();
          expect(f.signed).toBe(true);
          signed++;
        } else {
          expect(r.stdout + r.stderr).toMatch(/does not contain any signatures/);
          expect(f.signed).toBe(false);
        }
      }
    }
    expect(signed).toBe(12);
  });

  it('a changed byte anywhere in the signed range fails verification', async () => {
    const l = resultA.manifest.letters.find((x) => x.status === 'final')!;
    const file = path.join(outA, l.files.find((f) => f.format === 'pdf')!.path);
    const bytes = await readFile(file);
    for (const at of [100, Math.floor(bytes.length / 3), bytes.length - 20]) {
      const bad = Buffer.from(bytes);
      bad[at] = bad[at] === 0x41 ? 0x42 : 0x41;
      const badFile = path.join(tmp, `bad-${at}.pdf`);
      await writeFile(badFile, bad);
      const r = pdfsig(badFile);
      expect(r.stdout + r.stderr, `byte ${at}`).not.toContain('Signature is Valid');
    }
  });

  it('signs deterministically: a second build gives the same bytes', async () => {
    const outB = path.join(tmp, 'out-b');
    const resultB = await signedBuild(outB);
    for (const l of resultA.manifest.letters) {
      for (const f of l.files) expect((await readFile(path.join(outB, f.path))).equals(await readFile(path.join(outA, f.path))), f.path).toBe(true);
    }
    expect(resultB.letters.every((l) => l.state === 'built')).toBe(true);
    expect(await readFile(path.join(outB, 'manifest.json'), 'utf8')).toBe(await readFile(path.join(outA, 'manifest.json'), 'utf8'));
  }, SLOW);

  it('the signed PDF stays well-formed and keeps its archival metadata', () => {
    const l = resultA.manifest.letters.find((x) => x.status === 'final')!;
    const file = path.join(outA, l.files.find((f) => f.format === 'pdf')!.path);
    const check = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
    expect(check.status).toBe(0);
    expect(check.stdout + check.stderr).not.toContain('WARNING');
    expect(execFileSync('qpdf', ['--show-object=trailer', file], { encoding: 'utf8' })).toMatch(/\/ID \[ <[0-9a-f]{32}>/);
    expect(execFileSync('pdfinfo', ['-meta', file], { encoding: 'utf8' })).toContain('<pdfuaid:part>1</pdfuaid:part>');
  });

  it("the archive's letter page says whether its PDF is signed", async () => {
    await buildArchive({ out: outA, cases: [cases], templates: path.join(root, 'templates', 'archive'), styles: path.join(root, 'styles') });
    const page = await readFile(path.join(outA, 'archive', 'letters', 'CM16-0233904', 'v1', 'index.html'), 'utf8');
    expect(page).toContain('The PDF is digitally signed by the IMR organization.');
  }, SLOW);

  it('a wrong passphrase or a file without a key is a SigningError', async () => {
    expect(() => loadSigningKey(p12, 'wrong')).toThrow(SigningError);
    const certOnly = path.join(tmp, 'cert-only.p12');
    execFileSync('openssl', ['pkcs12', '-export', '-nokeys', '-in', path.join(tmp, 'cert.pem'), '-out', certOnly, '-passout', 'pass:x'], { stdio: 'ignore' });
    expect(() => loadSigningKey(certOnly, 'x')).toThrow(/no private key and certificate/);
  });
});

describe('unsigned by default', () => {
  it('without a configured PKCS#12 the PDFs carry no signature and the manifest says so', async () => {
    const out = path.join(tmp, 'out-unsigned');
    const result = await build({ ...projectInputs, paths: [path.join(cases, 'CM16-0233904.md')], out });
    const pdf = result.manifest.letters[0]!.files.find((f) => f.format === 'pdf')!;
    expect(pdf.signed).toBe(false);
    expect(pdfsig(path.join(out, pdf.path)).stdout + pdfsig(path.join(out, pdf.path)).stderr).toMatch(/does not contain any signatures/);
    await buildArchive({ out, cases: [cases], templates: path.join(root, 'templates', 'archive'), styles: path.join(root, 'styles') });
    expect(await readFile(path.join(out, 'archive', 'letters', 'CM16-0233904', 'v1', 'index.html'), 'utf8')).toContain('The PDF is not digitally signed.');
  }, SLOW);
});
