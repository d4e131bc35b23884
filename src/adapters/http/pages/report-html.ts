import {
  KGCE_FACTOR_SOURCE,
  KGCE_FACTOR_SOURCE_ZH,
  KGCE_PER_KWH,
  kgceOf,
} from '../../../domain/reporting/kgce.js';
import { describeMethod, type ReportLang } from '../../../domain/reporting/method-words.js';
import { esc } from './escape.js';
import type { ShownFigure } from './figures.js';
import type { ReportData, ReportSpace } from './report-data.js';
import { dailyChartSvg } from './report-svg.js';
import { ALERT_WORDS, fill, MODE_WORDS, type ReportWords, reportWords } from './report-words.js';

const CSS = `
@page { size: A4; margin: 14mm 12mm; }
:root { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; color: #1d2327; }
body { margin: 0 auto; max-width: 186mm; padding: 8mm 4mm; font-size: 10.5pt; line-height: 1.45; }
h1 { font-size: 17pt; margin: 0 0 2mm; } h2 { font-size: 12.5pt; margin: 7mm 0 2mm; border-bottom: 1px solid #ccd; padding-bottom: 1mm; }
.muted { color: #5f6b73; } .small { font-size: 9pt; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(55mm, 1fr)); gap: 3mm; }
.fig { border: 1px solid #dde1e3; border-radius: 2mm; padding: 3mm; break-inside: avoid; }
.fig.estimated { border-color: #cfc6ec; }
.big { font-size: 18pt; font-weight: 700; }
table { width: 100%; border-collapse: collapse; } th, td { text-align: left; padding: 1.2mm 1.5mm; border-bottom: 1px solid #e3e6e8; vertical-align: top; }
th { font-size: 9pt; color: #5f6b73; } td.n, th.n { text-align: right; white-space: nowrap; } .nowrap { white-space: nowrap; }
svg.chart { width: 100%; height: auto; } svg .grid { stroke: #e3e6e8; } svg text { font-size: 10px; fill: #5f6b73; }
svg .baseline { stroke: #8a949b; stroke-dasharray: 6 4; fill: none; stroke-width: 2; }
svg .actual { stroke: #1f7a5a; fill: none; stroke-width: 2; }
svg .baseline-dot { fill: #8a949b; } svg .actual-dot { fill: #1f7a5a; }
.flag { color: #b3261e; } .badge { font-size: 8.5pt; color: #a86400; }
section { break-inside: avoid-page; }
.noprint { margin: 4mm 0; } @media print { .noprint { display: none; } body { padding: 0; } }
`;

function locale(lang: ReportLang): string {
  return lang === 'zh' ? 'zh-CN' : 'en';
}

function fmt(lang: ReportLang, value: number, digits = 1): string {
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits }).format(value);
}

function money(lang: ReportLang, value: number, currency: string): string {
  try {
    return new Intl.NumberFormat(locale(lang), { style: 'currency', currency }).format(value);
  } catch {
    return `${fmt(lang, value, 2)} ${currency}`;
  }
}

function methodText(f: ShownFigure, lang: ReportLang): string {
  const method = f.method === 'randomized' ? 'randomized' : 'baseline';
  return describeMethod(
    {
      kind: f.kind,
      method,
      avoidedKWh: f.avoidedKWh,
      ...(f.interval ? { interval: f.interval } : {}),
      provisional: false,
    },
    lang,
  );
}

