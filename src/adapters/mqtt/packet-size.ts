/**
 * Room in a PUBLISH packet besides its payload: fixed header (up to 5 bytes), topic (2 + its length),
 * packet id (2) and MQTT 5 properties. Generous, so that a payload just over the limit still arrives
 * and is counted as `oversize` by the decoders rather than vanishing at the broker.
 */
export const PUBLISH_OVERHEAD_BYTES = 8 * 1024;

/** The largest packet MQTT 5 can name (a four-byte remaining length plus the fixed header). */
const MQTT_MAX_PACKET_BYTES = 268_435_460;

/**
 * The MQTT 5 Maximum Packet Size to announce on connect for a payload limit: the broker then never
 * sends a larger packet (it drops it, MQTT 5 §3.1.2.11.4), so an oversized payload is never held
 * whole by the client before the size check.
 */
export function maximumPacketSize(maxPayloadBytes: number): number {
  return Math.min(MQTT_MAX_PACKET_BYTES, Math.max(1, Math.ceil(maxPayloadBytes)) + PUBLISH_OVERHEAD_BYTES);
}
