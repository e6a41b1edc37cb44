import { strict as assert } from 'node:assert';
import { DEFAULT_IGNORED, IgnoreList, ignoredRefusal } from '../../../src/tools/ignoreList';

describe('ignore list', () => {
  const defaults = new IgnoreList();

  const secrets: Array<[string, string]> = [
    ['.env', '.env'],
    ['.env.local', '.env.*'],
    ['config/.env.local', '.env.*'],
    ['packages/api/.env', '.env'],
    ['certs/server.pem', '*.pem'],
    ['tls/private.key', '*.key'],
    ['id_rsa', 'id_rsa*'],
    ['home/.ssh/id_ed25519.pub', '.ssh/'],
    ['deploy/id_ecdsa', 'id_ecdsa*'],
    ['.npmrc', '.npmrc'],
    ['.pypirc', '.pypirc'],
    ['.netrc', '.netrc'],
    ['.git-credentials', '.git-credentials'],
    ['.aws/credentials', '.aws/'],
    ['infra/.aws/config', '.aws/'],
    ['.gnupg/secring.gpg', '.gnupg/'],
    ['.docker/config.json', '**/.docker/config.json'],
    ['ci/.docker/config.json', '**/.docker/config.json'],
    ['.kube/config', '**/.kube/config'],
    ['android/release.keystore', '*.keystore'],
    ['app.jks', '*.jks'],
    ['cert.p12', '*.p12'],
    ['cert.pfx', '*.pfx'],
    ['credentials', 'credentials'],
    ['gcloud/credentials.json', 'credentials.json'],
    ['my.credentials', '*.credentials'],
    ['.htpasswd', '.htpasswd'],
    ['config/secrets.yml', 'secrets.yml'],
    ['secrets.yaml', 'secrets.yaml'],
    ['secrets.json', 'secrets.json'],
  ];
  for (const [path, pattern] of secrets) {
    it(`hides ${path} by the built-in rule ${pattern}`, () => {
      assert.deepEqual(defaults.match(path), { pattern, source: 'builtin' });
    });
  }

  it('lists every default of the brief, and leaves ordinary source alone', () => {
    assert.equal(DEFAULT_IGNORED.length, 28);
    for (const path of ['src/index.ts', 'README.md', 'environment.ts', 'src/env.ts', 'src/.environment', 'keys.ts', 'docker/config.json', 'kube/config', 'secrets.ts', 'package.json']) {
      assert.equal(defaults.match(path), undefined, path);
    }
  });

  it('matches regardless of case, as macOS and Windows file systems do', () => {
    assert.deepEqual(defaults.match('.ENV'), { pattern: '.env', source: 'builtin' });
    assert.deepEqual(defaults.match('Config/.Env.Local'), { pattern: '.env.*', source: 'builtin' });
    assert.deepEqual(defaults.match('certs/SERVER.PEM'), { pattern: '*.pem', source: 'builtin' });
  });

  it('takes paths with back slashes, a leading ./ or a trailing slash', () => {
    assert.deepEqual(defaults.match('config\\.env.local'), { pattern: '.env.*', source: 'builtin' });
    assert.deepEqual(defaults.match('./.env'), { pattern: '.env', source: 'builtin' });
    assert.deepEqual(defaults.match('.aws/'), { pattern: '.aws/', source: 'builtin' });
    assert.equal(defaults.match(''), undefined);
    assert.equal(defaults.match('.'), undefined);
  });

  it('adds the rules of .foxchatignore, whose ! lines re-include only its own patterns, never a default', () => {
    const list = new IgnoreList({ ignoreFile: '# local data\n*.sqlite\n!keep.sqlite\nprivate/\n\n!.env.example\r\n!.env\n' });
    assert.deepEqual(list.match('db/dev.sqlite'), { pattern: '*.sqlite', source: 'foxchatignore' });
    assert.equal(list.match('keep.sqlite'), undefined, 'its own pattern re-included');
    assert.deepEqual(list.match('private/notes.md'), { pattern: 'private/', source: 'foxchatignore' });
    // A cloned repository must not open the user's own secrets to the model.
    assert.deepEqual(list.match('.env'), { pattern: '.env', source: 'builtin' });
    assert.deepEqual(list.match('.env.example'), { pattern: '.env.*', source: 'builtin' });
    assert.deepEqual(list.match('config/.env.example'), { pattern: '.env.*', source: 'builtin' });
    assert.equal(list.match('# local data'), undefined, 'comments are not rules');
  });

  it('reads the setting after the defaults: it can re-include a default and add its own patterns', () => {
    const list = new IgnoreList({ ignoreFile: '!.env.example\n', settingPatterns: ['!.env.example', '*.tfstate'] });
    assert.equal(list.match('.env.example'), undefined);
    assert.deepEqual(list.match('.env.production'), { pattern: '.env.*', source: 'builtin' }, 'other defaults stay');
    assert.deepEqual(list.match('infra/prod.tfstate'), { pattern: '*.tfstate', source: 'setting' });
    const hiding = new IgnoreList({ settingPatterns: ['notes.md'] });
    assert.deepEqual(hiding.match('notes.md'), { pattern: 'notes.md', source: 'setting' });
  });

  it('judges each path relative to its own workspace folder in a multi-root workspace', () => {
    // Folder "api" has a .foxchatignore hiding fixtures/; folder "web" does not.
    const api = new IgnoreList({ ignoreFile: 'fixtures/\n' });
    const web = new IgnoreList();
    assert.deepEqual(api.match('fixtures/users.json'), { pattern: 'fixtures/', source: 'foxchatignore' });
    assert.equal(web.match('fixtures/users.json'), undefined);
    assert.deepEqual(web.match('.env'), { pattern: '.env', source: 'builtin' });
  });

  it('hides a file inside an ignored folder even when a deeper ! line names it (git does the same)', () => {
    const list = new IgnoreList({ ignoreFile: '!.aws/config\n' });
    assert.deepEqual(list.match('.aws/config'), { pattern: '.aws/', source: 'builtin' });
  });

  it('words a refusal that names the rule and where it comes from', () => {
    assert.equal(
      ignoredRefusal('.env', { pattern: '.env', source: 'builtin' }),
      'Refused: .env matches ".env" in Fox Chat\'s built-in list of secret files, so it is not shared with the model. Do not try to read it another way; ask the user if you need something from it.',
    );
    assert.match(ignoredRefusal('db.sqlite', { pattern: '*.sqlite', source: 'foxchatignore' }), /in the workspace's \.foxchatignore/);
    assert.match(ignoredRefusal('a.tfstate', { pattern: '*.tfstate', source: 'setting' }), /in the foxChat\.ignoreFiles setting/);
  });
});
