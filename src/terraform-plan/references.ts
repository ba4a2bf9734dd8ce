// Fills values unknown until apply from the configuration's `references`: `group = google_..._group.neg.id`
// is unknown in the plan, yet the reference says which NEG it is, and that NEG's identity is known.

import { type AddressStep, moduleAddressOf, parseReference } from './address.js';
import { type ConfigExpression, isObject } from './plan-file.js';
import type { PlanIndex, PlanInstance } from './plan-index.js';
import {
  type Identity,
  type IdentityDefaults,
  identityAttribute,
  identityOf,
  RESOURCE_TYPES,
} from './resource-types.js';

/** Attributes whose value is a list of links: a reference fills the whole list. */
const LIST_ATTRIBUTES: ReadonlySet<string> = new Set([
  'health_checks',
  'ssl_certificates',
  'certificate_manager_certificates',
]);

export interface ResolvedInstance {
  readonly instance: PlanInstance;
  /** Planned values with what the references tell filled in. */
  readonly values: Readonly<Record<string, unknown>>;
  /** `after_unknown` with the filled leaves cleared. */
  readonly unknown: unknown;
  readonly identity: Identity | undefined;
}

function isExpression(value: unknown): value is ConfigExpression {
  return isObject(value) && ('references' in value || 'constant_value' in value);
}

