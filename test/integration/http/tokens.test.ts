import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessControl } from '../../../src/adapters/http/auth/access-control.js';
import { createFirstTokens } from '../../../src/adapters/http/demo-tokens.js';
import { SqliteAccessStore } from '../../../src/adapters/sqlite/access-store.js';
import { openDatabase } from '../../../src/adapters/sqlite/database.js';
import { DB_FILE_NAME } from '../../../src/adapters/sqlite/storage.js';
import { token } from '../../../src/cli/commands/token.js';
import { CONFIG_YAML } from './harness.js';

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: { log: (l: string) => lines.push(l), error: (l: string) => errors.push(l) } };
}

describe('quietwatt token and first-start tokens', () => {
  let dir: string;
  let configFile: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qw-token-'));
    configFile = join(dir, 'config.yaml');
    writeFileSync(configFile, CONFIG_YAML.replace('STORAGE_DIR', join(dir, 'store')));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const access = () => {
    const db = openDatabase(join(dir, 'store', DB_FILE_NAME));
    return { db, access: new AccessControl(new SqliteAccessStore(db.db)) };
  };

  it('create prints a token that authenticates with its role and sites; list and revoke', async () => {
    const c = capture();
    expect(
      await token(['create', 'ops', '--role', 'operator', '--site', 'south', '--config', configFile], c.out),
    ).toBe(0);
    const secret = c.lines[0] ?? '';
    expect(secret).toMatch(/^qw_/);
    let store = access();
    expect(await store.access.authenticate(secret)).toMatchObject({
      name: 'ops',
      role: 'operator',
      sites: ['south'],
    });
    store.db.close();

    const l = capture();
    expect(await token(['list', '--config', configFile], l.out)).toBe(0);
    expect(l.lines.join('\n')).toContain('ops\toperator\tsites: south');
    expect(l.lines.join('\n')).not.toContain(secret);

    const dup = capture();
    expect(await token(['create', 'ops', '--role', 'viewer', '--config', configFile], dup.out)).toBe(1);
    expect(dup.errors.join('\n')).toContain('exists already');

    const r = capture();
    expect(await token(['revoke', 'ops', '--config', configFile], r.out)).toBe(0);
    store = access();
    expect(await store.access.authenticate(secret)).toBeUndefined();
    store.db.close();
    expect(await token(['revoke', 'ops', '--config', configFile], capture().out)).toBe(1);
  });

  it('refuses a bad role, an unknown site and a missing name', async () => {
    const bad = capture();
    expect(await token(['create', 'x', '--role', 'admin', '--config', configFile], bad.out)).toBe(2);
    expect(bad.errors[0]).toContain('"admin"');
    const site = capture();
    expect(
      await token(['create', 'x', '--role', 'viewer', '--site', 'mars', '--config', configFile], site.out),
    ).toBe(2);
    expect(site.errors[0]).toContain('"mars"');
    expect(await token(['create', '--role', 'viewer', '--config', configFile], capture().out)).toBe(2);
  });

  it('first start writes one viewer and one operator token to a 0600 file, once', async () => {
    const store = access();
    try {
      const file = join(dir, 'store', 'tokens.txt');
      expect(await createFirstTokens(store.access, file)).toBe(true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const lines = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#'));
      const roles: string[] = [];
      for (const line of lines) {
        const [name, role, secret] = line.split('\t');
        const identity = await store.access.authenticate(secret ?? '');
        expect(identity).toMatchObject({ name, role });
        roles.push(role ?? '');
      }
      expect(roles.sort()).toEqual(['operator', 'viewer']);
      // A second start with tokens present creates none.
      expect(await createFirstTokens(store.access, file)).toBe(false);
      expect(store.access.listTokens().length).toBe(2);
    } finally {
      store.db.close();
    }
  });
});
