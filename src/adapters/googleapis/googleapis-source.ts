// ResourceSource over the live Google APIs (Compute v1 and beta, API Gateway v1) through the googleapis client.

import type { AuthClient, GoogleAuth } from 'google-auth-library';
import { apigateway_v1 } from 'googleapis/build/src/apis/apigateway/v1.js';
import { compute_beta } from 'googleapis/build/src/apis/compute/beta.js';
import { compute_v1 } from 'googleapis/build/src/apis/compute/v1.js';
import type { DisabledService, IncompleteScope, Inventory } from '../../domain/inventory.js';
import { emptyInventory } from '../../domain/inventory.js';
import { isObject } from '../../domain/record-shape.js';
import {
  descriptorOf,
  RESOURCE_KIND_DESCRIPTORS,
  type ResourceKind,
  type ResourceKindDescriptor,
  variantOf,
} from '../../domain/resource-kind.js';
import { kindOfRef, parseResourceRef, type ResourceRef } from '../../domain/resource-name.js';
import type { ApiRecord } from '../../domain/resources.js';
import { type Clock, nowMs, systemClock } from '../../ports/clock.js';
import type { ReadOptions, ResourceSource } from '../../ports/resource-source.js';
import { describeShape, notAList } from './answer-shape.js';
import { toApiFailure } from './api-failure.js';
import {
  type CallContext,
  GoogleApiError,
  PermissionDeniedError,
  RetriesExhaustedError,
  ServiceDisabledError,
  UnfitRecordError,
  UnreadableNameError,
} from './errors.js';
import { createLimiter, type Limiter } from './limiter.js';
import {
  aggregatedFetcherId,
  type FetcherDeclaration,
  fetcher,
  getFetcherId,
  listFetcherId,
} from './permissions.js';
import { createRateLimiter, type RateLimit, type RateLimiter } from './rate-limiter.js';
import { type AskedFor, problemOfLiveRecord } from './record-fit.js';
import { callWithRetries, DEFAULT_RETRY_POLICY, type RetryHooks, type RetryPolicy } from './retry-policy.js';
import { StringPool } from './string-pool.js';

export interface GoogleApisSourceOptions {
  /**
   * Send every call to this base URL (the local simulator) without credentials; only its origin is used, as
   * googleapis keeps each API's own path (`/compute/v1/...`, `/compute/beta/...`, `/v1/projects/...`).
   */
  readonly endpoint?: string;
  /** Credentials for real Google APIs; Application Default Credentials when absent. */
  readonly auth?: GoogleAuth | AuthClient;
  /** `maxResults` / `pageSize` per list page: 500, the API maximum, unless a test wants many pages. */
  readonly pageSize?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** The one clock (waits, rate limits, the retry budget); the system's when absent. */
  readonly clock?: Clock;
  /** Uniform in [0, 1): the retry jitter. */
  readonly random?: () => number;
  /** Calls in flight per project: keeps a sweep under Compute's per-project read quota. */
  readonly concurrencyPerProject?: number;
  /** Calls in flight in total, across projects: bounds sockets and memory in an organisation-wide sweep. */
  readonly maxInFlight?: number;
  /** Time one attempt may wait for its answer before it counts as a (retryable) timeout. */
  readonly requestTimeoutMs?: number;
  /** Requests per second per project (every attempt counts, retries included); unlimited when absent. */
  readonly rateLimit?: RateLimit;
  /** Pages one listing may take before it is given up as unread: MAX_PAGES_PER_LISTING unless a test wants few. */
  readonly maxPagesPerListing?: number;
  readonly onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  readonly project: string;
  readonly method: string;
  readonly resource: string;
  readonly status: number | undefined;
  readonly reason: string | undefined;
  readonly attempt: number;
  readonly delayMs: number;
}

