import { HttpError, InfluxDB, type WriteApi } from '@influxdata/influxdb-client';
import type { LineWriter, WriteOutcome } from '../../ports/series-export.js';

export interface InfluxLineWriterOptions {
  readonly url: string;
  readonly org: string;
  readonly bucket: string;
  readonly token?: string | undefined;
  readonly timeoutMs: number;
  /** The largest batch `send` is given. */
  readonly maxBatchLines: number;
}

/** Statuses that mean the lines themselves are refused: sending them again cannot succeed. */
const PERMANENT = new Set([400, 413, 422]);

/** What a failed write means for its lines. */
export function classifyWriteError(error: unknown): WriteOutcome {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof HttpError) {
    const reason = `HTTP ${error.statusCode}: ${(error.body || message).slice(0, 500)}`;
    return PERMANENT.has(error.statusCode)
      ? { kind: 'refused', status: error.statusCode, reason }
      : { kind: 'retry', status: error.statusCode, reason };
  }
  return { kind: 'retry', status: null, reason: message.slice(0, 500) };
}

/**
 * Writes batches through the official client's WriteApi with its own retry layer switched off
 * (`maxRetries: 0`, and `writeFailed` takes the failure over), so the outbox is the only one. The
 * outcome of each batch is read from the write callbacks, since flush() and close() resolve even
 * when a batch failed.
 */
export class InfluxLineWriter implements LineWriter {
  private readonly api: WriteApi;
  private outcome: WriteOutcome | undefined;

  constructor(options: InfluxLineWriterOptions) {
    const report = (outcome: WriteOutcome): void => {
      this.outcome = outcome;
    };
    const influx = new InfluxDB({
      url: options.url,
      timeout: options.timeoutMs,
      ...(options.token !== undefined ? { token: options.token } : {}),
    });
    this.api = influx.getWriteApi(options.org, options.bucket, 'ms', {
      // One more than any batch, so the client never sends part of a batch on its own.
      batchSize: options.maxBatchLines + 1,
      // No timer of its own: the sink decides when to send.
      flushInterval: 0,
      maxRetries: 0,
      maxBufferLines: options.maxBatchLines,
      writeFailed(error: Error): Promise<void> {
        report(classifyWriteError(error));
        // A promise takes the failure over: the client neither retries nor logs it.
        return Promise.resolve();
      },
      writeSuccess(): void {
        report({ kind: 'written' });
      },
    });
  }

  async send(lines: readonly string[]): Promise<WriteOutcome> {
    this.outcome = undefined;
    this.api.writeRecords([...lines]);
    try {
      await this.api.flush();
    } catch (error) {
      return classifyWriteError(error);
    }
    return this.outcome ?? { kind: 'retry', status: null, reason: 'the client reported no outcome' };
  }

  async close(): Promise<void> {
    await this.api.close();
  }
}
