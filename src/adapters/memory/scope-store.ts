// In-memory swept scopes, for tests and offline runs.

import type { SweptScope, SweptScopeStore } from '../../ports/scope-tree.js';

export class MemoryScopeStore implements SweptScopeStore {
  readonly scopes = new Map<string, SweptScope>();
  loads = 0;

  async load(root: string): Promise<SweptScope | undefined> {
    this.loads += 1;
    return this.scopes.get(root);
  }

  async save(scope: SweptScope): Promise<void> {
    this.scopes.set(scope.root, scope);
  }
}
