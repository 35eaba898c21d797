/**
 * `.github/workflows/letters.yml`: its shape (checks and tests on pull requests; on main,
 * restore, build, archive, artifacts and Pages; npm and Chromium cached), and its
 * commands, run here as CI runs them: every `run:` uses only scripts of package.json and
 * commands of `bin/imr-letters.js`, and the build job's steps, run three times in a row
 * in a temporary project (the previous output handed over as the artifact would be),
 * keep issued letters exactly as issued.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { CHILD_TIMEOUT, root, setup } from './helpers.js';

const bin = path.join(root, 'bin', 'imr-letters.js');
const CASE = 'CM16-0229336';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  container?: string;
  steps: Step[];
  permissions?: Record<string, string>;
}
const workflow = parse(readFileSync(path.join(root, '.github', 'workflows', 'letters.yml'), 'utf8')) as { on: Record<string, unknown>; jobs: Record<string, Job> };
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const jobs = workflow.jobs;

/** Shell plumbing of the CI machine itself, not commands of the project. */
const CI_ONLY = [/^rm -f \/etc\/apt\/apt\.conf\.d\/docker-clean$/];

function runSteps(job: Job): Step[] {
  return job.steps.filter((s) => s.run !== undefined);
}

/** A step's shell command with the workflow's expressions filled in as GitHub would. */
function command(step: Step, matrix: Record<string, string> = {}): string {
  return step.run!
    .replace(/\$\{\{\s*github\.base_ref\s*\}\}/g, 'main')
    .replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (_m, k: string) => matrix[k] ?? `<matrix.${k}>`)
    .trim();
}

