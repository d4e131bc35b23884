import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { loadConfigFile } from '../../../src/adapters/config-file/load.js';
import { LOGGED_ERRORS_PER_REJECTION, wireConfigWatch } from '../../../src/main/config-watch.js';
import { LiveConfig } from '../../../src/main/live-config.js';
import { AlertService } from '../../../src/services/operations/alert-service.js';
import { ReloadStatus } from '../../../src/services/operations/reload-status.js';
import { MemoryAlertStore } from '../../helpers/fakes/memory-alert-store.js';
import { captureLogger } from '../../helpers/logger.js';
import { DEFAULT_CONFIG, readText, tempDir } from './helpers.js';

describe('a rejected config edit in the running service', () => {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('logs the first errors and how many more there are, not hundreds of lines', async () => {
    const { dir, cleanup } = tempDir();
    const file = join(dir, 'quietwatt.yaml');
    const text = readText(DEFAULT_CONFIG);
    writeFileSync(file, text);
    const initial = loadConfigFile(file);
    if (!initial.ok) throw new Error('default.yaml is invalid');
    const log = captureLogger();
    const clock = new ManualClock(Date.parse('2026-07-01T00:00:00Z'));
    const reloads = new ReloadStatus(
      file,
      clock,
      new AlertService({ store: new MemoryAlertStore(), clock, log }),
    );
    const watch = wireConfigWatch({
      file,
      initial: initial.config,
      live: new LiveConfig(initial.config),
      reloads,
      steps: [],
      log,
    });
    await watch.start();
    cleanups.push(() => watch.stop(), cleanup);

    // Every meter given an unknown format: one error per meter, and a few more for good measure.
    const broken = text.replace(/format: [a-z0-9-]+/g, 'format: nonsense');
    const errorsInFile = (broken.match(/format: nonsense/g) ?? []).length;
    expect(errorsInFile).toBeGreaterThan(LOGGED_ERRORS_PER_REJECTION);
    writeFileSync(file, broken);

    const deadline = Date.now() + 10_000;
    while (!log.lines.some((l) => l.msg?.startsWith('config change rejected'))) {
      if (Date.now() > deadline) throw new Error('the edit was never rejected');
      await new Promise((r) => setTimeout(r, 20));
    }
    const summary = log.lines.find((l) => l.msg?.startsWith('config change rejected'));
    const errorLines = log.lines.filter((l) => l.level === 'warn' && l.msg?.includes('got "nonsense"'));
    expect(errorLines).toHaveLength(LOGGED_ERRORS_PER_REJECTION);
    expect(summary?.msg).toMatch(/more error\(s\) not logged: quietwatt config check .* lists them all/);
    expect(reloads.lastRefusedReload()?.errors.length).toBeGreaterThan(LOGGED_ERRORS_PER_REJECTION);
  });
});
