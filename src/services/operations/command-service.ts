import type { SiteConfig } from '../../config/schema/site.js';
import {
  type CommandEnvelope,
  type CommandResponse,
  type CommandTarget,
  done,
  refused,
} from '../../domain/commands/envelope.js';
import type { Clock } from '../../ports/clock.js';
import type { CommandLogEntry, CommandLogQuery, CommandLogStore } from '../../ports/command-log.js';
import type { Logger } from '../../ports/logger.js';
import type { CommandHandler } from '../../ports/operations.js';
import type { CommissioningResult } from '../control/commissioning.js';
import type { SpaceModes } from './space-modes.js';
import { completeTarget, unknownTarget } from './targets.js';

/** What the command service needs of the control loop (ControlService implements it). */
export interface ControlOperations {
  applyModes(): Promise<string[]>;
  commissionDevices(target: CommandTarget): {
    readonly checks: readonly { readonly key: string; readonly result: Promise<CommissioningResult> }[];
    readonly skipped: readonly string[];
  };
  setOperatorRelease(released: boolean, by: string): Promise<string[]>;
  clearOverride(siteId: string, spaceId: string, deviceId?: string): Promise<string[]>;
}

export interface CommandServiceDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly store: CommandLogStore;
  readonly modes: Pick<SpaceModes, 'modeOf' | 'set' | 'reset'>;
  readonly control: ControlOperations;
  /** Sites of the config in force (it changes on a reload). */
  readonly sites: () => readonly SiteConfig[];
  /** How long `commission` waits for results before answering `accepted`. Default 10 s. */
  readonly commissionWaitMs?: number;
  /** Real-time wait (injected so tests decide); setTimeout by default. */
  readonly wait?: (ms: number) => Promise<void>;
}

/** Answers kept to recognise a redelivered command (MQTT QoS 1 may deliver twice). */
const REMEMBERED = 200;

function commissioningLine(key: string, r: CommissioningResult): string {
  return `${key}: ${r.passed ? 'passed' : 'failed'} (${r.detail})`;
}

/**
 * Carries out operator commands from every channel (HTTP, MQTT, CLI) and audits each with its
 * issuer and answer. A target naming a site, space or device the config does not have is refused
 * with a reason naming it. Never throws.
 */
export class CommandService implements CommandHandler {
  private readonly answered = new Map<string, CommandResponse>();

  constructor(private readonly deps: CommandServiceDeps) {}

  async execute(command: CommandEnvelope): Promise<CommandResponse> {
    const seen = this.answered.get(command.id);
    if (seen) return seen;
    let response: CommandResponse;
    try {
      response = await this.run(command);
    } catch (error) {
      this.deps.log.error({ command: command.id, err: String(error) }, 'command failed');
      response = refused(command, `internal error: ${String(error)}`, this.deps.clock.now());
    }
    this.remember(command.id, response);
    this.audit(command, response);
    return response;
  }

  /** The audit trail of operator commands, newest first. */
  recentCommands(query: CommandLogQuery): CommandLogEntry[] {
    return this.deps.store.recent(query);
  }

