import { describe, expect, it } from 'vitest';
import { prettyInstalled } from '../../../src/adapters/log/root-logger.js';

describe('prettyInstalled', () => {
  it('finds pino-pretty in a development install', () => {
    expect(prettyInstalled()).toBe(true);
  });

  it('says no when pino-pretty cannot be resolved (a production install), so lines stay JSON', () => {
    const missing = (id: string): string => {
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    };
    expect(prettyInstalled(missing)).toBe(false);
  });
});
