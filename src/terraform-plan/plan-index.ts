// Indexes a plan: every resource instance with its planned values, what is unknown until apply, its action,
// and the configuration block (expressions) it was declared by.

import { configAddressOf, moduleAddressOf, parseAddress, type ResourceAddress } from './address.js';
import {
  type ConfigModule,
  type ConfigResource,
  isObject,
  type ModuleCall,
  type PlanValuesModule,
  type PlanValuesResource,
  type ResourceChange,
  type TerraformPlan,
} from './plan-file.js';

export interface PlanInstance {
  readonly address: string;
  readonly parsed: ResourceAddress;
  /** `module.edge` (empty for the root module). */
  readonly moduleAddress: string;
  /** The address without instance keys, as the configuration names it. */
  readonly configAddress: string;
  readonly type: string;
  /** Planned values (`after`); for a planned delete, the values before it. */
  readonly values: Readonly<Record<string, unknown>>;
  /** `after_unknown`: `true` where a value is known only after apply. */
  readonly unknown: unknown;
  /** `after_sensitive` / `sensitive_values`: `true` where a value is sensitive. */
  readonly sensitive: unknown;
  readonly actions: readonly string[];
  readonly deleted: boolean;
  /** For a replacement (`delete` and `create`): the values of the object it destroys, which may bear another name. */
  readonly replacedValues?: Readonly<Record<string, unknown>>;
}

export interface ConfigEntry {
  readonly resource: ConfigResource;
  /** Module call names from the root (`['edge']`). */
  readonly modulePath: readonly string[];
}

export interface PlanIndex {
  /** Managed resources the plan keeps, creates, updates or deletes. */
  readonly instances: readonly PlanInstance[];
  /** Managed and data instances by address (data sources come from the prior state: they are read at plan time). */
  readonly byAddress: ReadonlyMap<string, PlanInstance>;
  readonly byConfigAddress: ReadonlyMap<string, readonly PlanInstance[]>;
  readonly config: ReadonlyMap<string, ConfigEntry>;
  /** Module path joined with `.` (empty for the root) -> its configuration. */
  readonly modules: ReadonlyMap<string, ConfigModule>;
  /** Module path joined with `.` -> the call that instantiates it. */
  readonly moduleCalls: ReadonlyMap<string, ModuleCall>;
  /** Project and region from the provider configuration, when given as constants. */
  readonly provider: { readonly project?: string; readonly region?: string };
}

function* walkValues(module: PlanValuesModule | undefined): Generator<PlanValuesResource> {
  if (!module) return;
  yield* module.resources ?? [];
  for (const child of module.child_modules ?? []) yield* walkValues(child);
}

function indexConfig(
  module: ConfigModule | undefined,
  path: readonly string[],
  config: Map<string, ConfigEntry>,
  modules: Map<string, ConfigModule>,
  calls: Map<string, ModuleCall>,
): void {
  if (!module) return;
  modules.set(path.join('.'), module);
  const prefix = path.map((name) => `module.${name}.`).join('');
  for (const resource of module.resources ?? []) {
    config.set(`${prefix}${resource.address}`, { resource, modulePath: path });
  }
  for (const [name, call] of Object.entries(module.module_calls ?? {})) {
    calls.set([...path, name].join('.'), call);
    indexConfig(call.module, [...path, name], config, modules, calls);
  }
}

function providerSettings(plan: TerraformPlan): PlanIndex['provider'] {
  const settings: { project?: string; region?: string } = {};
  for (const provider of Object.values(plan.configuration?.provider_config ?? {})) {
    if (provider.module_address) continue;
    if (
      !/^(registry\.terraform\.io\/hashicorp\/)?google(-beta)?$/.test(
        provider.full_name ?? provider.name ?? '',
      )
    ) {
      continue;
    }
    const expressions = provider.expressions ?? {};
    const project = (expressions.project as { constant_value?: unknown } | undefined)?.constant_value;
    const region = (expressions.region as { constant_value?: unknown } | undefined)?.constant_value;
    if (typeof project === 'string' && !settings.project) settings.project = project;
    if (typeof region === 'string' && !settings.region) settings.region = region;
  }
  return settings;
}

function toInstance(
  address: string,
  type: string,
  values: unknown,
  change: ResourceChange | undefined,
  sensitive: unknown,
  deleted: boolean,
): PlanInstance | undefined {
  const parsed = parseAddress(address);
  if (!parsed) return undefined;
  const actions = change?.change.actions ?? ['no-op'];
  const before = change?.change.before;
  const replaces = !deleted && actions.includes('delete') && actions.includes('create');
  return {
    address,
    parsed,
    moduleAddress: moduleAddressOf(parsed.modules),
    configAddress: configAddressOf(parsed),
    type,
    values: isObject(values) ? values : {},
    unknown: deleted ? undefined : change?.change.after_unknown,
    sensitive: deleted ? change?.change.before_sensitive : (change?.change.after_sensitive ?? sensitive),
    actions,
    deleted,
    ...(replaces && isObject(before) ? { replacedValues: before } : {}),
  };
}

export function indexPlan(plan: TerraformPlan): PlanIndex {
  // A deposed object's change shares its address with the current object's, and Terraform lists it after: it must not
  // stand in for the current change (its after_unknown is empty, its action a delete).
  const changes = new Map<string, ResourceChange>();
  for (const change of plan.resource_changes ?? []) {
    if (change.deposed === undefined) changes.set(change.address, change);
  }

  const instances: PlanInstance[] = [];
  const byAddress = new Map<string, PlanInstance>();
  for (const resource of walkValues(plan.planned_values.root_module)) {
    if (resource.mode !== 'managed') continue;
    const change = changes.get(resource.address);
    // `after` carries the same values as planned_values, plus the shape `after_unknown` mirrors.
    const values = isObject(change?.change.after) ? change.change.after : resource.values;
    const instance = toInstance(
      resource.address,
      resource.type,
      values,
      change,
      resource.sensitive_values,
      false,
    );
    if (!instance) continue;
    instances.push(instance);
    byAddress.set(instance.address, instance);
  }
  for (const change of plan.resource_changes ?? []) {
    const isDelete = change.change.actions.includes('delete') && !change.change.actions.includes('create');
    if (change.mode !== 'managed' || !isDelete) continue;
    // A deposed object is deleted beside the current one at its address, which stays the current one's.
    const isDeposed = change.deposed !== undefined;
    if (!isDeposed && byAddress.has(change.address)) continue;
    const instance = toInstance(change.address, change.type, change.change.before, change, undefined, true);
    if (!instance) continue;
    instances.push(instance);
    if (!isDeposed) byAddress.set(instance.address, instance);
  }
  for (const resource of walkValues(plan.prior_state?.values?.root_module)) {
    if (resource.mode !== 'data' || byAddress.has(resource.address)) continue;
    const instance = toInstance(
      resource.address,
      resource.type,
      resource.values,
      undefined,
      undefined,
      false,
    );
    if (instance) byAddress.set(instance.address, instance);
  }

  const byConfigAddress = new Map<string, PlanInstance[]>();
  for (const instance of byAddress.values()) {
    byConfigAddress.set(instance.configAddress, [
      ...(byConfigAddress.get(instance.configAddress) ?? []),
      instance,
    ]);
  }
  const config = new Map<string, ConfigEntry>();
  const modules = new Map<string, ConfigModule>();
  const calls = new Map<string, ModuleCall>();
  indexConfig(plan.configuration?.root_module, [], config, modules, calls);
  return {
    instances,
    byAddress,
    byConfigAddress,
    config,
    modules,
    moduleCalls: calls,
    provider: providerSettings(plan),
  };
}
