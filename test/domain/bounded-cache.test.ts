// The LRU behind the API-config analysis cache: bounded by count and by weight, least recently used out first.

import { describe, expect, test } from 'vitest';
import { BoundedCache } from '../../src/domain/bounded-cache.js';

describe('BoundedCache', () => {
  test('drops the least recently used entry past the entry limit (a hit counts as a use)', () => {
    const cache = new BoundedCache<string>({ maxEntries: 2, maxWeight: 100 });
    cache.set('a', 'A', 1);
    cache.set('b', 'B', 1);
    expect(cache.get('a')).toBe('A');
    cache.set('c', 'C', 1);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.get('c')).toBe('C');
    expect(cache.size).toBe(2);
  });

  test('drops old entries until the weights fit, and keeps nothing heavier than the limit', () => {
    const cache = new BoundedCache<string>({ maxEntries: 10, maxWeight: 10 });
    cache.set('a', 'A', 4);
    cache.set('b', 'B', 4);
    cache.set('c', 'C', 4);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.weight).toBe(8);
    cache.set('huge', 'H', 11);
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.weight).toBe(8);
  });

  test('setting a key again replaces its weight rather than adding to it', () => {
    const cache = new BoundedCache<string>({ maxEntries: 10, maxWeight: 10 });
    cache.set('a', 'A', 6);
    cache.set('a', 'A2', 6);
    expect(cache.get('a')).toBe('A2');
    expect(cache.weight).toBe(6);
  });

  test('clear empties it', () => {
    const cache = new BoundedCache<string>({ maxEntries: 10, maxWeight: 10 });
    cache.set('a', 'A', 6);
    cache.clear();
    expect(cache.get('a')).toBeUndefined();
    expect(cache.weight).toBe(0);
  });
});
