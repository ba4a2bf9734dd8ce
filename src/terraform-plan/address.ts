// Terraform addresses (`module.edge["eu"].google_compute_backend_service.api[0]`) split into their parts.

export type InstanceKey = string | number;

export interface AddressStep {
  readonly name: string;
  readonly key?: InstanceKey;
}

export interface ResourceAddress {
  /** Module calls from the root, with their instance keys. */
  readonly modules: readonly AddressStep[];
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly key?: InstanceKey;
}

/** Splits on dots outside brackets; each step is `name` or `name[key]`. Undefined when the text is no address. */
function splitSteps(text: string): AddressStep[] | undefined {
  const steps: AddressStep[] = [];
  let index = 0;
  while (index < text.length) {
    const name = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(index))?.[0];
    if (!name) return undefined;
    index += name.length;
    let key: InstanceKey | undefined;
    if (text[index] === '[') {
      const rest = text.slice(index);
      const match = /^\[(?:(\d+)|"((?:[^"\\]|\\.)*)")\]/.exec(rest);
      if (!match) return undefined;
      key = match[1] !== undefined ? Number(match[1]) : JSON.parse(`"${match[2] ?? ''}"`);
      index += match[0].length;
    }
    steps.push(key === undefined ? { name } : { name, key });
    if (index === text.length) break;
    if (text[index] !== '.') return undefined;
    index += 1;
  }
  return steps;
}

export function parseAddress(address: string): ResourceAddress | undefined {
  const steps = splitSteps(address);
  if (!steps) return undefined;
  const modules: AddressStep[] = [];
  let position = 0;
  while (steps[position]?.name === 'module' && steps[position + 1]) {
    const call = steps[position + 1] as AddressStep;
    if (steps[position]?.key !== undefined) return undefined;
    modules.push(call);
    position += 2;
  }
  let mode: 'managed' | 'data' = 'managed';
  if (steps[position]?.name === 'data' && steps.length - position === 3) {
    mode = 'data';
    position += 1;
  }
  if (steps.length - position !== 2) return undefined;
  const type = steps[position] as AddressStep;
  const resource = steps[position + 1] as AddressStep;
  if (type.key !== undefined) return undefined;
  return {
    modules,
    mode,
    type: type.name,
    name: resource.name,
    ...(resource.key !== undefined ? { key: resource.key } : {}),
  };
}

export function formatKey(key: InstanceKey | undefined): string {
  if (key === undefined) return '';
  return typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

/** `module.a["x"].module.b` for the module steps (empty for the root module). */
export function moduleAddressOf(modules: readonly AddressStep[]): string {
  return modules.map((step) => `module.${step.name}${formatKey(step.key)}`).join('.');
}

/** The configuration address: the same path without instance keys (`module.a.google_x.y`). */
export function configAddressOf(address: ResourceAddress): string {
  const prefix = address.modules.map((step) => `module.${step.name}.`).join('');
  return `${prefix}${address.mode === 'data' ? 'data.' : ''}${address.type}.${address.name}`;
}

export interface ParsedReference {
  /** Leading steps as written: `module.x.out`, `var.y`, `google_x.y[0].id`, `data.google_x.y.id`. */
  readonly steps: readonly AddressStep[];
}

/** Parses a reference from a configuration `references` array; undefined for forms we cannot follow. */
export function parseReference(text: string): ParsedReference | undefined {
  const steps = splitSteps(text);
  return steps && steps.length > 0 ? { steps } : undefined;
}
