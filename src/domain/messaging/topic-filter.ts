const SLASH = 0x2f;
const PLUS = 0x2b;
const HASH = 0x23;

/** Whether a topic filter holds a wildcard (`+` or `#`); a topic to publish on may hold neither. */
export function isWildcard(filter: string): boolean {
  return filter.includes('+') || filter.includes('#');
}

/**
 * Whether an MQTT topic matches a subscription filter with + and # wildcards (MQTT 3.1.1 §4.7).
 * It walks both strings level by level without splitting them: a start-up checks every configured
 * topic against the covering filters, 100,000 and more.
 */
export function topicMatches(filter: string, topic: string): boolean {
  if (filter === topic) return true;
  // Wildcards never match topics that start with $ (broker topics such as $SYS).
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  let f = 0; // start of the filter's level
  let t = 0; // start of the topic's level; past the end once the topic has no more levels
  for (;;) {
    const fEnd = levelEnd(filter, f);
    const oneChar = fEnd - f === 1;
    // `#` takes the rest, the parent level included (`a/#` matches `a`).
    if (oneChar && filter.charCodeAt(f) === HASH) return true;
    if (t > topic.length) return false;
    const tEnd = levelEnd(topic, t);
    if (!(oneChar && filter.charCodeAt(f) === PLUS) && !sameLevel(filter, f, fEnd, topic, t, tEnd))
      return false;
    const topicDone = tEnd === topic.length;
    if (fEnd === filter.length) return topicDone;
    f = fEnd + 1;
    t = topicDone ? topic.length + 1 : tEnd + 1;
  }
}

function levelEnd(s: string, from: number): number {
  for (let i = from; i < s.length; i++) if (s.charCodeAt(i) === SLASH) return i;
  return s.length;
}

function sameLevel(a: string, aFrom: number, aEnd: number, b: string, bFrom: number, bEnd: number): boolean {
  if (aEnd - aFrom !== bEnd - bFrom) return false;
  for (let i = 0; i < aEnd - aFrom; i++)
    if (a.charCodeAt(aFrom + i) !== b.charCodeAt(bFrom + i)) return false;
  return true;
}