  private async run(command: CommandEnvelope): Promise<CommandResponse> {
    const now = () => this.deps.clock.now();
    const c = { ...command, target: completeTarget(this.deps.sites(), command.target) };
    const unknown = unknownTarget(this.deps.sites(), c.target);
    if (unknown) return refused(c, unknown, now());
    const { siteId, spaceId, deviceId } = c.target;
    switch (c.action) {
      case 'set-mode': {
        if (siteId === undefined || spaceId === undefined || c.mode === undefined)
          return refused(c, 'set-mode needs target.siteId, target.spaceId and a mode', now());
        const before = this.deps.modes.modeOf(siteId, spaceId);
        this.deps.modes.set(siteId, spaceId, c.mode, c.issuer, now());
        const changes = await this.deps.control.applyModes();
        return done(c, now(), [
          `${siteId}/${spaceId}: mode ${c.mode}, set by ${c.issuer} (was ${before.mode} from the ${before.source === 'operator' ? 'operator' : 'config file'}); it wins over the config file until reset-mode`,
          ...changes,
        ]);
      }
      case 'reset-mode': {
        if (siteId === undefined || spaceId === undefined)
          return refused(c, 'reset-mode needs target.siteId and target.spaceId', now());
        const had = this.deps.modes.reset(siteId, spaceId);
        const changes = had ? await this.deps.control.applyModes() : [];
        const mode = this.deps.modes.modeOf(siteId, spaceId).mode;
        return done(c, now(), [
          had
            ? `${siteId}/${spaceId}: operator mode removed; the config file's mode applies: ${mode}`
            : `${siteId}/${spaceId}: no operator mode was set; the config file's mode applies: ${mode}`,
          ...changes,
        ]);
      }
      case 'commission':
        return this.commission(c);
      case 'release':
      case 'resume': {
        const released = c.action === 'release';
        const back = await this.deps.control.setOperatorRelease(released, c.issuer);
        const head = released
          ? 'every device handed back to its own schedule until resume'
          : 'release lifted: QuietWatt resumes control';
        return done(c, now(), [head, ...back.map((d) => `${d}: handed back`)]);
      }
      case 'clear-override': {
        if (siteId === undefined || spaceId === undefined)
          return refused(c, 'clear-override needs target.siteId and target.spaceId', now());
        const cleared = await this.deps.control.clearOverride(siteId, spaceId, deviceId);
        const where = deviceId === undefined ? `${siteId}/${spaceId}` : `${siteId}/${spaceId}/${deviceId}`;
        return done(
          c,
          now(),
          cleared.length === 0
            ? [`${where}: no override hold was in force`]
            : cleared.map((k) => `${k}: override hold ended; QuietWatt controls it again`),
        );
      }
    }
  }

  private async commission(c: CommandEnvelope): Promise<CommandResponse> {
    const { checks, skipped } = this.deps.control.commissionDevices(c.target);
    const nowMs = this.deps.clock.now();
    if (checks.length === 0) {
      if (skipped.length > 0) return refused(c, skipped.join('; '), nowMs);
      return done(c, nowMs, ['every named device has passed commissioning already']);
    }
    const results = new Map<string, CommissioningResult>();
    const all = Promise.all(
      checks.map(async ({ key, result }) => {
        results.set(key, await result);
      }),
    );
    const wait = this.deps.wait ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms).unref()));
    await Promise.race([all, wait(this.deps.commissionWaitMs ?? 10_000)]);
    const details = [
      ...checks.map(({ key }) => {
        const r = results.get(key);
        return r ? commissioningLine(key, r) : `${key}: running`;
      }),
      ...skipped,
    ];
    const running = checks.length - results.size;
    if (running === 0) return done(c, this.deps.clock.now(), details);
    return {
      commandId: c.id,
      action: c.action,
      status: 'accepted',
      reason: `commissioning still running for ${running} device(s); results are recorded in the device status`,
      details,
      at: new Date(this.deps.clock.now()).toISOString(),
    };
  }

  private remember(id: string, response: CommandResponse): void {
    this.answered.set(id, response);
    if (this.answered.size > REMEMBERED) {
      const oldest = this.answered.keys().next().value;
      if (oldest !== undefined) this.answered.delete(oldest);
    }
  }

  private audit(c: CommandEnvelope, r: CommandResponse): void {
    try {
      this.deps.store.append({
        command: c,
        issuer: c.issuer,
        status: r.status,
        reason: r.reason ?? null,
        details: r.details,
        answeredAtMs: Date.parse(r.at),
      });
    } catch (error) {
      this.deps.log.error({ command: c.id, err: String(error) }, 'command not recorded in the command log');
    }
    const line = { command: c.id, action: c.action, target: c.target, issuer: c.issuer, status: r.status };
    if (r.status === 'refused') this.deps.log.warn({ ...line, reason: r.reason }, 'command refused');
    else this.deps.log.info(line, 'command carried out');
  }
}