export const DEFAULT_PAGE_SIZE = 500;
export const DEFAULT_CONCURRENCY_PER_PROJECT = 8;
export const DEFAULT_MAX_IN_FLIGHT = 32;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/**
 * 1,000 pages of 500 records are 500,000 records of one kind in one project, five times the largest project the
 * benchmarks read (100,000 records of all kinds): a listing still paging past that is an API that does not end,
 * and reading on would only grow memory until the process dies.
 */
export const MAX_PAGES_PER_LISTING = 1_000;
const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

interface ListParams {
  readonly project: string;
  readonly maxResults: number;
  readonly pageToken: string | undefined;
}

interface AggregatedFetch {
  readonly kind: ResourceKind;
  readonly fetcher: FetcherDeclaration;
  /** Key of the records array inside each scope of `items`: the aggregated collection's name. */
  readonly itemsKey: string;
  readonly list: (params: ListParams) => Promise<{ data: unknown }>;
}

/** A googleapis collection seen as data: the descriptors name the collection, the client holds its methods. */
type ApiCall = (params: Record<string, unknown>) => Promise<{ data: unknown }>;
type ApiCollection = Readonly<Record<string, ApiCall | undefined>>;

interface Clients {
  readonly v1: compute_v1.Compute;
  readonly beta: compute_beta.Compute;
  readonly gateway: apigateway_v1.Apigateway;
}

type MutableInventory = { -readonly [K in ResourceKind]: ApiRecord[] };

export async function createGoogleApisSource(options: GoogleApisSourceOptions = {}): Promise<ResourceSource> {
  const auth = options.endpoint ? undefined : (options.auth ?? (await createDefaultAuth()));
  const rootUrl = options.endpoint ? `${new URL(options.endpoint).origin}/` : undefined;
  // retry: false hands every retry decision to our policy, so attempts are counted and budgeted in one place.
  const clientOptions = {
    ...(rootUrl ? { rootUrl } : {}),
    ...(auth ? { auth } : {}),
    retry: false,
    timeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  };
  const clients: Clients = {
    v1: new compute_v1.Compute(clientOptions as compute_v1.Options),
    beta: new compute_beta.Compute(clientOptions as compute_beta.Options),
    gateway: new apigateway_v1.Apigateway(clientOptions as apigateway_v1.Options),
  };
  return new GoogleApisSource(clients, options);
}

async function createDefaultAuth(): Promise<GoogleAuth> {
  const { GoogleAuth } = await import('google-auth-library');
  return new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
}

class GoogleApisSource implements ResourceSource {
  private readonly pageSize: number;
  private readonly policy: RetryPolicy;
  private readonly clock: Clock;
  private readonly concurrency: number;
  private readonly limiters = new Map<string, Limiter>();
  private readonly overall: Limiter;
  private readonly rate: RateLimiter | undefined;
  private readonly maxPages: number;

