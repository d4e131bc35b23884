import { locale, t } from './i18n.js';

export function num(value, digits = 1) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(
    value,
  );
}

export function kwh(value) {
  return `${num(value, Math.abs(value) >= 100 ? 0 : 1)} kWh`;
}

export function pct(share) {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  return `${num(share * 100, 1)} %`;
}

export function money(value, currency) {
  if (!Number.isFinite(value)) return '–';
  try {
    return new Intl.NumberFormat(locale(), { style: 'currency', currency, maximumFractionDigits: 2 }).format(
      value,
    );
  } catch {
    return `${num(value, 2)} ${currency}`;
  }
}

export function co2(kg) {
  return `${num(kg, Math.abs(kg) >= 100 ? 0 : 1)} kg CO₂`;
}

/** An ISO time with offset shown as the site's local date and time, as the server wrote it. */
export function when(iso) {
  if (!iso) return '–';
  return iso.slice(0, 16).replace('T', ' ');
}

/** How a figure was obtained, in plain words. */
export function methodWords(figure) {
  const parts = [t(`method.${figure.kind}.${figure.method}`)];
  if (figure.interval) {
    const half = (figure.interval.highKWh - figure.interval.lowKWh) / 2;
    parts.push(
      t('method.interval', {
        pct: Math.round(figure.interval.confidence * 100),
        pm: num(half, Math.abs(half) >= 100 ? 0 : 1),
      }),
    );
  } else parts.push(t('method.noInterval'));
  return parts.join(t('list.sep'));
}
