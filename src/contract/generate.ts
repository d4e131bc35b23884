/**
 * Writes the JSON Schemas of the MQTT payloads integrators exchange with QuietWatt to docs/schemas/,
 * generated (input mode: what a sender may write, defaults optional) from the zod schemas the service
 * itself validates with. Run with `npm run gen:schemas`; a unit test fails when the checked-in files
 * differ from this output.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CommandEnvelope, CommandResponse } from '../domain/commands/envelope.js';
import { SignedCommandMessage } from '../domain/commands/signature.js';
import { OutdoorForecastPayload } from '../domain/forecast/outdoor-forecast-payload.js';
import { GenericJsonPayload } from '../domain/ingest/formats/json.js';
import { JsonSensorPayload } from '../domain/sensors/decode.js';
import { SetpointPayload, StateReport } from '../domain/setpoints/contract.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const SCHEMA_DIR = 'docs/schemas';

interface ContractSchema {
  readonly file: string;
  readonly title: string;
  readonly description: string;
  readonly schema: z.ZodType;
  /** Rules a zod refinement checks that JSON Schema can state too (refinements are not exported). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

const CONTRACT_SCHEMAS: readonly ContractSchema[] = [
  {
    file: 'setpoint.schema.json',
    title: 'QuietWatt setpoint',
    description:
      'Published by QuietWatt (retained, QoS 1) on <prefix>/<site>/<space>/<device>/set; see docs/mqtt-contract.md. validUntil must be after issuedAt; in auto mode heatSetpointC must be below coolSetpointC.',
    schema: SetpointPayload,
  },
  {
    file: 'state-report.schema.json',
    title: 'QuietWatt controller state report',
    description:
      'Published by a controller on <prefix>/<site>/<space>/<device>/state; see docs/mqtt-contract.md.',
    schema: StateReport,
  },
  {
    file: 'meter.schema.json',
    title: 'QuietWatt meter reading (format json)',
    description:
      "A meter's reading in the generic json format, on the meter's configured topic; see docs/ingest.md. At least one of energyKWh and powerW; other fields are ignored.",
    schema: GenericJsonPayload,
    extra: { anyOf: [{ required: ['energyKWh'] }, { required: ['powerW'] }] },
  },
  {
    file: 'sensor.schema.json',
    title: 'QuietWatt sensor reading (format json)',
    description:
      "A sensor's reading in the json format, on the sensor's configured topic; see docs/sensors.md. Other fields are ignored.",
    schema: JsonSensorPayload,
  },
  {
    file: 'outdoor-forecast.schema.json',
    title: 'QuietWatt outdoor temperature forecast',
    description:
      "An hourly outdoor temperature forecast on a site's outdoorForecastTopic (retained is best); see docs/mqtt-contract.md#outdoor-temperature-forecast. Other fields are ignored.",
    schema: OutdoorForecastPayload,
  },
  {
    file: 'signed-command.schema.json',
    title: 'QuietWatt signed operator command (MQTT)',
    description:
      'What a <prefix>/command topic takes: `signed` is the JSON text {"seq": N, "command": <command.schema.json>} exactly as signed, `hmac` its HMAC-SHA256 under the shared command secret; see docs/mqtt-contract.md#operator-commands.',
    schema: SignedCommandMessage,
  },
  {
    file: 'command.schema.json',
    title: 'QuietWatt operator command',
    description:
      'A command envelope sent to QuietWatt; see docs/mqtt-contract.md#operator-commands. set-mode needs mode; set-mode and reset-mode need target.siteId and target.spaceId; a deviceId needs its spaceId.',
    schema: CommandEnvelope,
  },
  {
    file: 'command-response.schema.json',
    title: 'QuietWatt command response',
    description: 'The answer to a command; see docs/mqtt-contract.md#operator-commands.',
    schema: CommandResponse,
  },
];

function render(entry: ContractSchema): string {
  const { $schema, ...body } = z.toJSONSchema(entry.schema, { io: 'input' }) as Record<string, unknown>;
  const document = { $schema, title: entry.title, description: entry.description, ...body, ...entry.extra };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Generated files, relative to the repository root, with their current content. */
export function contractSchemaFiles(): { path: string; content: string }[] {
  return CONTRACT_SCHEMAS.map((entry) => ({ path: `${SCHEMA_DIR}/${entry.file}`, content: render(entry) }));
}

export function writeContractSchemas(root = ROOT): string[] {
  return contractSchemaFiles().map(({ path, content }) => {
    const full = resolve(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    return path;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const path of writeContractSchemas()) process.stdout.write(`wrote ${path}\n`);
}
