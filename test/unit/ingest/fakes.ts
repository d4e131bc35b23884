import type { SiteConfig } from '../../../src/config/schema/site.js';
import type { Clock } from '../../../src/ports/clock.js';
import type { Logger } from '../../../src/ports/logger.js';
import type {
  InboundMessage,
  MessageBus,
  MessageHandler,
  PublishOptions,
} from '../../../src/ports/message-bus.js';
import type { Job, JobTiming, ScheduledJob, Scheduler } from '../../../src/ports/scheduler.js';
import type { IngestDeps } from '../../../src/services/ingest/ingest-service.js';

/** Exact-topic and wildcard matching, enough for the ingest tests. */
function matches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

/** In-memory MessageBus: `deliver` plays a broker delivering one message to matching subscriptions. */
export class FakeBus implements MessageBus {
  readonly subscriptions: { filters: readonly string[]; handler: MessageHandler }[] = [];
  readonly published: { topic: string; payload: string | Uint8Array; options?: PublishOptions }[] = [];

  constructor(private readonly clock: Clock) {}

  async publish(topic: string, payload: string | Uint8Array, options?: PublishOptions): Promise<void> {
    this.published.push({ topic, payload, ...(options ? { options } : {}) });
  }

  async subscribe(topicFilters: readonly string[], handler: MessageHandler): Promise<void> {
    this.subscriptions.push({ filters: topicFilters, handler });
  }

  async unsubscribe(topicFilters: readonly string[]): Promise<void> {
    for (let i = this.subscriptions.length - 1; i >= 0; i--) {
      const s = this.subscriptions[i];
      if (!s) continue;
      const left = s.filters.filter((f) => !topicFilters.includes(f));
      if (left.length === 0) this.subscriptions.splice(i, 1);
      else this.subscriptions[i] = { filters: left, handler: s.handler };
    }
  }

  get filters(): string[] {
    return this.subscriptions.flatMap((s) => s.filters);
  }

  deliver(topic: string, payload: string | Uint8Array, opts: { retained?: boolean } = {}): void {
    const message: InboundMessage = {
      topic,
      payload: typeof payload === 'string' ? new TextEncoder().encode(payload) : payload,
      retained: opts.retained ?? false,
      receivedAtMs: this.clock.now(),
    };
    for (const s of this.subscriptions) {
      if (s.filters.some((f) => matches(f, topic))) s.handler(message);
    }
  }
}

export class FakeClock implements Clock {
  constructor(public nowMs: number) {}
  now(): number {
    return this.nowMs;
  }
}

/** Records scheduled jobs; `runAll` fires each once, as a timer tick would. */
export class FakeScheduler implements Scheduler {
  readonly jobs = new Map<string, { timing: JobTiming; job: Job }>();

  schedule(name: string, timing: JobTiming, job: Job): ScheduledJob {
    this.jobs.set(name, { timing, job });
    return { name, cancel: () => this.jobs.delete(name) };
  }

  async runAll(): Promise<void> {
    for (const { job } of [...this.jobs.values()]) await job();
  }

  async stop(): Promise<void> {
    this.jobs.clear();
  }
}

export interface LogLine {
  readonly level: string;
  readonly obj: Record<string, unknown>;
  readonly msg: string | undefined;
}

/** Logger that keeps its lines in memory, so tests can read them without printing. */
export class CapturingLogger implements Logger {
  constructor(
    readonly lines: LogLine[] = [],
    private readonly bindings: Record<string, unknown> = {},
  ) {}

  private push(level: string, obj: object, msg?: string): void {
    this.lines.push({ level, obj: { ...this.bindings, ...(obj as Record<string, unknown>) }, msg });
  }
  trace(obj: object, msg?: string): void {
    this.push('trace', obj, msg);
  }
  debug(obj: object, msg?: string): void {
    this.push('debug', obj, msg);
  }
  info(obj: object, msg?: string): void {
    this.push('info', obj, msg);
  }
  warn(obj: object, msg?: string): void {
    this.push('warn', obj, msg);
  }
  error(obj: object, msg?: string): void {
    this.push('error', obj, msg);
  }
  child(bindings: Record<string, unknown>): Logger {
    return new CapturingLogger(this.lines, { ...this.bindings, ...bindings });
  }
}

/** What every test ingest service is built from: its bus, clock, scheduler, stores and one site. */
export interface TestIngestParts {
  readonly bus: MessageBus;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly stores: Pick<IngestDeps, 'readings' | 'intervals' | 'meterState'>;
  readonly site: SiteConfig;
}

/** Ingest deps for a test: a capturing log, 35 days of raw retention, 512-byte payloads, `extra` on top. */
export function testIngestDeps(parts: TestIngestParts, extra: Partial<IngestDeps> = {}): IngestDeps {
  return {
    bus: parts.bus,
    clock: parts.clock,
    log: new CapturingLogger(),
    scheduler: parts.scheduler,
    readings: parts.stores.readings,
    intervals: parts.stores.intervals,
    meterState: parts.stores.meterState,
    config: { sites: [parts.site], rawRetentionDays: 35 },
    maxPayloadBytes: 512,
    ...extra,
  };
}
