import { createHash, timingSafeEqual } from 'node:crypto';

/** What a client must present to the embedded broker; no username means any username. */
export interface BrokerCredentials {
  readonly username?: string | undefined;
  readonly password: string;
}

/** Compared in constant time (through digests, so lengths do not leak either). */
export function credentialsMatch(
  expected: BrokerCredentials,
  username: string | undefined,
  password: Buffer | undefined,
): boolean {
  const digest = (value: string | Buffer) => createHash('sha256').update(value).digest();
  const passwordOk = timingSafeEqual(digest(expected.password), digest(password ?? Buffer.alloc(0)));
  const userOk =
    expected.username === undefined || timingSafeEqual(digest(expected.username), digest(username ?? ''));
  return password !== undefined && passwordOk && userOk;
}
