import { describe, expect, it } from 'vitest';
import { maximumPacketSize, PUBLISH_OVERHEAD_BYTES } from '../../../src/adapters/mqtt/packet-size.js';

describe('maximumPacketSize', () => {
  it('is the payload limit plus room for the header, topic and properties', () => {
    expect(maximumPacketSize(16_384)).toBe(16_384 + PUBLISH_OVERHEAD_BYTES);
  });

  it('stays within what MQTT 5 can announce', () => {
    expect(maximumPacketSize(1e12)).toBe(268_435_460);
  });
});
