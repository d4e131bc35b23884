import mqtt, { type MqttClient } from 'mqtt';

/** A real broker (Mosquitto): MQTT_URL, else the usual local port. */
export const REAL_BROKER_URL = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';

/**
 * A clean-session client of the test's own on the real broker, or undefined when none answers: the
 * test then skips, except under CI=true, where a missing broker fails it.
 */
export async function connectRealBrokerOrSkip(clientId: string): Promise<MqttClient | undefined> {
  try {
    return await mqtt.connectAsync(REAL_BROKER_URL, {
      clientId,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 3_000,
    });
  } catch (error) {
    if (process.env.CI === 'true')
      throw new Error(`CI=true but no broker answers at ${REAL_BROKER_URL}: ${String(error)}`);
    return undefined;
  }
}