function figureBlock(f: ShownFigure, w: ReportWords, lang: ReportLang): string {
  const title = f.kind === 'measured' ? w.measured : w.estimated;
  if (f.nonRoutine.length > 0)
    return `<div class="fig ${f.kind}"><div class="small muted">${esc(title)}</div><p class="flag">${esc(w.nonRoutine)}</p><ul class="small">${f.nonRoutine.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></div>`;
  const rows: [string, string][] = [
    [w.share, `${fmt(lang, f.avoidedShare * 100)} %`],
    [w.money, money(lang, f.cost, f.currency)],
    [w.co2, `${fmt(lang, f.co2Kg)} kg`],
    [w.kgce, `${fmt(lang, kgceOf(f.avoidedKWh))} kgce`],
    [w.baseline, `${fmt(lang, f.baselineKWh)} kWh`],
    [w.actual, `${fmt(lang, f.actualKWh)} kWh`],
  ];
  return [
    `<div class="fig ${f.kind}" data-kind="${esc(f.kind)}" data-method="${esc(f.method)}">`,
    `<div class="small muted">${esc(title)}</div>`,
    `<div class="big" data-avoided-kwh="${esc(f.avoidedKWh)}">${esc(fmt(lang, f.avoidedKWh))} kWh</div>`,
    `<table class="small">${rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td class="n">${esc(v)}</td></tr>`).join('')}</table>`,
    `<p class="small">${esc(w.method)}: ${esc(methodText(f, lang))}${f.provisional ? ` <span class="badge">(${esc(w.provisional)})</span>` : ''}</p>`,
    '</div>',
  ].join('');
}

function spaceRow(s: ReportSpace, lang: ReportLang): string {
  const f = s.figures[0];
  const mode = MODE_WORDS[lang][s.mode] ?? s.mode;
  const value =
    f === undefined
      ? '–'
      : f.nonRoutine.length > 0
        ? reportWords(lang).nonRoutine
        : `${fmt(lang, f.avoidedKWh)} kWh (${fmt(lang, f.avoidedShare * 100)} %)${f.kind === 'estimated' ? ` · ${reportWords(lang).wouldHave}` : ''}`;
  return `<tr><td>${esc(s.name)}</td><td class="nowrap">${esc(mode)}</td><td class="n">${esc(value)}</td></tr>`;
}

function comfortRows(data: ReportData): string {
  const lang = data.lang;
  return data.spaces
    .filter((s) => s.comfort !== undefined)
    .map((s) => {
      const k = s.comfort;
      if (!k) return '';
      return `<tr><td>${esc(s.name)}</td><td class="n">${esc(fmt(lang, k.discomfortKh))}</td><td class="n">${esc(fmt(lang, k.underLitOccupiedHours, 0))}</td><td class="n">${esc(fmt(lang, k.occupiedHours, 0))}</td></tr>`;
    })
    .join('');
}

/** The monthly report as one self-contained, printable HTML page (A4). Every data string is escaped. */
export function reportHtml(data: ReportData): string {
  const lang = data.lang;
  const w = reportWords(lang);
  const ef = data.emissionFactor;
  const comfort = comfortRows(data);
  const provenance = [...new Set(data.community.flatMap((f) => f.provenance))];
  const events = data.events
    .map(
      (e) =>
        `<tr><td>${esc(e.at.slice(0, 16).replace('T', ' '))}</td><td>${esc(ALERT_WORDS[lang][e.kind] ?? e.kind)}<div class="small muted">${esc(e.message)}</div></td><td>${esc(e.where)}</td><td>${esc(e.clearedAt === undefined ? '' : e.clearedAt ? `${w.cleared} ${e.clearedAt.slice(0, 16).replace('T', ' ')}` : w.open)}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="${esc(w.lang)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${data.site.name} · ${w.title} · ${data.month}`)}</title>
<style>${CSS}</style></head>
<body>
<header>
<h1>${esc(data.site.name)} · ${esc(w.title)}</h1>
<p class="muted">${esc(data.month)} · ${esc(w.period)}: ${esc(data.period.fromDate)} – ${esc(data.period.toDate)} (${esc(fill(w.readingDay, { day: data.readingDay }))}) · ${esc(w.generated)}: ${esc(data.generatedAt.slice(0, 16).replace('T', ' '))}</p>
<p class="noprint"><button type="button" onclick="window.print()">${esc(w.print)}</button></p>
</header>
<section id="summary"><h2>${esc(w.summary)}</h2>
${data.community.length === 0 ? `<p>${esc(w.noFigures)}</p>` : `<div class="figures">${data.community.map((f) => figureBlock(f, w, lang)).join('')}</div>`}
</section>
<section id="chart"><h2>${esc(w.chart)}</h2>
${data.daily.length === 0 ? `<p class="muted">${esc(w.noChart)}</p>` : dailyChartSvg(data.daily, { baseline: w.baseline, actual: w.actual })}
</section>
<section id="spaces"><h2>${esc(w.spaces)}</h2>
<table><thead><tr><th>${esc(w.space)}</th><th>${esc(w.mode)}</th><th class="n">${esc(w.avoided)}</th></tr></thead>
<tbody>${data.spaces.map((s) => spaceRow(s, lang)).join('')}</tbody></table>
</section>
<section id="comfort"><h2>${esc(w.comfort)}</h2>
${comfort === '' ? `<p class="muted">–</p>` : `<table><thead><tr><th>${esc(w.space)}</th><th class="n">${esc(w.discomfort)}</th><th class="n">${esc(w.underLit)}</th><th class="n">${esc(w.occupied)}</th></tr></thead><tbody>${comfort}</tbody></table>`}
</section>
<section id="events"><h2>${esc(w.events)}</h2>
${events === '' ? `<p class="muted">${esc(w.noEvents)}</p>` : `<table><thead><tr><th>${esc(w.when)}</th><th>${esc(w.what)}</th><th>${esc(w.where)}</th><th></th></tr></thead><tbody>${events}</tbody></table>`}
</section>
<section id="factors"><h2>${esc(w.factors)}</h2>
<p class="small">${esc(fill(w.kgceFactor, { factor: KGCE_PER_KWH, source: lang === 'zh' ? KGCE_FACTOR_SOURCE_ZH : KGCE_FACTOR_SOURCE }))}</p>
${ef ? `<p class="small">${esc(fill(w.gridFactor, { factor: ef.kgCo2PerKWh, region: ef.region, source: ef.source, year: ef.year }))}</p>` : ''}
${provenance.length > 0 ? `<p class="small muted">${esc(w.provenance)}: ${esc(provenance.join(', '))}</p>` : ''}
</section>
</body></html>`;
}
