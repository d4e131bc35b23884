/** Local calendar periods of a site, from its `now` (ISO 8601 with the site's offset). */
export function monthOf(nowIso) {
  return nowIso.slice(0, 7);
}

export function nextMonth(ym) {
  const [y, m] = ym.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** This month, as the API's `from`/`to` dates (local midnights of the site). */
export function thisMonthRange(nowIso) {
  const ym = monthOf(nowIso);
  return { from: `${ym}-01`, to: `${nextMonth(ym)}-01` };
}

/** Everything up to the end of this month (the API allows ten years at monthly or total granularity). */
export function toDateRange(nowIso) {
  const ym = monthOf(nowIso);
  const year = Number(ym.slice(0, 4));
  return { from: `${year - 9}-01-01`, to: `${nextMonth(ym)}-01` };
}

export function addDays(dateText, days) {
  const d = new Date(`${dateText}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
