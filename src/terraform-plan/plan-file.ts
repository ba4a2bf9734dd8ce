// The `terraform show -json` plan format (format_version 1.x), parsed and checked enough to fail clearly on bad input.

import { parseJsonText } from '../domain/json-text.js';
import { describeJsonType, isNestedDeeperThan } from '../domain/record-shape.js';

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
  /** Set on the change of a deposed object (left by a failed create_before_destroy), beside the current one's. */
  readonly deposed?: string;
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

/**
 * Parses `terraform show -json PLANFILE` output. Checks only what the reader relies on; unknown properties are
 * ignored, as the format's compatibility promise asks of consumers of minor versions.
 */
export function parsePlan(text: string, file: string): TerraformPlan {
  const json = parsePlanJson(text, file);
  checkPlanShape(json, file);
  return json as unknown as TerraformPlan;
}

/**
 * Nesting a plan may have: a resource's values are about ten levels deep, each module level adds two. The bound keeps
 * every walk over the plan (modules, expressions, values) far from the call stack's limit.
 */
export const MAX_PLAN_DEPTH = 256;

function parsePlanJson(text: string, file: string): unknown {
  const parsed = parseJsonText(text.replace(/^\uFEFF/, ''));
  if (!parsed.ok) {
    const where = `line ${parsed.line}, column ${parsed.column}: ${parsed.reason}`;
    throw new PlanInputError(
      file,
      `is not JSON (${where}); give the output of \`terraform show -json PLANFILE\``,
    );
  }
  const json = parsed.value;
  if (isNestedDeeperThan(json, MAX_PLAN_DEPTH)) {
    throw new PlanInputError(
      file,
      `is nested deeper than ${MAX_PLAN_DEPTH} levels; not a plan Terraform writes`,
    );
  }
  return json;
}

