// Evidence for a gateway fronted through URL-mask NEGs: which NEGs, with which masks, reach a gateway none names.

import type { ResourceGraph, ResourceNode } from '../../domain/graph.js';

/** `{ reachedByMask: [{ neg, urlMask }] }` when a mask NEG reaches the gateway; nothing otherwise (stable evidence). */
export function reachedByMask(
  graph: ResourceGraph,
  gateway: ResourceNode<'gateway'>,
): { readonly reachedByMask?: readonly { readonly neg: string; readonly urlMask: string }[] } {
  const masks = graph.masksReaching(gateway);
  return masks.length > 0 ? { reachedByMask: masks } : {};
}
