import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { guardWorkspacePath, type RealPath, type WorkspaceRoot } from '../../../src/tools/pathGuard';

const realPath: RealPath = async (absolute) => {
  try {
    return await fs.promises.realpath(absolute);
  } catch {
    return undefined;
  }
};

describe('guardWorkspacePath', () => {
  let base: string;
  let app: WorkspaceRoot;
  let lib: WorkspaceRoot;

  before(() => {
    // base/app (workspace), base/app-secrets (a sibling whose name starts like it), base/lib
    // (a second root), base/outside (never reachable), and links from inside to outside.
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fox-guard-')));
    for (const dir of ['app/src', 'app-secrets', 'lib', 'outside/deep']) fs.mkdirSync(path.join(base, dir), { recursive: true });
    fs.writeFileSync(path.join(base, 'app/src/index.ts'), 'export {};\n');
    fs.writeFileSync(path.join(base, 'app/..notes'), 'a file whose name starts with two dots\n');
    fs.writeFileSync(path.join(base, 'app-secrets/key.txt'), 'secret\n');
    fs.writeFileSync(path.join(base, 'outside/passwd'), 'root:x:0:0\n');
    fs.writeFileSync(path.join(base, 'lib/util.ts'), 'export {};\n');
    fs.symlinkSync(path.join(base, 'outside'), path.join(base, 'app/linked-out'));
    fs.symlinkSync(path.join(base, 'outside/passwd'), path.join(base, 'app/passwd-link'));
    fs.symlinkSync(path.join(base, 'app/src'), path.join(base, 'app/src-link'));
    fs.mkdirSync(path.join(base, 'app/.git'));
    fs.writeFileSync(path.join(base, 'app/.git/config'), '[remote "origin"]\n\turl = https://token@example.com/repo.git\n');
    fs.symlinkSync(path.join(base, 'app/.git/config'), path.join(base, 'app/git-config-link'));
    app = { name: 'app', fsPath: path.join(base, 'app') };
    lib = { name: 'lib', fsPath: path.join(base, 'lib') };
  });

  after(() => fs.rmSync(base, { recursive: true, force: true }));

  const escapes: Array<[string, string]> = [
    ['..', 'parent folder'],
    ['../outside/passwd', 'climbing out'],
    ['../app-secrets/key.txt', 'a sibling whose name starts like the root'],
    ['src/../../outside/passwd', 'climbing out from inside'],
    ['src/./../../../../../etc/passwd', 'deep climb'],
    ['..\\outside\\passwd', 'Windows separators'],
    ['src\\..\\..\\outside', 'mixed separators'],
    ['/etc/passwd', 'absolute POSIX path'],
    ['//server/share/file', 'UNC-like path'],
    ['\\\\server\\share\\file', 'UNC path'],
    ['C:\\Windows\\win.ini', 'drive letter'],
    ['c:/Windows/win.ini', 'drive letter, forward slashes'],
    ['file:///etc/passwd', 'file URI'],
    ['vscode-remote://host/etc/passwd', 'other URI'],
    ['~/.ssh/id_rsa', 'home directory'],
    ['~', 'home directory itself'],
    ['src/index.ts\0.png', 'NUL byte'],
    ['linked-out/passwd', 'symlinked folder pointing outside'],
    ['linked-out/deep/new-file.ts', 'not-yet-existing file under a link pointing outside'],
    ['passwd-link', 'symlinked file pointing outside'],
    ['git-config-link', 'symlinked file pointing into .git'],
    ['.git/config', 'git internals (remote URLs may carry tokens)'],
    ['src/../.git/HEAD', 'git internals reached through ..'],
    ['.hg/hgrc', 'Mercurial internals'],
    ['vendor/.svn/entries', 'Subversion internals in a subfolder'],
    ['.git\\config', 'git internals with a backslash'],
    ['', 'empty'],
    ['   ', 'blank'],
  ];

  for (const [input, why] of escapes) {
    it(`refuses ${JSON.stringify(input)} (${why})`, async () => {
      const result = await guardWorkspacePath(input, [app], realPath);
      assert.equal(result.ok, false, `${why}: ${JSON.stringify(result)}`);
      assert.match(result.error, /Refused path|No folder/);
    });
  }

  const allowed: Array<[string, string]> = [
    ['src/index.ts', 'src/index.ts'],
    ['./src/index.ts', 'src/index.ts'],
    ['src//index.ts', 'src/index.ts'],
    ['src\\index.ts', 'src/index.ts'],
    ['src/../src/index.ts', 'src/index.ts'],
    ['..notes', '..notes'],
    ['.github/workflows/ci.yml', '.github/workflows/ci.yml'],
    ['.gitignore', '.gitignore'],
    ['src-link/index.ts', 'src-link/index.ts'],
    ['src/not-yet.ts', 'src/not-yet.ts'],
    ['.', ''],
  ];
  for (const [input, relative] of allowed) {
    it(`allows ${JSON.stringify(input)} inside the workspace`, async () => {
      const result = await guardWorkspacePath(input, [app], realPath);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.relative, relative);
      assert.equal(result.absolute, path.join(app.fsPath, relative));
    });
  }

  it('picks the folder by name in a multi-root workspace, and the first folder otherwise', async () => {
    const named = await guardWorkspacePath('lib/util.ts', [app, lib], realPath);
    assert.ok(named.ok);
    assert.equal(named.root.name, 'lib');
    assert.equal(named.absolute, path.join(lib.fsPath, 'util.ts'));
    const unnamed = await guardWorkspacePath('src/index.ts', [app, lib], realPath);
    assert.ok(unnamed.ok);
    assert.equal(unnamed.root.name, 'app');
    const climbing = await guardWorkspacePath('lib/../app/src/index.ts', [app, lib], realPath);
    assert.ok(climbing.ok, 'normalised first: lib/../app is the app folder, still inside a root');
    assert.equal((await guardWorkspacePath('lib/../../outside/passwd', [app, lib], realPath)).ok, false);
  });

  it('refuses everything when no folder is open', async () => {
    const result = await guardWorkspacePath('src/index.ts', [], realPath);
    assert.deepEqual(result, { ok: false, error: 'No folder is open in VS Code, so there are no workspace files.' });
  });

  it('cuts a huge path short in its refusal', async () => {
    const result = await guardWorkspacePath(`../${'x'.repeat(5_000)}`, [app], realPath);
    assert.equal(result.ok, false);
    assert.ok(result.error.length < 400, `${result.error.length}`);
  });

  it('gives the path after symlinks, for the ignore list to judge as well', async () => {
    const result = await guardWorkspacePath('src-link/index.ts', [app], realPath);
    assert.ok(result.ok);
    assert.equal(result.relative, 'src-link/index.ts');
    assert.equal(result.realRelative, 'src/index.ts');
  });

  it('stops following links once the signal aborts, even while a lookup hangs', async () => {
    const controller = new AbortController();
    let lookups = 0;
    const hanging: RealPath = () => {
      lookups++;
      // The lookup never settles; Stop comes while the guard waits for it.
      if (lookups === 1) setImmediate(() => controller.abort());
      return new Promise<string | undefined>(() => undefined);
    };
    await assert.rejects(guardWorkspacePath('src/index.ts', [app], hanging, controller.signal), (error: Error) => error.name === 'AbortError');
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(guardWorkspacePath('src/index.ts', [app], realPath, aborted.signal), (error: Error) => error.name === 'AbortError');
  });
});
