import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../../src/adapters/http/web/assets/js/lang/en.js';
import zh from '../../../src/adapters/http/web/assets/js/lang/zh.js';

const JS_DIR = 'src/adapters/http/web/assets/js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );
}

describe('dashboard dictionaries', () => {
  it('have the same keys in English and Chinese, none empty', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(zh)) expect(text, key).not.toBe('');
  });

  it('hold every literal key the views ask for', () => {
    const used = new Set<string>();
    for (const file of sources(JS_DIR))
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\('([a-zA-Z0-9.-]+)'/g))
        if (m[1]) used.add(m[1]);
    expect(used.size).toBeGreaterThan(20);
    const missing = [...used].filter((k) => !(k in en));
    expect(missing).toEqual([]);
  });

  it('place no server data through innerHTML', () => {
    for (const file of sources(JS_DIR))
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML/);
  });
});
