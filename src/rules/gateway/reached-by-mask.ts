// Evidence for a gateway fronted through URL-mask NEGs: which NEGs, with which masks, reach a gateway none names.

import type { ResourceGraph, ResourceNode } from '../../domain/graph.js';
import { lastSegment } from '../../domain/resource-name.js';

export interface MaskReach {
  readonly neg: string;
  readonly urlMask: string;
}

/** `{ reachedByMask: [{ neg, urlMask }] }` when a mask NEG reaches the gateway; nothing otherwise (stable evidence). */
export function reachedByMask(
  graph: ResourceGraph,
  gateway: ResourceNode<'gateway'>,
): { readonly reachedByMask?: readonly MaskReach[] } {
  const masks = graph.masksReaching(gateway);
  return masks.length > 0 ? { reachedByMask: masks } : {};
}

/** ` (fronted through the URL mask "M" of NEG N)` for messages, or nothing when no mask reaches the gateway. */
export function throughMasks(masks: readonly MaskReach[] | undefined): string {
  if (!masks || masks.length === 0) return '';
  const named = masks.map((mask) => `"${mask.urlMask}" of NEG ${lastSegment(mask.neg) ?? mask.neg}`);
  return ` (fronted through the URL mask ${named.join(', ')})`;
}
