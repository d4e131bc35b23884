import { createHash } from 'node:crypto';

/**
 * A config text's digest: enough to tell an edit from a touch without keeping the text (11 MB for
 * 100,000 meters) or reading the file again at start-up.
 */
export function textDigest(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}
