// Reads a parsed plan into an Inventory the engine judges, with each record's Terraform address and the API
// fields it cannot know until apply.

import { emptyInventory, type Inventory, mappedProjectId } from '../domain/inventory.js';
import { findShapeProblem } from '../domain/record-shape.js';
import type { ResourceKind } from '../domain/resource-kind.js';
import { fullNameOf, parseResourceRef } from '../domain/resource-name.js';
import type { ApiRecord } from '../domain/resources.js';
import type { TerraformPlan } from './plan-file.js';
import { indexPlan, type PlanIndex } from './plan-index.js';
import { ReferenceResolver } from './references.js';
import {
  computeSelfLink,
  type IdentityDefaults,
  identityOf,
  RESOURCE_TYPES,
  type ResourceTypeSpec,
} from './resource-types.js';
import { toApiRecord, type UnknownField } from './to-api-record.js';

/** A planned resource maps to a record whose fields the rules cannot read (the CLI names the plan file). */
export class PlanRecordError extends Error {
  override readonly name = 'PlanRecordError';
  readonly badInput = true;
}

export interface PlannedResource {
  /** `module.edge.google_compute_backend_service.api` */
  readonly address: string;
  readonly type: string;
  readonly kind: ResourceKind;
  /** CAI full name the record is judged under. */
  readonly fullName: string;
  readonly actions: readonly string[];
  readonly deleted: boolean;
  readonly unknownFields: readonly UnknownField[];
  /** `module.edge` (empty for the root module). */
  readonly moduleAddress: string;
  /** Module call names from the root, for finding the module's directory. */
  readonly modulePath: readonly string[];
  /** Terraform's resource name (`api` in `google_compute_backend_service.api`). */
  readonly name: string;
}

export interface PlanInventory {
  /** What the plan leaves in place: planned values of every kept, created or updated resource. */
  readonly inventory: Inventory;
  readonly resources: readonly PlannedResource[];
  /** Full names the plan deletes (and does not re-create). */
  readonly deleted: ReadonlySet<string>;
  /** Each deleted full name -> the address of the resource whose delete or replacement removes it. */
  readonly deletedBy: ReadonlyMap<string, string>;
  readonly index: PlanIndex;
}

export interface ReadPlanOptions {
  /** Used when neither the resource nor the provider configuration names a project. */
  readonly defaultProject?: string;
  readonly defaultRegion?: string;
}

export function readPlan(plan: TerraformPlan, options: ReadPlanOptions = {}): PlanInventory {
  const index = indexPlan(plan);
  const project = index.provider.project ?? options.defaultProject;
  const region = index.provider.region ?? options.defaultRegion;
  const resolver = new ReferenceResolver(index, {
    ...(project ? { project } : {}),
    ...(region ? { region } : {}),
  });
  const records = emptyInventory() as { -readonly [K in ResourceKind]: ApiRecord[] };
  const resources: PlannedResource[] = [];
  const deleted = new Set<string>();
  const deletedBy = new Map<string, string>();
  for (const instance of index.instances) {
    const spec = RESOURCE_TYPES[instance.type];
    if (!spec?.kind) continue;
    const resolved = resolver.resolve(instance);
    if (!resolved.identity) continue;
    const config = index.config.get(instance.configAddress);
    const mapped = toApiRecord(
      resolved,
      { ...spec, kind: spec.kind },
      resolved.identity,
      config?.resource.expressions,
    );
    // Planned values are as untrusted as an export: a record the rules could not walk is refused here.
    const shape = findShapeProblem(spec.kind, mapped.record);
    if (shape) {
      throw new PlanRecordError(`${instance.address}: its API field ${shape.field} ${shape.problem}`);
    }
    const ref = parseResourceRef(mapped.record.selfLink ?? mapped.record.name);
    if (!ref) continue;
    const fullName = fullNameOf(ref);
    resources.push({
      address: instance.address,
      type: instance.type,
      kind: spec.kind,
      fullName,
      actions: instance.actions,
      deleted: instance.deleted,
      unknownFields: mapped.unknownFields,
      moduleAddress: instance.moduleAddress,
      modulePath: instance.parsed.modules.map((step) => step.name),
      name: instance.parsed.name,
    });
    if (instance.deleted) {
      deleted.add(fullName);
      deletedBy.set(fullName, instance.address);
    } else records[spec.kind].push(mapped.record);
    // A replacement destroys the object it had: when a forced-new name, region or project moves it, the old one is
    // gone after apply, and an existing estate must not keep judging it (a renamed backend service's Cloud Armor).
    const replaced =
      instance.replacedValues &&
      replacedNameOf(instance.replacedValues, spec, instance.address, {
        ...(project ? { project } : {}),
        ...(region ? { region } : {}),
      });
    if (replaced && replaced !== fullName) {
      deleted.add(replaced);
      deletedBy.set(replaced, instance.address);
    }
  }
  for (const resource of resources) {
    if (resource.deleted) continue;
    deleted.delete(resource.fullName);
    deletedBy.delete(resource.fullName);
  }
  return { inventory: records as Inventory, resources, deleted, deletedBy, index };
}

/** The full name of the object a replacement destroys, from its prior values (all known: it exists). */
function replacedNameOf(
  values: Readonly<Record<string, unknown>>,
  spec: ResourceTypeSpec,
  address: string,
  defaults: IdentityDefaults,
): string | undefined {
  const identity = identityOf(spec, values, address, defaults);
  if (identity.placeholders.length > 0) return undefined;
  const ref = parseResourceRef(
    identity.service === 'compute'
      ? computeSelfLink(identity.project, identity.path)
      : `projects/${identity.project}/${identity.path}`,
  );
  return ref ? fullNameOf(ref) : undefined;
}

/**
 * Puts the plan over resources that exist already (an estate export or a live project): planned values win over
 * an existing record with the same identity, and planned deletes remove it.
 */
export function overlayPlan(existing: Inventory, planned: PlanInventory): Inventory {
  const replaced = new Set<string>([
    ...planned.deleted,
    ...planned.resources.map((resource) => resource.fullName),
  ]);
  const keep = (record: ApiRecord): boolean => {
    const ref = parseResourceRef(record.selfLink ?? record.name);
    if (!ref) return true;
    const id = mappedProjectId(existing.projectIds, ref.project);
    const name = fullNameOf(id ? { ...ref, project: id } : ref);
    return !replaced.has(name) && !replaced.has(fullNameOf(ref));
  };
  const merged = emptyInventory() as { -readonly [K in ResourceKind]: ApiRecord[] };
  for (const kind of Object.keys(merged) as ResourceKind[]) {
    merged[kind] = [...(existing[kind] as readonly ApiRecord[]).filter(keep), ...planned.inventory[kind]];
  }
  return {
    ...(merged as Inventory),
    ...(existing.projectIds ? { projectIds: existing.projectIds } : {}),
    ...(existing.incomplete ? { incomplete: existing.incomplete } : {}),
  };
}
