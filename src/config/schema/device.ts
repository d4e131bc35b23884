import { z } from 'zod';
import { DEVICE_KINDS, DEVICE_OUTPUTS } from '../../domain/devices/kinds.js';
import { Id, Percent, SetpointC, Topic } from './common.js';
import { DeviceFallback, DeviceOutputOptions } from './control.js';

export const DeviceLimits = z
  .object({
    minLevelPct: Percent.optional().meta({ description: 'Lowest lighting level QuietWatt may command, %' }),
    maxLevelPct: Percent.optional().meta({ description: 'Highest lighting level QuietWatt may command, %' }),
    minSetpointC: SetpointC.optional().meta({
      description: 'Lowest HVAC setpoint QuietWatt may command, °C',
    }),
    maxSetpointC: SetpointC.optional().meta({
      description: 'Highest HVAC setpoint QuietWatt may command, °C',
    }),
  })
  .strict()
  .meta({ description: 'Bounds on commanded values; the planner and the safety layer stay inside them' });

export const DeviceConfig = z
  .object({
    id: Id.meta({
      idOf: 'device',
      description: 'Device id, unique across meters, sensors and devices of the whole config',
    }),
    kind: z.enum(DEVICE_KINDS).meta({
      description:
        'lighting and hvac are controllable; emergency-lighting, co-ventilation and smoke-ventilation are life-safety equipment that QuietWatt never commands',
    }),
    name: z.string().min(1).optional().meta({ text: true, description: 'Human-readable name' }),
    schedule: Id.optional().meta({
      ref: 'schedule',
      sameAs: 'kind',
      description:
        'Id of the schedule this device runs today (its fallback): a lighting schedule for lighting, an hvac schedule for hvac; never set for life-safety kinds',
    }),
    ratedPowerW: z
      .number()
      .positive()
      .meta({ description: 'Rated electrical power of the device or group, W' }),
    idlePowerW: z.number().nonnegative().optional().meta({
      description:
        "HVAC only: what the unit draws whenever it runs with no heating or cooling output (indoor fans and controls), W: the indoor unit's fan input on its datasheet, or what its meter shows while it idles at setpoint. The planner counts it on every slot the unit runs; without it, a tenth of ratedPowerW",
    }),
    output: z
      .enum(DEVICE_OUTPUTS)
      .default('native')
      .meta({ description: 'How setpoints are encoded for this controller' }),
    topic: Topic.optional().meta({
      description:
        'Command topic base; defaults depend on the output format. Not allowed for life-safety kinds',
    }),
    stateTopic: Topic.optional().meta({ description: 'Topic on which the controller reports its state' }),
    fullOutputLux: z.number().positive().optional().meta({
      description:
        "Lighting only: illuminance these lights give at the space's illuminance sensor at 100 % level with no daylight, lx; with it (or a commissioning measurement) daylight lowers the artificial level",
    }),
    limits: DeviceLimits.default({}),
    outputOptions: DeviceOutputOptions.prefault({}).meta({
      description:
        'Encoding details per output format (QoS, retain, resolution, Tasmota safety timer, Home Assistant topics)',
    }),
    fallback: DeviceFallback.optional().meta({
      description: 'Value the device returns to when it has no `schedule`',
    }),
  })
  .strict();
export type DeviceConfig = z.infer<typeof DeviceConfig>;
