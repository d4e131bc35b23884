/** All rejections of one meter or sensor, whatever the reason. */
export function rejectedTotal(s: { readonly rejected: Readonly<Partial<Record<string, number>>> }): number {
  let total = 0;
  for (const reason in s.rejected) total += s.rejected[reason] ?? 0;
  return total;
}
