import mqtt, { type MqttClient } from 'mqtt';

const MIN = 60_000;

export interface LoaderOptions {
  readonly url: string;
  readonly clientId: string;
  /** Meters m1..mN on <prefix>/m1..<prefix>/mN. */
  readonly prefix: string;
  readonly meters: number;
  readonly perMeter: number;
  /** Pause between one meter's readings, to spread the load over the test (0: as fast as acknowledged). */
  readonly pauseMs?: number;
}

/**
 * A QoS 1 publisher of cumulative meter readings: meter mK's reading i is at `startMs + i` minutes
 * with register `registerKWh(K, i)`. Each meter publishes its next reading once the broker has
 * acknowledged the last, so its readings reach the broker in order; MQTT.js resends what a broker
 * restart cut off. `done` resolves once the broker has acknowledged every reading.
 */
export class Loader {
  /** Readings the broker has acknowledged. */
  acknowledged = 0;
  readonly done: Promise<void>;
  private readonly client: MqttClient;

  constructor(
    private readonly options: LoaderOptions,
    readonly startMs: number,
  ) {
    this.client = mqtt.connect(options.url, { clientId: options.clientId, reconnectPeriod: 200 });
    this.done = Promise.all(Array.from({ length: options.meters }, (_, k) => this.meter(k + 1))).then(
      () => undefined,
    );
  }

  static registerKWh(meter: number, i: number): number {
    return 1000 * meter + i * 0.1;
  }

  get meters(): number {
    return this.options.meters;
  }

  get total(): number {
    return this.options.meters * this.options.perMeter;
  }

  /** What every meter's stored readings must add up to: count, register sum, and interval energy. */
  expected(meter: number): { n: number; sumKWh: number; intervalKWh: number } {
    const n = this.options.perMeter;
    let sumKWh = 0;
    for (let i = 0; i < n; i++) sumKWh += Loader.registerKWh(meter, i);
    return { n, sumKWh, intervalKWh: Loader.registerKWh(meter, n - 1) - Loader.registerKWh(meter, 0) };
  }

  async end(): Promise<void> {
    await this.client.endAsync(true);
  }

  private async meter(k: number): Promise<void> {
    const topic = `${this.options.prefix}/m${k}`;
    for (let i = 0; i < this.options.perMeter; i++) {
      const payload = JSON.stringify({ ts: this.startMs + i * MIN, energyKWh: Loader.registerKWh(k, i) });
      await this.client.publishAsync(topic, payload, { qos: 1 });
      this.acknowledged++;
      if (this.options.pauseMs) await new Promise((r) => setTimeout(r, this.options.pauseMs));
    }
  }
}
