/**
 * The subset of the scope-manager API the model uses. Both typescript-eslint's scope manager (ESLint with
 * `@typescript-eslint/parser`, and our own codemod parsing) and eslint-scope (ESLint's default parser) provide it.
 */
export interface MinimalDefinition {
  type: string;
  node: unknown;
  name: unknown;
}

export interface MinimalReference {
  identifier: unknown;
  resolved: MinimalVariable | null;
}

export interface MinimalVariable {
  name: string;
  defs: readonly MinimalDefinition[];
  identifiers: readonly unknown[];
  references: readonly MinimalReference[];
  scope: MinimalScope;
}

export interface MinimalScope {
  type: string;
  block: unknown;
  upper: MinimalScope | null;
  set: Map<string, MinimalVariable>;
  references: readonly MinimalReference[];
  variables: readonly MinimalVariable[];
  childScopes: readonly MinimalScope[];
}

export interface MinimalScopeManager {
  scopes: readonly MinimalScope[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the two scope managers type nodes differently
  acquire(node: any, inner?: boolean): MinimalScope | null;
}
