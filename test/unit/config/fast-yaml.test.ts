import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { readYamlFast } from '../../../src/config/fast-yaml.js';

/** What the config loader's full path makes of `text`: its value, or undefined when `yaml` reports errors. */
function viaYaml(text: string): { value: unknown } | undefined {
  const doc = parseDocument(text, { prettyErrors: false, merge: true, uniqueKeys: true });
  return doc.errors.length > 0 ? undefined : { value: doc.toJS({ maxAliasCount: 100 }) };
}

/** The fast read either declines, or gives what `yaml` gives. */
function agrees(text: string): void {
  const fast = readYamlFast(text);
  if (fast === undefined) return;
  const full = viaYaml(text);
  expect(full, `yaml refuses what js-yaml read:\n${text}`).toBeDefined();
  expect(fast.value, text).toStrictEqual(full?.value);
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** Scalar forms on which YAML 1.1, YAML 1.2 and the parsers' schemas may differ. */
const SCALARS = [
  '~',
  'null',
  'Null',
  'NULL',
  'nUll',
  'true',
  'True',
  'TRUE',
  'tRue',
  'false',
  'False',
  'FALSE',
  'yes',
  'no',
  'Yes',
  'NO',
  'on',
  'off',
  'y',
  'n',
  '0',
  '-0',
  '+0',
  '007',
  '-12',
  '+12',
  '1_000',
  '12345678901234567890',
  '9007199254740993',
  '0x1F',
  '0X1F',
  '0x',
  '-0x1F',
  '0xg',
  '0o17',
  '0O17',
  '0o',
  '0o8',
  '017',
  '0b101',
  '-0o17',
  '1.',
  '.5',
  '+.5',
  '-.5',
  '1.5',
  '1e3',
  '1E3',
  '1e+3',
  '1.5e-3',
  '.5e3',
  '1.e3',
  'e3',
  '1e',
  '1_0.5',
  '.inf',
  '.Inf',
  '.INF',
  '-.inf',
  '+.inf',
  '.iNf',
  'inf',
  '.nan',
  '.NaN',
  '.NAN',
  'nan',
  '-.nan',
  '2024-01-31',
  '2024-01-31T10:00:00Z',
  '2024-01-31 10:00:00',
  '12:30',
  '12:30:45',
  '1:20',
  '190:20:30',
  '=',
  '<<',
  '-',
  '.',
  '+',
  '0.0.1',
  '1,000',
  '$1',
  '1 000',
  "'1'",
  '"2"',
  '"\\x41"',
  '"\\u00e9"',
  '"a\\tb"',
  "'it''s'",
  '"\\""',
  '!!str 1',
  '!!int "3"',
  '!!float 1',
];

describe('the fast YAML read (js-yaml)', () => {
  it('reads the shipped, deployed and test configs as the yaml package does', () => {
    const files = [
      ...yamlFiles('config'),
      ...yamlFiles('deploy/config'),
      ...yamlFiles('test/fixtures/config'),
    ];
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) agrees(readFileSync(file, 'utf8'));
    // The shipped configs are all read by it, not left to the yaml package.
    for (const file of [...yamlFiles('config'), ...yamlFiles('deploy/config')])
      expect(readYamlFast(readFileSync(file, 'utf8')), file).toBeDefined();
  });

  it.each(SCALARS)('resolves the scalar %s as the yaml package does', (s) => {
    agrees(`k: ${s}\n`);
    agrees(`- ${s}\n`);
    agrees(`k: [${s}]\n`);
  });

  it('reads nested mappings, lists, flow collections, block scalars and merge keys', () => {
    const text = [
      '# comment',
      'version: 1',
      'mqtt:',
      '  url: mqtt://127.0.0.1:1883   # trailing comment',
      "  clientId: 'it''s'",
      '  topicPrefix: "a #b"',
      'sites:',
      '- id: s1',
      '  tags: [a, 2, true, ~]',
      '  none: []',
      '  empty: {}',
      '  nested: { a: { b: [1, [2]] } }',
      '  spaces:',
      '    -   id: x',
      '        areaM2: 1.50',
      '        meters:',
      '          -',
      '            id: m',
      '          - plain text',
      '          - -3',
      '  hex: 0x1F',
      '  oct: 0o17',
      '  exp: 1e3',
      '  inf: -.inf',
      '  nothing:',
      '  folded: >',
      '    one',
      '    two',
      '  literal: |',
      '    one',
      '    two',
      '  escaped: "a\\tb\\u00e9"',
      '  merged:',
      '    <<: { a: 1, b: 2 }',
      '    b: 3',
      '"quoted key": 1',
      'last: Null',
      '',
    ].join('\n');
    expect(readYamlFast(text)?.value).toStrictEqual({
      version: 1,
      mqtt: { url: 'mqtt://127.0.0.1:1883', clientId: "it's", topicPrefix: 'a #b' },
      sites: [
        {
          id: 's1',
          tags: ['a', 2, true, null],
          none: [],
          empty: {},
          nested: { a: { b: [1, [2]] } },
          spaces: [{ id: 'x', areaM2: 1.5, meters: [{ id: 'm' }, 'plain text', -3] }],
          hex: 31,
          oct: 15,
          exp: 1000,
          inf: -Infinity,
          nothing: null,
          folded: 'one two\n',
          literal: 'one\ntwo\n',
          escaped: 'a\tb\u00e9',
          merged: { a: 1, b: 3 },
        },
      ],
      'quoted key': 1,
      last: null,
    });
    agrees(text);
  });

  it.each([
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a duplicate key in a flow mapping', 'a: { b: 1, b: 2 }\n'],
    ['a tab in indentation', 'a:\n\tb: 1\n'],
    ['a tab before an empty anchored item', '- \t&a\n'],
    ['an anchor run into a flow sequence', '_:\n- &a[]\n'],
    ['a tag run into a flow mapping', 'a: !!map{}\n'],
    ['an anchor before a key on the same line', 'k: &a x: 1\n'],
    ['an empty tag before an empty key', 'k: ! :\n'],
    ['a key after a flow sequence in a compact list', 'a:\n- []\\: \n- ~\n'],
    ['a key after a quoted item in a compact list', "a:\n- 'q' x: \n- ~\n"],
    ['a tab in a quoted scalar', 'a: "x\ty"\n'],
    ['an alias', 'a: &x 1\nb: *x\n'],
    ['a merge of an alias', 'base: &b { a: 1 }\nc:\n  <<: *b\n'],
    ['a number as a key', '1: a\n'],
    ['a boolean as a key', 'true: a\n'],
    ['a null key', '~: a\n'],
    ['a mapping on one line', 'a: b: c\n'],
    ['a list in a mapping', 'a: 1\n- 2\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['an empty file', '# nothing\n'],
    ['an explicit tag', 'a: !!str 1\n'],
    ['an explicit tag that does not fit', 'a: !!float 1\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
  ])('leaves %s to the yaml package', (_what, text) => {
    expect(readYamlFast(text)).toBeUndefined();
  });

  it('never disagrees with the yaml package on generated documents', () => {
    const chars = fc.constantFrom(
      ...'abz09 .-_:#\'"[]{},&*!|>%@`?~\t\\/+eExo'.split(''),
      'null',
      'true',
      'False',
      '.inf',
      '.NaN',
      '0x1F',
      '0o7',
      '1e3',
      '- ',
      ': ',
      ' #',
    );
    const scalar = fc.oneof(
      fc.array(chars, { maxLength: 6 }).map((a) => a.join('')),
      fc.constantFrom(
        '~',
        'Null',
        'TRUE',
        '-12',
        '+3.5',
        '.5',
        '1.',
        '007',
        '-.inf',
        "'a'",
        '"b"',
        "'it''s'",
        '[1, x]',
        "{ a: 1, b: 'x, y' }",
        '{a: 1}',
        '{ a: b: c }',
        '{ a: [1] }',
        '[1,]',
        '[ ]',
        '{ a: 1, a: 2 }',
        "{ from: '17:30', to: 23:00 }",
        '{ <<: { a: 1 }, b: 2 }',
        '&x 1',
        '*x',
        '!!str 1',
        '!x y',
        '"a\\tb"',
        '"\\q"',
        '"a\\',
        "'a",
        '[a, [b, { c: d }]]',
      ),
      fc.constantFrom(...SCALARS),
    );
    const key = fc.oneof(
      fc.constantFrom(
        'a',
        'b',
        'id',
        'x.y',
        'k-1',
        'true',
        'null',
        '~',
        '<<',
        '"q"',
        "'q'",
        '1',
        '__proto__',
        '? a',
      ),
      fc.stringMatching(/^[a-z_][a-z0-9_.-]{0,4}$/),
    );
    type Node =
      | { kind: 'scalar'; s: string }
      | { kind: 'map'; entries: [string, Node][] }
      | { kind: 'seq'; items: Node[] };
    const { node } = fc.letrec<{ node: Node }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar.map((s): Node => ({ kind: 'scalar', s })),
        fc
          .array(fc.tuple(key, tie('node')), { minLength: 1, maxLength: 4 })
          .map((entries): Node => ({ kind: 'map', entries })),
        fc.array(tie('node'), { minLength: 1, maxLength: 4 }).map((items): Node => ({ kind: 'seq', items })),
      ),
    }));
    const render = (n: Node, indent: number, style: number): string[] => {
      const pad = ' '.repeat(indent);
      if (n.kind === 'scalar') return [n.s];
      // Sometimes a flat list or mapping on one line, in flow style.
      const flat = (n.kind === 'map' ? n.entries.map(([, v]) => v) : n.items).every(
        (v) => v.kind === 'scalar',
      );
      if (flat && style % 5 === 1) {
        const text = (v: Node) => (v.kind === 'scalar' ? v.s : '');
        const flow =
          n.kind === 'map'
            ? `{ ${n.entries.map(([k, v]) => `${k}: ${text(v)}`).join(', ')} }`
            : `[${n.items.map(text).join(', ')}]`;
        return [`${pad}k${indent}: ${flow}`];
      }
      if (n.kind === 'map')
        return n.entries.flatMap(([k, v]) =>
          v.kind === 'scalar'
            ? [`${pad}${k}: ${v.s}`]
            : [`${pad}${k}:`, ...render(v, v.kind === 'seq' && style % 2 === 0 ? indent : indent + 2, style)],
        );
      return n.items.flatMap((v) => {
        if (v.kind === 'scalar') return [`${pad}- ${v.s}`];
        if (v.kind === 'map' && style % 3 !== 0) {
          const [first = '', ...more] = render(v, indent + 2, style);
          return [`${pad}- ${first.trimStart()}`, ...more];
        }
        return [`${pad}-`, ...render(v, indent + 2, style)];
      });
    };
    const doc = fc.tuple(node, fc.nat(5), fc.array(fc.nat(30), { maxLength: 3 })).map(([n, style, noise]) => {
      const lines = n.kind === 'scalar' ? [`k: ${n.s}`] : render(n, 0, style);
      // Comments and blank lines here and there.
      for (const at of noise) lines.splice(Math.min(at, lines.length), 0, at % 2 ? '' : '  # note');
      return `${lines.join('\n')}\n`;
    });
    let read = 0;
    fc.assert(
      fc.property(doc, (text) => {
        agrees(text);
        if (readYamlFast(text) !== undefined) read++;
      }),
      { numRuns: 3000 },
    );
    // The property says something only if many documents are read, not left to the yaml package.
    expect(read).toBeGreaterThan(500);
  });
});
