import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { contractSchemaFiles } from '../../../src/contract/generate.js';
import { CommandEnvelope, CommandResponse } from '../../../src/domain/commands/envelope.js';
import { GenericJsonPayload } from '../../../src/domain/ingest/formats/json.js';
import { JsonSensorPayload } from '../../../src/domain/sensors/decode.js';
import { SetpointPayload, StateReport } from '../../../src/domain/setpoints/contract.js';
import { ROOT } from '../config/helpers.js';

const onDisk = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

describe('the payload JSON Schemas in docs/schemas', () => {
  for (const { path, content } of contractSchemaFiles()) {
    it(`${path} matches the zod schema`, () => {
      if (onDisk(path) !== content) {
        throw new Error(
          `${path} is stale: a payload schema changed. Run \`npm run gen:schemas\` and commit it.`,
        );
      }
    });
  }

  it('docs/mqtt-contract.md links every one of them', () => {
    const doc = onDisk('docs/mqtt-contract.md');
    for (const { path } of contractSchemaFiles()) expect(doc).toContain(`(${path.replace('docs/', '')})`);
  });

  // The payloads of the docs: whatever zod takes, the JSON Schema takes, and the other way round.
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  const validator = (file: string) => {
    const found = contractSchemaFiles().find((f) => f.path.endsWith(`/${file}`));
    if (!found) throw new Error(`no ${file}`);
    return ajv.compile(JSON.parse(found.content) as object);
  };
  const setpoint = {
    contract: 1,
    id: 'plan-20260801T0215-lobby-lights-3',
    site: 'maple-court',
    space: 'lobby',
    device: 'lobby-lights',
    kind: 'lighting',
    value: { levelPct: 40 },
    issuedAt: '2026-08-01T02:15:00.000Z',
    validUntil: '2026-08-01T02:45:00.000Z',
    planId: 'plan-20260801T0215-lobby',
    reason: 'low occupancy forecast; daylight 420 lx',
  };
  const cases = [
    {
      file: 'setpoint.schema.json',
      zod: SetpointPayload,
      good: [setpoint, { ...setpoint, kind: 'hvac', value: { mode: 'cool', setpointC: 26, fan: 'auto' } }],
      bad: [
        { ...setpoint, value: { levelPct: 140 } },
        { ...setpoint, kind: 'hvac' },
        { ...setpoint, extra: 1 },
      ],
    },
    {
      file: 'state-report.schema.json',
      zod: StateReport,
      good: [{ contract: 1, value: { levelPct: 40 }, appliedSetpointId: 'x', override: false }, {}],
      bad: [{ override: 'yes' }, { appliedSetpointId: '' }],
    },
    {
      file: 'meter.schema.json',
      zod: GenericJsonPayload,
      good: [
        { ts: '2024-06-01T12:00:00+08:00', energyKWh: 1234.56, powerW: 830 },
        { powerW: 5, other: 'x' },
      ],
      bad: [{ ts: 1717214400 }, { energyKWh: '1' }],
    },
    {
      file: 'sensor.schema.json',
      zod: JsonSensorPayload,
      good: [{ ts: 1717214400, value: 21.5 }, { value: true }],
      bad: [{ ts: '2024-06-01T12:00:00Z' }, { value: 'on' }],
    },
    {
      file: 'command.schema.json',
      zod: CommandEnvelope,
      good: [
        {
          id: '3f0c9a4e',
          action: 'set-mode',
          target: { siteId: 'maple-court', spaceId: 'lobby' },
          mode: 'active',
          issuer: 'ops-anna',
          issuedAt: '2026-07-15T12:00:00+08:00',
        },
      ],
      bad: [{ id: 'x', action: 'reboot', issuer: 'cli', issuedAt: '2026-07-15T12:00:00+08:00' }],
    },
    {
      file: 'command-response.schema.json',
      zod: CommandResponse,
      good: [
        { commandId: 'x', action: 'commission', status: 'done', details: [], at: '2026-07-15T04:00:03.000Z' },
      ],
      bad: [{ commandId: 'x', action: 'commission', status: 'maybe', at: '2026-07-15T04:00:03.000Z' }],
    },
  ];
  for (const { file, zod, good, bad } of cases) {
    it(`${file} agrees with the zod schema on sample payloads`, () => {
      const validate = validator(file);
      for (const payload of good) {
        expect(zod.safeParse(payload).success, JSON.stringify(payload)).toBe(true);
        expect(validate(payload), JSON.stringify(validate.errors)).toBe(true);
      }
      for (const payload of bad) {
        expect(zod.safeParse(payload).success, JSON.stringify(payload)).toBe(false);
        expect(validate(payload), JSON.stringify(payload)).toBe(false);
      }
    });
  }
});
