// Port: a sweep's commits run through it, so the process can keep its heap tight while a large project's are written
// (functions/sweep-heap.ts). Without one, V8 paces the heap as it always does.

export interface HeapPacing {
  /** Runs `commit`, the commits of a sweep that read `resources` resources. */
  whileCommitting<T>(resources: number, commit: () => Promise<T>): Promise<T>;
}