  constructor(
    private readonly clients: Clients,
    private readonly options: GoogleApisSourceOptions,
  ) {
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.clock = options.clock ?? systemClock;
    this.concurrency = options.concurrencyPerProject ?? DEFAULT_CONCURRENCY_PER_PROJECT;
    this.overall = createLimiter(options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
    this.rate = options.rateLimit ? createRateLimiter(options.rateLimit, this.clock) : undefined;
    this.maxPages = options.maxPagesPerListing ?? MAX_PAGES_PER_LISTING;
  }

  async readInventory(projects: readonly string[], options: ReadOptions = {}): Promise<Inventory> {
    const inventories = await Promise.all(
      [...new Set(projects)].map((project) => this.readProject(project, options)),
    );
    const merged = emptyInventory() as MutableInventory;
    const incomplete: IncompleteScope[] = [];
    const disabledServices: DisabledService[] = [];
    const projectIds: Record<string, string> = {};
    for (const inventory of inventories) {
      // A loop, not push(...records): spreading a project's 100,000s of records would overflow the stack.
      for (const kind of Object.keys(merged) as ResourceKind[]) {
        for (const record of inventory.records[kind]) merged[kind].push(record);
      }
      incomplete.push(...inventory.incomplete);
      disabledServices.push(...inventory.disabledServices);
      Object.assign(projectIds, inventory.projectIds);
    }
    return {
      ...(merged as unknown as Inventory),
      projectIds,
      incomplete,
      ...(disabledServices.length > 0 ? { disabledServices } : {}),
    };
  }

  async readResource(ref: ResourceRef): Promise<ApiRecord | undefined> {
    const { fetcher, get } = this.getterFor(ref);
    const resource = ref.service === 'apigateway' ? `projects/${ref.project}/${ref.path}` : ref.path;
    const record = await this.call(fetcher, ref.project, resource, get, { notFound: 'undefined' });
    if (record !== undefined) checkReadRecord(ref, record, { project: ref.project, fetcher, resource });
    return record;
  }

  private async readProject(
    project: string,
    options: ReadOptions,
  ): Promise<{
    records: MutableInventory;
    incomplete: IncompleteScope[];
    disabledServices: DisabledService[];
    projectIds: Record<string, string>;
  }> {
    const records = emptyInventory() as MutableInventory;
    const incomplete: IncompleteScope[] = [];
    const disabledServices: DisabledService[] = [];
    // Repeated strings of the project's records shared as they arrive (a sweep holds every record at once).
    const pool = new StringPool();
    const report = (kind: ResourceKind, done: boolean): void =>
      options.onProgress?.({ project, kind, count: records[kind].length, done });

    const readGatewaysAndConfigs = async (): Promise<void> => {
      try {
        await this.readGateways(project, records, incomplete, report, pool);
      } catch (error) {
        // A project with load balancers and the API Gateway API off has no gateways (and so no configs): that
        // is an answer, not an unreadable project. A 403 for a missing permission is not this error and still fails.
        if (!(error instanceof ServiceDisabledError) || error.service !== 'apigateway.googleapis.com')
          throw error;
        disabledServices.push({ project, service: error.service, kinds: ['gateway', 'apiConfig'] });
        report('gateway', true);
      }
      await this.readApiConfigs(project, records, incomplete, report, pool);
    };
    await Promise.all([
      ...this.aggregatedFetches().map((fetch) =>
        this.readAggregated(project, fetch, records, incomplete, report, pool),
      ),
      readGatewaysAndConfigs(),
    ]);
    const projectIds = projectIdsSeen(records);
    // Asked by number, the project's records still name it by ID: what was not read is named the same way, or the
    // rules that hold back on an incomplete listing would not know it is their project's.
    const id = /^\d+$/.test(project) ? (projectIds[project] ?? projectIdOfRecords(records)) : undefined;
    if (id === undefined || id === project) {
      return { records, incomplete: distinctScopes(incomplete), disabledServices, projectIds };
    }
    return {
      records,
      incomplete: distinctScopes(incomplete.map((scope) => ({ ...scope, project: id }))),
      disabledServices: disabledServices.map((disabled) => ({ ...disabled, project: id })),
      projectIds: { ...projectIds, [project]: id },
    };
  }

  private async readAggregated(
    project: string,
    fetch: AggregatedFetch,
    records: MutableInventory,
    incomplete: IncompleteScope[],
    report: (kind: ResourceKind, done: boolean) => void,
    pool: StringPool,
  ): Promise<void> {
    const resource = `projects/${project}/aggregated/${fetch.itemsKey}`;
    const { method } = fetch.fetcher;
    const scopesSeen = new Set<string>();
    const unread = await this.readPages(
      method,
      (pageToken) =>
        this.callForList(fetch.fetcher, project, resource, () =>
          fetch.list({ project, maxResults: this.pageSize, pageToken }),
        ),
      (page) => {
        // An empty project's answer may leave `items` out; anything else there must be an object of scopes.
        if (page.items !== undefined && !isObject(page.items)) return `items is ${describeShape(page.items)}`;
        if (page.unreachables !== undefined && !Array.isArray(page.unreachables))
          return `unreachables is ${describeShape(page.unreachables)}`;
        for (const [scope, value] of Object.entries(page.items ?? {})) {
          scopesSeen.add(scope);
          const problem = this.readScope(fetch, value, { project, scope }, records, incomplete, pool);
          if (problem) {
            incomplete.push({
              project,
              kind: fetch.kind,
              scope,
              reason: notAList(method, `${scope}: ${problem}`),
            });
            continue;
          }
          const warning = asRecord(asRecord(value).warning);
          if (warning.code === 'UNREACHABLE' || warning.code === 'PARTIAL_SUCCESS') {
            incomplete.push({
              project,
              kind: fetch.kind,
              scope,
              reason: `${warning.code}: ${typeof warning.message === 'string' ? warning.message : 'no message'}`,
            });
          }
        }
        for (const scope of stringsOf(page.unreachables)) {
          incomplete.push({
            project,
            kind: fetch.kind,
            scope,
            reason: 'UNREACHABLE: listed in unreachables',
          });
        }
        report(fetch.kind, false);
        return undefined;
      },
    );
    if (unread) {
      // The global rules are not read apart: the whole kind is incomplete already, so nothing can be taken as gone.
      incomplete.push({ project, kind: fetch.kind, scope: '*', reason: unread });
      report(fetch.kind, true);
      return;
    }

    // The REST reference leaves open whether the aggregated forwarding-rule list carries a `global` scope;
    // when no page mentioned it, the global rules are read with their own list so none go missing.
    const descriptor = descriptorOf(fetch.kind);
    if (descriptor.listsGlobalApart && !scopesSeen.has('global')) {
      await this.readGlobalVariant(project, descriptor, records, incomplete, pool);
    }
    report(fetch.kind, true);
  }

  private async readGlobalVariant(
    project: string,
    descriptor: ResourceKindDescriptor,
    records: MutableInventory,
    incomplete: IncompleteScope[],
    pool: StringPool,
  ): Promise<void> {
    const variant = descriptor.variants.find((candidate) => candidate.scope === 'global');
    if (!variant) return;
    const list = this.methodOf(descriptor, variant.apiCollection, 'list');
    const known = new Set(records[descriptor.kind].map((record) => record.selfLink));
    const declaration = fetcher(listFetcherId(variant));
    const unread = await this.readPages(
      declaration.method,
      (pageToken) =>
        this.callForList(declaration, project, `projects/${project}/global/${descriptor.collection}`, () =>
          list({ project, maxResults: this.pageSize, pageToken }),
        ),
      (page) => {
        const found = recordsIn(page.items);
        if (typeof found === 'string') return `items ${found}`;
        const unseen = found.filter((record) => !known.has(record.selfLink));
        admitRecords(
          descriptor.kind,
          unseen,
          { project, scope: 'global' },
          'global',
          records,
          incomplete,
          pool,
        );
        return undefined;
      },
    );
    if (unread) incomplete.push({ project, kind: descriptor.kind, scope: 'global', reason: unread });
  }

  /**
   * A scope of an aggregated list: its records added, or what is wrong with it. A scope without the collection's
   * key (only a warning) holds none.
   */
  private readScope(
    fetch: AggregatedFetch,
    value: unknown,
    asked: { readonly project: string; readonly scope: string },
    records: MutableInventory,
    incomplete: IncompleteScope[],
    pool: StringPool,
  ): string | undefined {
    if (!isObject(value)) return `the scope is ${describeShape(value)}`;
    const found = recordsIn(value[fetch.itemsKey]);
    if (typeof found === 'string') return `${fetch.itemsKey} ${found}`;
    // Each record checked as an estate's are: one that does not fit is named, and its scope read as incomplete.
    admitRecords(fetch.kind, found, asked, asked.scope, records, incomplete, pool);
    return undefined;
  }

  /**
   * Every page of one listing, each handed to `readPage` (which names what is wrong with it, if anything); the reason
   * the listing is unread, or undefined when its last page was read. An answer that is not a list page, a page token
   * seen before in the same listing, or more pages than the bound end the listing: each would otherwise read as fewer
   * resources than there are, or page for ever.
   */
  private async readPages(
    method: string,
    fetchPage: (pageToken: string | undefined) => Promise<unknown>,
    readPage: (page: Record<string, unknown>) => string | undefined,
  ): Promise<string | undefined> {
    const tokensAsked = new Set<string>();
    let pageToken: string | undefined;
    for (let pages = 1; ; pages += 1) {
      const page = await fetchPage(pageToken);
      if (!isObject(page)) return notAList(method, `the answer is ${describeShape(page)}`);
      const problem = readPage(page);
      if (problem) return notAList(method, problem);
      const next = page.nextPageToken;
      if (next === undefined || next === null || next === '') return undefined;
      if (typeof next !== 'string') return notAList(method, `nextPageToken is ${describeShape(next)}`);
      if (tokensAsked.has(next)) {
        return `${method} repeated a page token after ${pages} pages, so its paging would never end`;
      }
      if (pages >= this.maxPages) {
        return `${method} was still paging after ${pages} pages, the most one listing is read for`;
      }
      tokensAsked.add(next);
      pageToken = next;
    }
  }

  private async readGateways(
    project: string,
    records: MutableInventory,
    incomplete: IncompleteScope[],
    report: (kind: ResourceKind, done: boolean) => void,
    pool: StringPool,
  ): Promise<void> {
    const descriptor = descriptorOf('gateway');
    const [variant] = descriptor.variants;
    if (!variant) return;
    const list = this.methodOf(descriptor, variant.apiCollection, 'list');
    const parent = `projects/${project}/locations/-`;
    const declaration = fetcher(listFetcherId(variant));
    const unread = await this.readPages(
      declaration.method,
      (pageToken) =>
        this.callForList(declaration, project, `${parent}/gateways`, () =>
          list({ parent, pageSize: this.pageSize, pageToken }),
        ),
      (page) => {
        // proto3 JSON leaves an empty list out, so a project without gateways answers without `gateways`.
        const gateways = recordsIn(page.gateways);
        if (typeof gateways === 'string') return `gateways ${gateways}`;
        if (page.unreachableLocations !== undefined && !Array.isArray(page.unreachableLocations))
          return `unreachableLocations is ${describeShape(page.unreachableLocations)}`;
        admitRecords('gateway', gateways, { project }, 'locations/-', records, incomplete, pool);
        for (const location of stringsOf(page.unreachableLocations)) {
          incomplete.push({
            project,
            kind: 'gateway',
            scope: location,
            reason: 'UNREACHABLE: listed in unreachableLocations',
          });
        }
        report('gateway', false);
        return undefined;
      },
    );
    if (unread) incomplete.push({ project, kind: 'gateway', scope: '*', reason: unread });
    report('gateway', true);
  }

  /** Only the configs the gateways serve: a project may hold 100 configs per API, most of them retired. */
  private async readApiConfigs(
    project: string,
    records: MutableInventory,
    incomplete: IncompleteScope[],
    report: (kind: ResourceKind, done: boolean) => void,
    pool: StringPool,
  ): Promise<void> {
    // One read per config: gateways name it with the project number or ID, whichever their creator wrote, and all
    // of one project's gateways serve that project's configs.
    const byPath = new Map<string, string>();
    for (const gateway of records.gateway) {
      const name = gateway.apiConfig;
      if (typeof name !== 'string' || !name) continue;
      const path = name.replace(/^projects\/[^/]+\//, '');
      if (!byPath.has(path)) byPath.set(path, name);
    }
    const names = [...byPath.values()];
    const getter = this.apiGatewayGetter(descriptorOf('apiConfig'));
    await Promise.all(
      names.map(async (name) => {
        const config = await this.call(
          getter.fetcher,
          project,
          name,
          () => getter.get({ name, ...getter.params }),
          // A gateway naming a deleted config is a finding for the rules, not a read failure.
          { notFound: 'undefined' },
        );
        if (config) {
          const asked = { project, ...pathAskedIn(name) };
          admitRecords('apiConfig', [config], asked, 'locations/global', records, incomplete, pool);
        }
        report('apiConfig', false);
      }),
    );
    report('apiConfig', true);
  }

  /** One aggregated list per kind that has one, as its descriptor names it. */
  private aggregatedFetches(): AggregatedFetch[] {
    // returnPartialSuccess is in the REST API but missing from the googleapis typings.
    return RESOURCE_KIND_DESCRIPTORS.flatMap((descriptor) => {
      const collection = descriptor.aggregatedList;
      if (!collection) return [];
      const list = this.methodOf(descriptor, collection, 'aggregatedList');
      return [
        {
          kind: descriptor.kind,
          fetcher: fetcher(aggregatedFetcherId(descriptor.kind)),
          itemsKey: collection,
          list: (params: ListParams) => list({ ...params, returnPartialSuccess: true }),
        },
      ];
    });
  }

  /** The get call for a resource name: its kind's variant in that scope, with the variant's parameters. */
  private getterFor(ref: ResourceRef): {
    fetcher: FetcherDeclaration;
    get: () => Promise<{ data: unknown }>;
  } {
    const found = variantOf(ref.collection, ref.scope);
    if (!found) {
      throw new UnreadableNameError(
        `cannot read ${ref.path} in project "${ref.project}": Gatewarden does not read ${ref.collection} in ${ref.scope}`,
      );
    }
    const { descriptor, variant } = found;
    const name = `projects/${ref.project}/${ref.path}`;
    if (descriptor.service === 'apigateway') {
      const getter = this.apiGatewayGetter(descriptor);
      return { fetcher: getter.fetcher, get: () => getter.get({ name, ...getter.params }) };
    }
    const get = this.methodOf(descriptor, variant.apiCollection, 'get');
    // Compute names the resource parameter after the kind (`backendService`, `networkEndpointGroup`, ...).
    const location =
      ref.scope === 'regions'
        ? { region: ref.location }
        : ref.scope === 'zones'
          ? { zone: ref.location }
          : {};
    const params = { project: ref.project, ...location, [descriptor.kind]: ref.name };
    return { fetcher: fetcher(getFetcherId(variant)), get: () => get(params) };
  }

  /** API Gateway reads by full name; configs with `view=FULL`, or their OpenAPI documents are left out. */
  private apiGatewayGetter(descriptor: ResourceKindDescriptor): {
    fetcher: FetcherDeclaration;
    get: ApiCall;
    params: Record<string, unknown>;
  } {
    const [variant] = descriptor.variants;
    if (!variant) throw new Error(`the ${descriptor.kind} descriptor declares no variant`);
    return {
      fetcher: fetcher(getFetcherId(variant)),
      get: this.methodOf(descriptor, variant.apiCollection, 'get'),
      params: descriptor.kind === 'apiConfig' ? { view: 'FULL' } : {},
    };
  }

  /** `clients.beta.regionNetworkEndpointGroups.get`, found by the descriptor's API and collection path. */
  private methodOf(descriptor: ResourceKindDescriptor, collectionPath: string, method: string): ApiCall {
    const client =
      descriptor.api === 'compute/beta'
        ? this.clients.beta
        : descriptor.api === 'apigateway/v1'
          ? this.clients.gateway
          : this.clients.v1;
    let target: unknown = client;
    for (const segment of collectionPath.split('.')) target = (target as Record<string, unknown>)?.[segment];
    const call = (target as ApiCollection | undefined)?.[method];
    if (typeof call !== 'function') {
      throw new Error(
        `the ${descriptor.api} client has no ${collectionPath}.${method} (descriptor of ${descriptor.kind})`,
      );
    }
    return call.bind(target) as ApiCall;
  }

  /** One get: its answer as a record. */
  private async call(
    declaration: FetcherDeclaration,
    project: string,
    resource: string,
    request: () => Promise<{ data: unknown }>,
    behaviour: { notFound?: 'undefined' } = {},
  ): Promise<ApiRecord | undefined> {
    const data = await this.callForData(declaration, project, resource, request, behaviour);
    return data === undefined ? undefined : (asRecord(data) as ApiRecord);
  }

  /** One page of a list, as the API answered it: the page reader judges its shape. */
  private async callForList(
    declaration: FetcherDeclaration,
    project: string,
    resource: string,
    request: () => Promise<{ data: unknown }>,
  ): Promise<unknown> {
    return this.callForData(declaration, project, resource, request);
  }

  /** One API call under the project's concurrency limit and the retry policy; failures become typed errors. */
  private async callForData(
    declaration: FetcherDeclaration,
    project: string,
    resource: string,
    request: () => Promise<{ data: unknown }>,
    behaviour: { notFound?: 'undefined' } = {},
  ): Promise<unknown> {
    const context: CallContext = { project, fetcher: declaration, resource };
    const hooks: RetryHooks = {
      onRetry: (failure, attempt, delayMs) =>
        this.options.onRetry?.({
          project,
          method: context.fetcher.method,
          resource,
          status: failure.status,
          reason: failure.reason,
          attempt,
          delayMs,
        }),
    };
    // Slots are held only while a request is on the wire, not while backing off: a waiting call must not
    // starve the project's other reads. The project slot is taken before the overall one, so a call holding an
    // overall slot never waits on anything and the two limits cannot deadlock.
    const limiter = this.limiterFor(project);
    // The budget counts time on the wire and backing off, not time queued behind our own limits: in a long
    // sweep, a call that has not been sent yet must not run out of budget.
    let queuedMs = 0;
    const attempt = async (): Promise<{ data: unknown }> => {
      const asked = nowMs(this.clock);
      // The token is taken before any slot, so a call waiting for the rate holds no slot meanwhile.
      await this.rate?.acquire(project);
      return limiter.run(() =>
        this.overall.run(() => {
          queuedMs += nowMs(this.clock) - asked;
          return request();
        }),
      );
    };
    const outcome = await callWithRetries(attempt, toApiFailure, this.policy, this.clock, {
      ...hooks,
      budgetClock: () => nowMs(this.clock) - queuedMs,
      ...(this.options.random ? { random: this.options.random } : {}),
    });
    if (outcome.ok) return outcome.value.data;
    switch (outcome.kind) {
      case 'not-found':
        if (behaviour.notFound === 'undefined') return undefined;
        throw new GoogleApiError(context, outcome.failure);
      case 'permission-denied':
        throw new PermissionDeniedError(context, outcome.failure);
      case 'retryable':
        throw new RetriesExhaustedError(context, outcome.attempts, outcome.elapsedMs, outcome.why);
      default: {
        const { disabledService } = outcome.failure;
        if (disabledService) throw new ServiceDisabledError(context, { ...outcome.failure, disabledService });
        throw new GoogleApiError(context, outcome.failure);
      }
    }
  }

  private limiterFor(project: string): Limiter {
    let limiter = this.limiters.get(project);
    if (!limiter) {
      limiter = createLimiter(this.concurrency);
      this.limiters.set(project, limiter);
    }
    return limiter;
  }
}

/**
 * Adds to `records` the records of one scope of an answer that can be judged (problemOfLiveRecord). Those that cannot
 * are named in an incomplete scope, the same as a scope the API could not reach: judged without them, their neighbours
 * would look dangling, and a sweep would take them as deleted. The unit is the scope the answer put them in (where the
 * API reports unreachable ones too): a sweep then judges and deletes nothing in the project, and a scan says where.
 */
function admitRecords(
  kind: ResourceKind,
  items: readonly unknown[],
  asked: AskedFor,
  scope: string,
  records: MutableInventory,
  incomplete: IncompleteScope[],
  pool: StringPool,
): void {
  const problems: string[] = [];
  for (const item of items) {
    const problem = problemOfLiveRecord(kind, item, asked);
    if (problem !== undefined) {
      problems.push(problem);
      continue;
    }
    pool.internAll(item);
    records[kind].push(item as ApiRecord);
  }
  if (problems.length === 0) return;
  const named = problems.slice(0, MAX_REFUSALS_NAMED).join('; ');
  const more = problems.length - MAX_REFUSALS_NAMED;
  incomplete.push({
    project: asked.project,
    kind,
    scope,
    reason:
      problems.length === 1
        ? `REFUSED: ${named}`
        : `REFUSED ${problems.length} records: ${named}${more > 0 ? `; and ${more} more` : ''}`,
  });
}

/** Refused records named in one scope's reason: enough to find the fault, bounded whatever the answer holds. */
const MAX_REFUSALS_NAMED = 3;

/**
 * Throws UnfitRecordError when the record a get returned cannot be judged (problemOfLiveRecord): returned as it is, a
 * broken record would break the judgement, and one naming another resource would be judged in its place.
 */
function checkReadRecord(ref: ResourceRef, record: ApiRecord, context: CallContext): void {
  const kind = kindOfRef(ref);
  if (kind === undefined) return;
  const problem = problemOfLiveRecord(kind, record, { project: ref.project, path: ref.path });
  if (problem !== undefined) throw new UnfitRecordError(context, problem);
}

/** The path after `projects/P/` of a name asked for, when it parses: what the record returned must name. */
function pathAskedIn(name: string): { readonly path?: string } {
  const ref = parseResourceRef(name);
  return ref ? { path: ref.path } : {};
}

/** One entry per scope: the API reports an unreachable scope both as a scope warning and in `unreachables`. */
function distinctScopes(scopes: readonly IncompleteScope[]): IncompleteScope[] {
  const seen = new Map<string, IncompleteScope>();
  for (const scope of scopes) {
    const key = `${scope.project}|${scope.kind}|${scope.scope}`;
    if (!seen.has(key)) seen.set(key, scope);
  }
  return [...seen.values()];
}

/**
 * Project number -> ID, learnt for free: API Gateway names a gateway's config with the project number
 * (`projects/123456789012/...`) while the config's own name carries the ID. No Resource Manager call needed.
 */
function projectIdsSeen(records: MutableInventory): Record<string, string> {
  const idByConfigKey = new Map<string, string>();
  for (const config of records.apiConfig) {
    const match = typeof config.name === 'string' ? config.name.match(CONFIG_NAME) : null;
    if (match?.[1] && match[2]) idByConfigKey.set(match[2], match[1]);
  }
  const projectIds: Record<string, string> = {};
  for (const gateway of records.gateway) {
    const match = typeof gateway.apiConfig === 'string' ? gateway.apiConfig.match(CONFIG_NAME) : null;
    const id = match?.[2] ? idByConfigKey.get(match[2]) : undefined;
    if (match?.[1] && id && /^\d+$/.test(match[1]) && id !== match[1]) projectIds[match[1]] = id;
  }
  return projectIds;
}

/** The project ID the records of one project name (selfLinks and names carry the ID, whatever the path asked). */
function projectIdOfRecords(records: MutableInventory): string | undefined {
  for (const kind of Object.keys(records) as ResourceKind[]) {
    for (const record of records[kind]) {
      const link = typeof record.selfLink === 'string' ? record.selfLink : record.name;
      const project = typeof link === 'string' ? parseResourceRef(link)?.project : undefined;
      if (project !== undefined && !/^\d+$/.test(project)) return project;
    }
  }
  return undefined;
}

const CONFIG_NAME = /^projects\/([^/]+)\/(locations\/global\/apis\/[^/]+\/configs\/[^/]+)$/;

function asRecord(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}

/**
 * The records of a list field, or what is wrong with it. Absent is none (JSON leaves empty lists out); an entry that
 * is not an object makes the whole field unreadable, as leaving it out would read its resource as deleted.
 */
function recordsIn(value: unknown): ApiRecord[] | string {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return `is ${describeShape(value)}`;
  for (let index = 0; index < value.length; index += 1) {
    if (!isObject(value[index])) return `holds ${describeShape(value[index])} at ${index}`;
  }
  return value as ApiRecord[];
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