function isPrimitive(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

export class ReferenceResolver {
  // By instance, not address: a deposed object's delete shares its address with the current object.
  private readonly resolved = new Map<PlanInstance, ResolvedInstance>();
  private readonly inProgress = new Set<PlanInstance>();
  /**
   * What each reference resolves to, by module and reference text: module outputs that reference each other many
   * times per level would otherwise be followed once per path through them (exponential in the nesting depth).
   */
  private readonly followed = new Map<string, { key: string; value: unknown } | undefined>();

  constructor(
    private readonly index: PlanIndex,
    private readonly defaults: IdentityDefaults,
  ) {}

  resolve(instance: PlanInstance): ResolvedInstance {
    const cached = this.resolved.get(instance);
    if (cached) return cached;
    if (this.inProgress.has(instance)) {
      // A reference cycle (only possible through unknown values): use the raw values.
      return {
        instance,
        values: instance.values,
        unknown: instance.unknown,
        identity: this.identityFrom(instance, instance.unknown),
      };
    }
    this.inProgress.add(instance);
    const values = structuredClone(instance.values) as Record<string, unknown>;
    const unknown = structuredClone(instance.unknown);
    const expressions = this.index.config.get(instance.configAddress)?.resource.expressions;
    if (expressions && !instance.deleted) {
      this.fillObject(values, unknown, expressions, instance.parsed.modules);
    }
    const identity = this.identityFrom({ ...instance, values }, unknown);
    const result: ResolvedInstance = { instance, values, unknown, identity };
    this.inProgress.delete(instance);
    this.resolved.set(instance, result);
    return result;
  }

  private identityFrom(instance: PlanInstance, unknown: unknown): Identity | undefined {
    const spec = RESOURCE_TYPES[instance.type];
    return spec ? identityOf(spec, instance.values, instance.address, this.defaults, unknown) : undefined;
  }

  private fillObject(
    values: Record<string, unknown>,
    unknown: unknown,
    expressions: Readonly<Record<string, unknown>>,
    modules: readonly AddressStep[],
  ): void {
    const unknownMap = isObject(unknown) ? unknown : {};
    for (const [key, expression] of Object.entries(expressions)) {
      if (isExpression(expression)) {
        this.fillLeaf(values, unknownMap, key, expression, modules);
      } else if (Array.isArray(expression) && Array.isArray(values[key])) {
        this.fillBlocks(values[key] as unknown[], unknownMap[key], expression, modules);
      }
    }
  }

  private fillLeaf(
    values: Record<string, unknown>,
    unknown: Record<string, unknown>,
    key: string,
    expression: ConfigExpression,
    modules: readonly AddressStep[],
  ): void {
    const marker = unknown[key];
    if (marker !== true && !Array.isArray(marker)) return;
    const found = this.valuesOfReferences(expression.references ?? [], modules);
    // A map or list (a module variable indexed by a value known at apply) is not the value itself.
    if (found.length === 0 || !found.every(isPrimitive)) return;
    if (marker === true) {
      // One value computed from several resources (`var.green ? cfg.green.id : cfg.blue.id`, a template) could be
      // any of them, or none: it stays unknown rather than become the first one.
      if (!LIST_ATTRIBUTES.has(key) && found.length > 1) return;
      values[key] = LIST_ATTRIBUTES.has(key) ? found : found[0];
      unknown[key] = false;
      return;
    }
    const list = Array.isArray(values[key]) ? [...(values[key] as unknown[])] : [];
    const unknownList = [...marker];
    let next = 0;
    unknownList.forEach((item, position) => {
      if (item !== true) return;
      const value =
        found.length === unknownList.length ? found[position] : found[Math.min(next, found.length - 1)];
      next += 1;
      list[position] = value;
      unknownList[position] = false;
    });
    values[key] = list;
    unknown[key] = unknownList;
  }

  /**
   * Pairs configuration blocks with planned blocks. Set-typed blocks (`backend`) are not kept in configuration
   * order, so a block is paired with the first unclaimed planned block its constants agree with.
   */
  private fillBlocks(
    blocks: unknown[],
    unknown: unknown,
    expressions: readonly unknown[],
    modules: readonly AddressStep[],
  ): void {
    const unknownBlocks = Array.isArray(unknown) ? unknown : [];
    const claimed = new Set<number>();
    for (const expression of expressions) {
      if (!isObject(expression)) continue;
      const position = blocks.findIndex(
        (block, index) => !claimed.has(index) && this.agrees(block, unknownBlocks[index], expression),
      );
      if (position < 0) continue;
      claimed.add(position);
      const block = blocks[position];
      if (!isObject(block)) continue;
      if (!isObject(unknownBlocks[position])) unknownBlocks[position] = {};
      this.fillObject(block, unknownBlocks[position], expression, modules);
    }
  }

  private agrees(block: unknown, unknown: unknown, expression: Record<string, unknown>): boolean {
    if (!isObject(block)) return false;
    const unknownMap = isObject(unknown) ? unknown : {};
    return Object.entries(expression).every(([key, leaf]) => {
      if (!isExpression(leaf) || !isPrimitive(leaf.constant_value)) return true;
      return unknownMap[key] === true || block[key] === leaf.constant_value;
    });
  }

  /** Distinct values named by a `references` array, most specific first (`x.neg.id` before `x.neg`). */
  private valuesOfReferences(references: readonly string[], modules: readonly AddressStep[]): unknown[] {
    const found: unknown[] = [];
    const seenTargets = new Set<string>();
    for (const reference of references) {
      const target = this.followReference(reference, modules, 0);
      if (!target || target.value === undefined || seenTargets.has(target.key)) continue;
      seenTargets.add(target.key);
      found.push(target.value);
    }
    return found;
  }

  private followReference(
    reference: string,
    modules: readonly AddressStep[],
    depth: number,
  ): { key: string; value: unknown } | undefined {
    const memoKey = `${moduleAddressOf(modules)} ${reference}`;
    if (this.followed.has(memoKey)) return this.followed.get(memoKey);
    const found = this.followUncached(reference, modules, depth);
    this.followed.set(memoKey, found);
    return found;
  }

  private followUncached(
    reference: string,
    modules: readonly AddressStep[],
    depth: number,
  ): { key: string; value: unknown } | undefined {
    const parsed = parseReference(reference);
    if (!parsed || depth > 8) return undefined;
    const [first, second, ...rest] = parsed.steps;
    if (!first || !second) return undefined;
    if (first.name === 'var') return this.followVariable(second.name, modules, depth);
    if (first.name === 'module') {
      const output = rest[0];
      if (!output) return undefined;
      return this.followOutput(second, output.name, modules, depth);
    }
    if (first.name === 'data') {
      const [name, attribute] = rest;
      return name ? this.attributeOf(`data.${second.name}`, name, attribute?.name, modules) : undefined;
    }
    if (['local', 'each', 'count', 'path', 'self', 'terraform'].includes(first.name)) return undefined;
    return this.attributeOf(first.name, second, rest[0]?.name, modules);
  }

  private attributeOf(
    type: string,
    resource: AddressStep,
    attribute: string | undefined,
    modules: readonly AddressStep[],
  ): { key: string; value: unknown } | undefined {
    if (!attribute) return undefined;
    const prefix = modules.map((step) => `module.${step.name}.`).join('');
    const candidates = (this.index.byConfigAddress.get(`${prefix}${type}.${resource.name}`) ?? []).filter(
      (candidate) =>
        candidate.moduleAddress === moduleAddressOf(modules) &&
        (resource.key === undefined || candidate.parsed.key === resource.key),
    );
    // A reference without a key into a counted resource cannot say which instance it means.
    if (candidates.length !== 1) return undefined;
    const target = this.resolve(candidates[0] as PlanInstance);
    const fromIdentity = target.identity ? identityAttribute(target.identity, attribute) : undefined;
    const known = target.values[attribute];
    const unknownHere = isObject(target.unknown) && target.unknown[attribute] === true;
    const value = known !== undefined && known !== null && !unknownHere ? known : fromIdentity;
    return { key: `${target.instance.address}.${attribute}`, value };
  }

  private followVariable(
    variable: string,
    modules: readonly AddressStep[],
    depth: number,
  ): { key: string; value: unknown } | undefined {
    if (modules.length === 0) return undefined;
    const call = this.index.moduleCalls.get(modules.map((step) => step.name).join('.'));
    const expression = call?.expressions?.[variable];
    if (!isExpression(expression)) return undefined;
    if (expression.constant_value !== undefined) {
      return { key: `var.${variable}`, value: expression.constant_value };
    }
    return this.soleTarget(expression.references ?? [], modules.slice(0, -1), depth + 1);
  }

  private followOutput(
    call: AddressStep,
    output: string,
    modules: readonly AddressStep[],
    depth: number,
  ): { key: string; value: unknown } | undefined {
    const path = [...modules.map((step) => step.name), call.name].join('.');
    const expression = this.index.modules.get(path)?.outputs?.[output]?.expression;
    if (!expression) return undefined;
    if (expression.constant_value !== undefined)
      return { key: `${path}.${output}`, value: expression.constant_value };
    return this.soleTarget(expression.references ?? [], [...modules, call], depth + 1);
  }

  /**
   * What a variable's or output's expression resolves to when its references name one value: an expression over
   * several (`var.enabled ? x.neg.id : null`, where `var.enabled` is a constant) could be any of them.
   */
  private soleTarget(
    references: readonly string[],
    modules: readonly AddressStep[],
    depth: number,
  ): { key: string; value: unknown } | undefined {
    let sole: { key: string; value: unknown } | undefined;
    for (const reference of references) {
      const found = this.followReference(reference, modules, depth);
      if (found?.value === undefined || found.key === sole?.key) continue;
      if (sole) return undefined;
      sole = found;
    }
    return sole;
  }
}
