import { QlobberDedup } from 'qlobber';
import { isWildcard } from '../../domain/messaging/topic-filter.js';

/** Topics whose handlers are remembered: one per meter and sensor of a large instance. */
const MAX_CACHED_TOPICS = 250_000;

/**
 * Which handlers a message's topic reaches, in time independent of how many filters are
 * subscribed: exact topics through a map, wildcard filters through a trie (qlobber, as the aedes
 * broker matches). MQTT rules (3.1.1 §4.7): `+` matches one level, empty ones included; `#` matches
 * the rest, the parent level included; topics starting with `$` are never matched by a filter that
 * starts with a wildcard.
 */
export class TopicRouter<H> {
  /** Wildcard filters whose first level is a name: they can match `$` topics. */
  private readonly named = TopicRouter.trie<H>();
  /** Filters starting with `+` or `#`: kept out of `$` topics. */
  private readonly leading = TopicRouter.trie<H>();
  /**
   * Filter -> handlers, for removal and for telling whether a filter is still used; and the exact
   * topics' lookup: a topic holds no wildcard, so it can only find an exact filter here.
   */
  private readonly byFilter = new Map<string, Set<H>>();
  /** Registration order, so that a message reaches its handlers in the order they subscribed. */
  private readonly order = new Map<H, number>();
  /** (Wildcard filter, handler) pairs in the tries: with none, a match is one map lookup. */
  private wildcards = 0;
  /**
   * Topic -> its handlers, once matched against the tries: a meter's topic comes again and again,
   * and a trie walk, a set and a sort per message cost more than the lookup. Emptied whenever a
   * filter is added or removed, and when it reaches MAX_CACHED_TOPICS (a stream of ever new topics
   * cannot grow it without bound).
   */
  private readonly matched = new Map<string, readonly H[]>();

  private static trie<H>() {
    return new QlobberDedup<H>({
      separator: '/',
      wildcard_one: '+',
      wildcard_some: '#',
      match_empty_levels: true,
      cache_splits: 1000,
    });
  }

  add(filter: string, handler: H): void {
    const handlers = this.byFilter.get(filter) ?? new Set<H>();
    if (handlers.has(handler)) return;
    this.matched.clear();
    handlers.add(handler);
    this.byFilter.set(filter, handlers);
    if (!this.order.has(handler)) this.order.set(handler, this.order.size);
    if (isWildcard(filter)) {
      this.trieOf(filter).add(filter, handler);
      this.wildcards++;
    }
  }

  /** Removes the handler from the filter, or every handler when none is given. */
  remove(filter: string, handler?: H): void {
    const handlers = this.byFilter.get(filter);
    if (!handlers) return;
    const removed = handler === undefined ? [...handlers] : handlers.has(handler) ? [handler] : [];
    if (removed.length > 0) this.matched.clear();
    for (const h of removed) {
      handlers.delete(h);
      if (isWildcard(filter)) {
        this.trieOf(filter).remove(filter, h);
        this.wildcards--;
      }
    }
    if (handlers.size === 0) this.byFilter.delete(filter);
  }

  /** Every filter some handler listens on. */
  filters(): IterableIterator<string> {
    return this.byFilter.keys();
  }

  /** Whether any handler still listens on the filter. */
  has(filter: string): boolean {
    return this.byFilter.has(filter);
  }

  /** The handlers the topic reaches, each once, in the order they first subscribed. */
  match(topic: string): readonly H[] {
    const cached = this.matched.get(topic);
    if (cached) return cached;
    const handlers = this.lookUp(topic);
    if (this.matched.size >= MAX_CACHED_TOPICS) this.matched.clear();
    this.matched.set(topic, handlers);
    return handlers;
  }

  private lookUp(topic: string): readonly H[] {
    const exact = isWildcard(topic) ? undefined : this.byFilter.get(topic);
    if (this.wildcards === 0 && (exact === undefined || exact.size <= 1)) return exact ? [...exact] : [];
    const found = new Set<H>(exact);
    for (const h of this.named.match(topic)) found.add(h);
    if (!topic.startsWith('$')) for (const h of this.leading.match(topic)) found.add(h);
    const handlers = [...found];
    if (handlers.length > 1) handlers.sort((a, b) => (this.order.get(a) ?? 0) - (this.order.get(b) ?? 0));
    return handlers;
  }

  private trieOf(filter: string) {
    return filter.startsWith('+') || filter.startsWith('#') ? this.leading : this.named;
  }
}