let tmp: string;
setup(() => {
  if (!existsSync(path.join(root, 'dist', 'cli.js'))) throw new Error('dist/ is missing: run `npm run compile` first (npm test does)');
  tmp = mkdtempSync(path.join(os.tmpdir(), 'imr-letters-workflow-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A project folder that uses this checkout's compiled code, with its own cases and out/. */
function project(name: string, cases: string[]): string {
  const dir = path.join(tmp, name);
  mkdirSync(path.join(dir, 'cases'), { recursive: true });
  for (const f of ['bin', 'templates', 'styles', 'schema', 'imr-letters.config.yaml', 'package.json', 'node_modules']) symlinkSync(path.join(root, f), path.join(dir, f));
  // The posted letter as posted: without the parties invented for its mailed letter, so
  // these runs make its public edition only; it says so (`publicOnly: true`), as an imported
  // letter does, or the archive refuses it (issue 10).
  for (const c of cases) {
    const text = readFileSync(path.join(root, 'cases', `${c}.md`), 'utf8').replace(/\n(?:#[^\n]*\n)*parties:\n(?: {2}[^\n]*\n)*/, '\npublicOnly: true\n');
    writeFileSync(path.join(dir, 'cases', `${c}.md`), text);
  }
  return dir;
}

/** A project whose cases are committed on `main`, which `origin/main` points at (a pull request's checkout). */
function gitProject(name: string, cases: string[]): string {
  const dir = project(name, cases);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'ci@example.invalid');
  git('config', 'user.name', 'CI');
  writeFileSync(path.join(dir, '.gitignore'), 'out/\nbin\ntemplates\nstyles\nschema\nnode_modules\nimr-letters.config.yaml\npackage.json\n');
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  return dir;
}

function sh(cmd: string, cwd: string, env: Record<string, string> = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env, CI: 'true', ...env };
  if (!env.GITHUB_ACTIONS) delete base.GITHUB_ACTIONS;
  return spawnSync('bash', ['-euo', 'pipefail', '-c', cmd], { cwd, env: base, encoding: 'utf8', timeout: CHILD_TIMEOUT });
}

function files(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  if (!existsSync(dir)) return out;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = statSync(p).mtimeMs;
    }
  };
  walk(dir);
  return out;
}

describe('the letters workflow', () => {
  it('checks and tests pull requests; builds, archives and publishes on main', () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['pull_request', 'push']));
    expect((workflow.on.push as { branches: string[] }).branches).toEqual(['main']);
    expect(jobs.check!.if).toContain("github.event_name == 'pull_request'");
    expect(jobs.build!.if).toContain("refs/heads/main");
    // Search (issue 13): a matrix job per decision year, then the catalog job, which publishes.
    expect(jobs.pages!.needs).toBe('search');
    expect(jobs['search-shard']!.needs).toBe('build');
    expect(jobs.search!.needs).toEqual(['build', 'search-shard']);
    expect((jobs['search-shard'] as Job & { strategy: { matrix: { year: string } } }).strategy.matrix.year).toBe('${{ fromJSON(needs.build.outputs.years) }}');
    const uses = (job: Job) => job.steps.map((s) => s.uses ?? '').filter(Boolean);
    expect(uses(jobs.pages!)).toEqual(['actions/deploy-pages@v4']);
    expect(uses(jobs.build!)).toEqual(expect.arrayContaining(['actions/upload-artifact@v4', 'actions/download-artifact@v4']));
    expect(uses(jobs.build!)).not.toContain('actions/upload-pages-artifact@v3');
    expect(uses(jobs.search!)).toEqual(expect.arrayContaining(['actions/upload-pages-artifact@v3', 'actions/download-artifact@v4']));
    // npm and Chromium are cached in both jobs.
    for (const job of [jobs.check!, jobs.build!]) {
      const cached = job.steps.filter((s) => s.uses === 'actions/cache@v4').map((s) => String(s.with?.path));
      expect(cached.some((p) => p.includes('.npm'))).toBe(true);
      expect(cached.some((p) => p.includes('/var/cache/apt/archives'))).toBe(true);
      expect(job.container).toBe('node:20-bookworm');
    }
    // On main, the earlier output is restored before the build, and the build before the archive.
    const order = runSteps(jobs.build!).map((s) => command(s));
    const at = (s: string) => order.findIndex((c) => c.includes(s));
    expect(at('imr-letters.js restore')).toBeGreaterThan(-1);
    expect(at('imr-letters.js restore')).toBeLessThan(at('imr-letters.js build'));
    expect(at('imr-letters.js build')).toBeLessThan(at('imr-letters.js archive'));
    const pagesUpload = jobs.search!.steps.find((s) => s.uses === 'actions/upload-pages-artifact@v3');
    expect(pagesUpload?.with?.path).toBe('out/archive/'); // the public archive only: no mailed letter is published
  });

  it('runs only commands of this project (package.json scripts, bin/imr-letters.js, setup.sh)', () => {
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' }).stdout;
    const commands = new Set([...help.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]!));
    expect(commands).toContain('restore');
    for (const job of Object.values(jobs)) {
      for (const step of runSteps(job)) {
        for (const part of command(step).split(/&&|>>/).map((p) => p.trim())) {
          if (CI_ONLY.some((re) => re.test(part))) continue;
          let m: RegExpExecArray | null;
          if ((m = /^npm run ([\w:-]+)(?: -- .*)?$/.exec(part))) expect(Object.keys(pkg.scripts), part).toContain(m[1]);
          else if (part === 'npm test') expect(pkg.scripts.test).toBeDefined();
          else if ((m = /^node bin\/imr-letters\.js ([a-z-]+)\b/.exec(part))) expect([...commands], part).toContain(m[1]);
          else if ((m = /^bash setup\.sh((?: --[a-z-]+)*)$/.exec(part))) for (const flag of m[1]!.trim().split(' ')) expect(readFileSync(path.join(root, 'setup.sh'), 'utf8')).toContain(`"${flag}"`);
          else if (/^(mkdir -p [\w./-]+|touch [\w./-]+|find out\/letters .*|"\$GITHUB_STEP_SUMMARY"|"\$GITHUB_OUTPUT")$/.test(part)) continue;
          else throw new Error(`unexpected command in the workflow: ${part}`);
        }
      }
    }
    expect(spawnSync('bash', ['-n', path.join(root, 'setup.sh')]).status).toBe(0);
  });

  it('check step: annotations on the lines, and every problem in the job summary', () => {
    const summary = path.join(tmp, 'summary.md');
    const step = runSteps(jobs.check!).find((s) => s.run!.includes('npm run check'))!;
    // The pull request's checkout: the shipped cases, committed on the base branch (origin/main).
    const shipped = readdirSync(path.join(root, 'cases')).filter((f) => f.endsWith('.md')).map((f) => f.replace(/\.md$/, ''));
    const pr = gitProject('check-issued', shipped);
    const ok = sh(command(step), pr, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).not.toContain('::error');
    expect(readFileSync(summary, 'utf8')).toMatch(/### imr-letters check: \d+ case files, 0 errors/);

    // An issued (final) letter edited in place fails the pull request, at its `revision:` line (issue 11).
    const file = path.join(pr, 'cases', `${CASE}.md`);
    const issued = readFileSync(file, 'utf8');
    // The summary's age and `patient.age` change together (rule summary-age-mismatch keeps them equal).
    const older = (text: string) => text.replace('This is a 78 year old male', 'This is a 79 year old male').replace(/^ {2}age: 78$/m, '  age: 79');
    writeFileSync(file, older(issued));
    const edited = sh(command(step), pr, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    expect(edited.status).toBe(1);
    const revisionLine = issued.split('\n').findIndex((l) => l.startsWith('revision:')) + 1;
    expect(edited.stdout).toContain(`::error file=cases/${CASE}.md,line=${revisionLine},col=11,`);
    expect(edited.stdout).toContain('title=issued-revision-changed::');
    // The same change as a correction (revision 2, its date, what it corrects) passes.
    writeFileSync(
      file,
      older(issued)
        .replace(/^revision: 1$/m, 'revision: 2\namends: Corrects the age.')
        .replace(/^  decision: (\d{4}-\d\d-\d\d)(.*)$/m, '  decision: $1$2\n  issued: $1'),
    );
    const corrected = sh(command(step), pr, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    expect(corrected.status, corrected.stdout).toBe(0);

    // The same command on a project with a broken case: GitHub annotations, with the file relative to the checkout.
    const dir = project('check-step', []);
    cpSync(path.join(root, 'test', 'fixtures', 'check', 'several-problems', 'input.md'), path.join(dir, 'cases', 'bad.md'));
    const bad = sh('node bin/imr-letters.js check cases', dir, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    expect(bad.status).toBe(1);
    const lines = bad.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(l).toMatch(/^::(error|warning) file=cases\/bad\.md,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[a-z-]+::/);
    const table = readFileSync(summary, 'utf8');
    expect(table).toContain('| where | severity | problem | rule |');
    expect(table.match(/\| cases\/bad\.md:\d+:\d+ \|/g)?.length).toBe(lines.length);
  });

  it('redline step: Markdown redlines of the cases a pull request changes', () => {
    const dir = gitProject('pr', [CASE]);
    const file = path.join(dir, 'cases', `${CASE}.md`);
    // The age, as the summary states it and in the data (the check holds them together).
    writeFileSync(file, readFileSync(file, 'utf8').replace('This is a 78 year old male', 'This is a 79 year old male').replace(/^  age: 78$/m, '  age: 79'));
    const summary = path.join(dir, 'summary.md');
    const step = runSteps(jobs.check!).find((s) => s.run!.includes('diff --changed-since'))!;
    const run = sh(command(step), dir, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    expect(run.status, run.stderr).toBe(0);
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('_1 case file changed since origin/main_');
    expect(md).toContain(`### ${CASE} · public edition`);
    expect(md).toContain('This is a <del>78</del><ins>79</ins> year old male');
    // The base branch's case is final: edited in place, the redline says so (issue 11).
    expect(md).toContain(`> **Error (issued-revision-changed):** ${CASE} revision 1 was issued`);
    expect(existsSync(path.join(dir, 'out', 'redline', `${CASE}-origin-main-working-copy-public.pdf`))).toBe(true);
  });

  it('build job, three runs: issued letters are restored, never rebuilt; each run collects only its new PDFs', () => {
    const dir = project('main', [CASE]);
    const steps = runSteps(jobs.build!).filter((s) => !CI_ONLY.some((re) => re.test(command(s))) && !s.run!.includes('setup.sh') && !s.run!.includes('npm run check'));
    expect(steps.map((s) => s.name)).toEqual([
      'Restore it (issued letters stay exactly as issued)',
      'Build the letters that changed',
      "Build the public archive (its pages; the search files come from the jobs below)",
      'The decision years (one search shard each)',
      "Collect this run's new PDFs",
    ]);
    // Then the search: the matrix's step per year, the catalog job's step (in the same folder,
    // as the artifacts would bring out/ and out/archive/ to them).
    const shardStep = runSteps(jobs['search-shard']!).find((s) => s.run!.includes('search shard'))!;
    const catalogStep = runSteps(jobs.search!).find((s) => s.run!.includes('search catalog'))!;
    const githubOutput = path.join(dir, 'github-output');
    /** One CI run: the previous output (if any) is in `previous-out`, as actions/download-artifact leaves it. */
    const ciRun = () => {
      rmSync(path.join(dir, 'out'), { recursive: true, force: true });
      rmSync(path.join(dir, 'new-letters'), { recursive: true, force: true });
      const logs: string[] = [];
      rmSync(path.join(dir, 'search-parts'), { recursive: true, force: true });
      writeFileSync(githubOutput, '');
      for (const step of steps) {
        const r = sh(command(step), dir, { GITHUB_OUTPUT: githubOutput });
        expect(r.status, `${step.name}: ${r.stderr}`).toBe(0);
        logs.push(r.stdout);
      }
      const years = JSON.parse(/^years=(.*)$/m.exec(readFileSync(githubOutput, 'utf8'))![1]!) as number[];
      for (const year of years) {
        const r = sh(command(shardStep, { year: String(year) }), dir);
        expect(r.status, `shard ${year}: ${r.stderr}`).toBe(0);
      }
      const r = sh(command(catalogStep), dir);
      expect(r.status, `catalog: ${r.stderr}`).toBe(0);
      logs.push(r.stdout);
      // actions/upload-artifact of `out/` without the archive, the redlines and hidden files.
      rmSync(path.join(dir, 'previous-out'), { recursive: true, force: true });
      cpSync(path.join(dir, 'out'), path.join(dir, 'previous-out'), { recursive: true, filter: (src) => !/[/\\](archive|redline|\.restored)$/.test(src) });
      return { logs: logs.join(''), newPdfs: Object.keys(files(path.join(dir, 'new-letters'))).sort() };
    };
    const v1Pdf = `out/letters/${CASE}/v1/${CASE}-v1-public.pdf`;

    const first = ciRun();
    expect(first.logs).toContain('nothing to restore');
    expect(first.newPdfs).toEqual([v1Pdf]);
    const issued = readFileSync(path.join(dir, v1Pdf));
    expect(existsSync(path.join(dir, 'out', 'archive', 'index.html'))).toBe(true);
    // The matrix's search files are the ones one machine writes (imr-letters archive).
    const matrixSearch = files(path.join(dir, 'out', 'archive', 'search'));
    expect(Object.keys(matrixSearch)).toContain('search.json');
    const whole = path.join(tmp, 'whole-out');
    cpSync(path.join(dir, 'out'), whole, { recursive: true, filter: (src) => !/[/\\]archive$/.test(src) });
    expect(sh(`node bin/imr-letters.js archive --out ${whole}`, dir).status).toBe(0);
    const bytesOf = (d: string) => Object.fromEntries(Object.keys(files(d)).map((f) => [f, readFileSync(path.join(d, f)).toString('base64')]));
    expect(bytesOf(path.join(whole, 'archive', 'search'))).toEqual(bytesOf(path.join(dir, 'out', 'archive', 'search')));

    const second = ciRun();
    expect(second.logs).toMatch(/restore: 1 letter revisions \(1 issued\)/);
    expect(second.logs).toContain(`unchanged ${CASE} v1`);
    expect(second.logs).toContain('0 built, 1 unchanged');
    expect(second.newPdfs).toEqual([]);
    expect(readFileSync(path.join(dir, v1Pdf)).equals(issued)).toBe(true);

    // A correction: revision 2. Revision 1 stays as issued; only revision 2 is new.
    const file = path.join(dir, 'cases', `${CASE}.md`);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^revision: 1$/m, 'revision: 2\namends: Corrects the age.').replace('This is a 78 year old male', 'This is a 79 year old male').replace(/^  age: 78$/m, '  age: 79').replace(/^  decision: (\d{4}-\d\d-\d\d)(.*)$/m, '  decision: $1$2\n  issued: $1'));
    const third = ciRun();
    expect(third.logs).toContain(`built     ${CASE} v2 final`);
    expect(third.newPdfs).toEqual([`out/letters/${CASE}/v2/${CASE}-v2-public.pdf`]);
    expect(readFileSync(path.join(dir, v1Pdf)).equals(issued)).toBe(true);
  });

  it('restore refuses an altered issued letter, and writes no manifest', () => {
    const dir = project('tampered', [CASE]);
    expect(sh('node bin/imr-letters.js build cases --out previous-out --html-only', dir).status).toBe(0);
    const html = path.join(dir, 'previous-out', 'letters', CASE, 'v1', `${CASE}-v1-public.html`);
    writeFileSync(html, readFileSync(html, 'utf8').replace('Overturned', 'Upheld'));
    const r = sh('node bin/imr-letters.js restore previous-out --out out', dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`letters/${CASE}/v1/${CASE}-v1-public.html: altered`);
    expect(existsSync(path.join(dir, 'out', 'manifest.json'))).toBe(false);
    expect(sh('node bin/imr-letters.js restore no-such-folder --out out --require', dir).status).toBe(2);
  });
});