function checkPlanShape(json: unknown, file: string): void {
  if (!isObject(json)) {
    throw new PlanInputError(
      file,
      `is not a Terraform plan: expected a JSON object, found ${describeJsonType(json)}`,
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
      `resource_changes should be an array, found ${describeJsonType(json.resource_changes)}`,
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
  for (const [index, change] of (
    (json.resource_changes as Record<string, unknown>[] | undefined) ?? []
  ).entries()) {
    const where = `resource_changes[${index}]`;
    expectString(change.type, `${where}.type`, file);
    expectString(change.mode, `${where}.mode`, file);
    if (change.deposed !== undefined) expectString(change.deposed, `${where}.deposed`, file);
    if (
      !(change.change as Record<string, unknown>).actions ||
      !((change.change as Record<string, unknown>).actions as unknown[]).every(
        (action) => typeof action === 'string',
      )
    ) {
      throw new PlanInputError(file, `${where}.change.actions should be a list of strings`);
    }
  }
  const planned = checkValuesModule(json.planned_values.root_module, 'planned_values.root_module', file);
  // Terraform builds planned_values from the changes, so it never writes one without the other; and only a change's
  // after_unknown tells a value known after apply from one that is absent.
  if (planned.managed > 0 && json.resource_changes === undefined) {
    throw new PlanInputError(
      file,
      `is not a Terraform plan: planned_values lists ${planned.managed} resource(s) but resource_changes is ` +
        'missing (give the output of `terraform show -json PLANFILE`)',
    );
  }
  if (json.prior_state !== undefined) {
    const prior = expectObject(json.prior_state, 'prior_state', file);
    if (prior.values !== undefined) {
      const values = expectObject(prior.values, 'prior_state.values', file);
      if (values.root_module !== undefined) {
        checkValuesModule(
          expectObject(values.root_module, 'prior_state.values.root_module', file),
          'prior_state.values.root_module',
          file,
        );
      }
    }
  }
  if (json.configuration !== undefined) checkConfiguration(json.configuration, file);
}

function expectObject(value: unknown, where: string, file: string): Record<string, unknown> {
  if (!isObject(value))
    throw new PlanInputError(file, `${where} should be an object, found ${describeJsonType(value)}`);
  return value;
}

function expectString(value: unknown, where: string, file: string): void {
  if (typeof value !== 'string')
    throw new PlanInputError(file, `${where} should be a string, found ${describeJsonType(value)}`);
}

function optionalObject(
  holder: Record<string, unknown>,
  key: string,
  where: string,
  file: string,
): Record<string, unknown> {
  return holder[key] === undefined ? {} : expectObject(holder[key], `${where}.${key}`, file);
}

function optionalArray(holder: Record<string, unknown>, key: string, where: string, file: string): unknown[] {
  const value = holder[key];
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new PlanInputError(file, `${where}.${key} should be an array, found ${describeJsonType(value)}`);
  return value;
}

/**
 * Modules of planned values or prior state, walked with a queue: how deep modules nest never sets the stack's depth.
 * Counts the managed resources on the way.
 */
function checkValuesModule(
  root: Record<string, unknown>,
  rootWhere: string,
  file: string,
): { readonly managed: number } {
  const queue: { readonly module: Record<string, unknown>; readonly where: string }[] = [
    { module: root, where: rootWhere },
  ];
  let managed = 0;
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { module, where } = next;
    for (const [index, resource] of optionalArray(module, 'resources', where, file).entries()) {
      if (!isObject(resource) || typeof resource.address !== 'string' || typeof resource.type !== 'string') {
        throw new PlanInputError(file, `${where}.resources[${index}] has no address or type`);
      }
      expectString(resource.mode, `${where}.resources[${index}].mode`, file);
      if (resource.values !== undefined)
        expectObject(resource.values, `${where}.resources[${index}].values`, file);
      if (resource.mode === 'managed') managed += 1;
    }
    for (const [index, child] of optionalArray(module, 'child_modules', where, file).entries()) {
      if (!isObject(child))
        throw new PlanInputError(file, `${where}.child_modules[${index}] is not an object`);
      queue.push({ module: child, where: `${where}.child_modules[${index}]` });
    }
  }
  return { managed };
}

/** The configuration: modules, their calls and outputs, providers, and every expression's `references`. */
function checkConfiguration(value: unknown, file: string): void {
  const configuration = expectObject(value, 'configuration', file);
  for (const [name, provider] of Object.entries(
    optionalObject(configuration, 'provider_config', 'configuration', file),
  )) {
    const where = `configuration.provider_config[${JSON.stringify(name)}]`;
    const checked = expectObject(provider, where, file);
    for (const key of ['name', 'full_name', 'module_address']) {
      if (checked[key] !== undefined) expectString(checked[key], `${where}.${key}`, file);
    }
    checkExpressions(optionalObject(checked, 'expressions', where, file), `${where}.expressions`, file);
  }
  if (configuration.root_module === undefined) return;
  const queue: { readonly module: Record<string, unknown>; readonly where: string }[] = [
    {
      module: expectObject(configuration.root_module, 'configuration.root_module', file),
      where: 'configuration.root_module',
    },
  ];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { module, where } = next;
    for (const [index, resource] of optionalArray(module, 'resources', where, file).entries()) {
      const at = `${where}.resources[${index}]`;
      const checked = expectObject(resource, at, file);
      expectString(checked.address, `${at}.address`, file);
      expectString(checked.type, `${at}.type`, file);
      checkExpressions(optionalObject(checked, 'expressions', at, file), `${at}.expressions`, file);
    }
    for (const [name, output] of Object.entries(optionalObject(module, 'outputs', where, file))) {
      const at = `${where}.outputs[${JSON.stringify(name)}]`;
      const checked = expectObject(output, at, file);
      if (checked.expression !== undefined) checkExpressions({ expression: checked.expression }, at, file);
    }
    for (const [name, call] of Object.entries(optionalObject(module, 'module_calls', where, file))) {
      const at = `${where}.module_calls[${JSON.stringify(name)}]`;
      const checked = expectObject(call, at, file);
      // The SARIF locator follows a local `source` into its directory, so it must be the path Terraform writes.
      if (checked.source !== undefined) expectString(checked.source, `${at}.source`, file);
      checkExpressions(optionalObject(checked, 'expressions', at, file), `${at}.expressions`, file);
      if (checked.module !== undefined)
        queue.push({ module: expectObject(checked.module, `${at}.module`, file), where: `${at}.module` });
    }
  }
}

/** Expressions nest as blocks (arrays of maps); wherever `references` appears it must be a list of strings. */
function checkExpressions(expressions: Record<string, unknown>, where: string, file: string): void {
  const stack: { readonly value: unknown; readonly where: string }[] = [{ value: expressions, where }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value, where: at } = next;
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        stack.push({ value: item, where: `${at}[${index}]` });
      });
    } else if (isObject(value)) {
      if ('references' in value) {
        const references = value.references;
        if (!Array.isArray(references) || !references.every((reference) => typeof reference === 'string')) {
          throw new PlanInputError(file, `${at}.references should be a list of strings`);
        }
      }
      if ('constant_value' in value || 'references' in value) continue;
      for (const [key, item] of Object.entries(value)) stack.push({ value: item, where: `${at}.${key}` });
    }
  }
}
