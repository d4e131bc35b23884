import { createServer, type Server } from 'node:net';
import { Aedes, type AuthenticateError } from 'aedes';
import type { Component } from '../../ports/component.js';
import type { Logger } from '../../ports/logger.js';
import { type BrokerCredentials, credentialsMatch } from './broker-credentials.js';

/** Thrown when the embedded broker cannot start; carries a message meant for operators. */
export class EmbeddedBrokerError extends Error {}

/** Thrown when the embedded broker cannot listen. */
export class BrokerPortError extends EmbeddedBrokerError {
  readonly code = 'QW_ERR_BROKER_PORT';
}

/**
 * An in-process MQTT 3.1.1 broker (aedes) on a loopback port, so that QuietWatt runs with no broker
 * of its own. Real deployments point `mqtt.url` at their broker instead.
 */
export class EmbeddedBroker implements Component {
  readonly name = 'embedded-broker';
  private broker: Aedes | undefined;
  private server: Server | undefined;
  private boundPort: number | undefined;

  constructor(
    private readonly port: number,
    private readonly log?: Logger,
    private readonly host = '127.0.0.1',
    /** With them, a client that does not present them is refused (CONNACK: bad username or password). */
    private readonly credentials?: BrokerCredentials,
  ) {}

  /** The broker URL; with port 0 the port is known only after start. */
  get url(): string {
    return `mqtt://${this.host}:${this.boundPort ?? this.port}`;
  }

  async start(): Promise<void> {
    const credentials = this.credentials;
    const broker = await Aedes.createBroker({
      drainTimeout: 30_000,
      ...(credentials
        ? {
            authenticate: (client, username, password, done) => {
              if (credentialsMatch(credentials, username, password)) return done(null, true);
              // The client id only: never what it presented.
              this.log?.warn({ clientId: client.id }, 'embedded broker refused a client: bad credentials');
              const error = new Error('bad username or password') as AuthenticateError;
              error.returnCode = 4;
              done(error, false);
            },
          }
        : {}),
    });
    // Request-reply traffic (the lockstep clock) stalls on Nagle's algorithm; send small packets at once.
    const server = createServer((socket) => {
      socket.setNoDelay(true);
      broker.handle(socket);
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.port, this.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') {
        throw new BrokerPortError(
          `port ${this.host}:${this.port} is already in use, so the embedded MQTT broker cannot start. ` +
            'Set mqtt.embeddedPort to a free port, or set mqtt.url to the broker that is listening there.',
        );
      }
      throw new BrokerPortError(
        `the embedded MQTT broker cannot listen on ${this.host}:${this.port}: ${code ?? error}`,
      );
    }
    const address = server.address();
    this.boundPort = typeof address === 'object' && address ? address.port : this.port;
    this.broker = broker;
    this.server = server;
    this.log?.debug({ url: this.url }, 'embedded broker listening');
  }

  async stop(): Promise<void> {
    const { broker, server } = this;
    this.broker = undefined;
    this.server = undefined;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Clients still connected keep the server open; aedes closes them below.
        setImmediate(resolve);
      });
    }
    if (broker) await new Promise<void>((resolve) => broker.close(() => resolve()));
  }
}
