// The `terraform show -json` plan format (format_version 1.x), parsed and checked enough to fail clearly on bad input.

/** A resource instance in `planned_values` or `prior_state` (`values` holds the attributes). */
export interface PlanValuesResource {
  readonly address: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name?: string;
  readonly values?: Readonly<Record<string, unknown>>;
  readonly sensitive_values?: unknown;
}

export interface PlanValuesModule {
  readonly address?: string;
  readonly resources?: readonly PlanValuesResource[];
  readonly child_modules?: readonly PlanValuesModule[];
}

export interface PlanChange {
  readonly actions: readonly string[];
  readonly before?: unknown;
  readonly after?: unknown;
  /** Mirrors `after`: `true` where the value is known only after apply. */
  readonly after_unknown?: unknown;
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
}

export interface ResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name?: string;
  readonly change: PlanChange;
}

/** A configuration expression: a constant, or the references it is computed from. */
export interface ConfigExpression {
  readonly constant_value?: unknown;
  readonly references?: readonly string[];
}

export interface ConfigResource {
  /** Relative to its module: `google_compute_backend_service.api`. */
  readonly address: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly provider_config_key?: string;
  /** Attribute -> expression; nested blocks are arrays of such maps. */
  readonly expressions?: Readonly<Record<string, unknown>>;
}

export interface ModuleCall {
  readonly source?: string;
  readonly module?: ConfigModule;
  readonly expressions?: Readonly<Record<string, unknown>>;
}

export interface ConfigModule {
  readonly resources?: readonly ConfigResource[];
  readonly module_calls?: Readonly<Record<string, ModuleCall>>;
  readonly outputs?: Readonly<Record<string, { readonly expression?: ConfigExpression }>>;
}

export interface ProviderConfig {
  readonly name?: string;
  readonly full_name?: string;
  readonly module_address?: string;
  readonly expressions?: Readonly<Record<string, unknown>>;
}

export interface TerraformPlan {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly planned_values: { readonly root_module: PlanValuesModule };
  readonly resource_changes?: readonly ResourceChange[];
  readonly prior_state?: { readonly values?: { readonly root_module?: PlanValuesModule } };
  readonly configuration?: {
    readonly provider_config?: Readonly<Record<string, ProviderConfig>>;
    readonly root_module?: ConfigModule;
  };
}

/** The plan file cannot be used: names the file and what is wrong, for a one-line exit-2 message. */
export class PlanInputError extends Error {
  override readonly name = 'PlanInputError';
  readonly badInput = true;
  readonly retryable = false;
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** A JSON object: not null and not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOfJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Parses `terraform show -json PLANFILE` output. Checks only what the reader relies on; unknown properties are
 * ignored, as the format's compatibility promise asks of consumers of minor versions.
 */
export function parsePlan(text: string, file: string): TerraformPlan {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PlanInputError(
      file,
      `is not JSON (${reason}); give the output of \`terraform show -json PLANFILE\``,
    );
  }
  if (!isObject(json)) {
    throw new PlanInputError(
      file,
      `is not a Terraform plan: expected a JSON object, found ${kindOfJson(json)}`,
    );
  }
  const version = json.format_version;
  if (typeof version !== 'string') {
    throw new PlanInputError(
      file,
      'is not a Terraform plan: missing format_version (give the output of `terraform show -json PLANFILE`)',
    );
  }
  if (!/^1\.\d+$/.test(version)) {
    throw new PlanInputError(file, `has format_version "${version}"; only 1.x plans are supported`);
  }
  if (!isObject(json.planned_values)) {
    const hint = isObject(json.values)
      ? ' (this is state output: run `terraform plan -out=PLANFILE` and `terraform show -json PLANFILE`)'
      : '';
    throw new PlanInputError(file, `is not a Terraform plan: missing planned_values${hint}`);
  }
  if (!isObject(json.planned_values.root_module)) {
    throw new PlanInputError(file, 'is not a Terraform plan: planned_values has no root_module');
  }
  if (json.resource_changes !== undefined && !Array.isArray(json.resource_changes)) {
    throw new PlanInputError(
      file,
      `resource_changes should be an array, found ${kindOfJson(json.resource_changes)}`,
    );
  }
  for (const [index, change] of ((json.resource_changes as unknown[] | undefined) ?? []).entries()) {
    if (!isObject(change) || typeof change.address !== 'string' || !isObject(change.change)) {
      throw new PlanInputError(file, `resource_changes[${index}] has no address or change`);
    }
    if (!Array.isArray(change.change.actions)) {
      throw new PlanInputError(file, `resource_changes[${index}] (${change.address}) has no change.actions`);
    }
  }
  checkModule(json.planned_values.root_module, 'planned_values.root_module', file);
  return json as unknown as TerraformPlan;
}

function checkModule(module: Record<string, unknown>, where: string, file: string): void {
  const resources = module.resources ?? [];
  if (!Array.isArray(resources)) throw new PlanInputError(file, `${where}.resources should be an array`);
  for (const [index, resource] of resources.entries()) {
    if (!isObject(resource) || typeof resource.address !== 'string' || typeof resource.type !== 'string') {
      throw new PlanInputError(file, `${where}.resources[${index}] has no address or type`);
    }
  }
  const children = module.child_modules ?? [];
  if (!Array.isArray(children)) throw new PlanInputError(file, `${where}.child_modules should be an array`);
  for (const [index, child] of children.entries()) {
    if (!isObject(child)) throw new PlanInputError(file, `${where}.child_modules[${index}] is not an object`);
    checkModule(child, `${where}.child_modules[${index}]`, file);
  }
}
