// Port: a sweep builds, judges and commits a project through it, so the process can keep its heap tight while a
// large project's graph, judgement and commits are in memory (functions/sweep-heap.ts). Without one, V8 paces the
// heap as it always does.

export interface HeapPacing {
  /** Runs `work` once: building, judging and committing a project of `records` records, read beforehand. */
  pace<T>(records: number, work: () => Promise<T>): Promise<T>;
}
