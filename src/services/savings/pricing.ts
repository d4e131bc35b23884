import type { TariffsConfig } from '../../config/schema/tariff.js';
import { EMISSION_FACTOR_PRESETS, TARIFF_PRESETS } from '../../domain/tariff/presets.js';
import type { EmissionFactor, Tariff } from '../../domain/tariff/types.js';

/** The tariff a meter pays (its own entry, else the default); the config check guarantees it exists. */
export function tariffOf(config: TariffsConfig, meterId: string): Tariff {
  const id = config.meterTariffs[meterId] ?? config.defaultTariff;
  const tariff = [...config.tariffs, ...TARIFF_PRESETS].find((t) => t.id === id);
  if (!tariff) throw new Error(`unknown tariff "${id}" for meter ${meterId}`);
  return tariff as Tariff;
}

/** The grid emission factor of a site (its own entry, else the default). */
export function emissionFactorOf(config: TariffsConfig, siteId: string): EmissionFactor {
  const id = config.siteEmissionFactors[siteId] ?? config.defaultEmissionFactor;
  const factor = [...config.emissionFactors, ...EMISSION_FACTOR_PRESETS].find((f) => f.id === id);
  if (!factor) throw new Error(`unknown emission factor "${id}" for site ${siteId}`);
  return factor;
}
