import { describe, expect, it } from 'vitest';
import type { CommandEnvelope } from '../../src/domain/commands/envelope.js';
import type { CommandLogEntry, CommandLogStore } from '../../src/ports/command-log.js';
import { type StoreFactory, withStore } from './harness.js';

function entry(n: number, command: Partial<CommandEnvelope> = {}): Omit<CommandLogEntry, 'id'> {
  return {
    command: {
      id: `cmd-${n}`,
      action: 'set-mode',
      target: { siteId: 'maple', spaceId: 'lobby' },
      mode: 'active',
      issuer: 'ops-token',
      issuedAt: new Date(n * 1000).toISOString(),
      ...command,
    },
    issuer: command.issuer ?? 'ops-token',
    status: n % 2 === 0 ? 'done' : 'refused',
    reason: n % 2 === 0 ? null : `reason ${n}`,
    details: [`detail ${n}`],
    answeredAtMs: n * 1000,
  };
}

export function commandLogStoreContract(name: string, factory: StoreFactory<CommandLogStore>): void {
  const test = (title: string, body: (s: CommandLogStore) => void) => it(title, withStore(factory, body));

  describe(`CommandLogStore contract: ${name}`, () => {
    test('reads back what was appended, newest first, with increasing ids', (s) => {
      const a = s.append(entry(1));
      const b = s.append(entry(2));
      expect(b.id).toBeGreaterThan(a.id);
      expect(s.recent({})).toEqual([b, a]);
      expect(s.recent({})[1]).toEqual({ ...entry(1), id: a.id });
    });

    test('pages backwards with beforeId and a limit', (s) => {
      const ids = [1, 2, 3, 4, 5].map((n) => s.append(entry(n)).id);
      const first = s.recent({ limit: 2 });
      expect(first.map((e) => e.command.id)).toEqual(['cmd-5', 'cmd-4']);
      const next = s.recent({ limit: 2, beforeId: first[1]?.id ?? 0 });
      expect(next.map((e) => e.command.id)).toEqual(['cmd-3', 'cmd-2']);
      expect(s.recent({ beforeId: ids[0] ?? 0 })).toEqual([]);
    });

    test('filters by site, space, action and time', (s) => {
      s.append(entry(1, { target: { siteId: 'oak', spaceId: 'lobby' } }));
      s.append(entry(2, { target: { siteId: 'maple', spaceId: 'garage' } }));
      s.append(entry(3, { action: 'release', target: {} }));
      s.append(entry(4));
      expect(s.recent({ siteId: 'maple' }).map((e) => e.command.id)).toEqual(['cmd-4', 'cmd-2']);
      expect(s.recent({ spaceId: 'lobby' }).map((e) => e.command.id)).toEqual(['cmd-4', 'cmd-1']);
      expect(s.recent({ action: 'release' }).map((e) => e.command.id)).toEqual(['cmd-3']);
      expect(s.recent({ sinceMs: 3000 }).map((e) => e.command.id)).toEqual(['cmd-4', 'cmd-3']);
    });

    test('withServiceWide adds the entries without a site to a site filter', (s) => {
      s.append(entry(1, { target: { siteId: 'oak', spaceId: 'lobby' } }));
      s.append(entry(2, { target: { siteId: 'maple', spaceId: 'garage' } }));
      s.append(entry(3, { action: 'release', target: {} }));
      const last = s.append(entry(4));
      const ids = (q: Parameters<CommandLogStore['recent']>[0]) => s.recent(q).map((e) => e.command.id);
      expect(ids({ siteId: 'maple', withServiceWide: true })).toEqual(['cmd-4', 'cmd-3', 'cmd-2']);
      expect(ids({ siteId: 'maple', spaceId: 'lobby', withServiceWide: true })).toEqual(['cmd-4', 'cmd-3']);
      expect(ids({ siteId: 'oak', withServiceWide: true, action: 'set-mode' })).toEqual(['cmd-1']);
      expect(ids({ siteId: 'oak', withServiceWide: true, limit: 1, beforeId: last.id })).toEqual(['cmd-3']);
    });
  });
}
