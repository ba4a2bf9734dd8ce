// The local Google API simulator: an HTTP server serving an inventory over Compute v1/beta and API Gateway v1 paths.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Inventory } from '../domain/inventory.js';
import { ApiError } from './api-error.js';
import { handleApiGateway } from './api-gateway-api.js';
import { type AuditLogEntry, buildAuditEntries } from './audit-entries.js';
import { handleCompute } from './compute-api.js';
import { FaultInjector, type FaultRule, parseFaultRules } from './faults.js';
import { type PlatformSeed, PlatformState, parsePlatform } from './platform.js';
import { handlePlatformRequest } from './platform-api.js';
import { type HandlerResult, type RequestContext, UnknownRouteError } from './request-context.js';
import {
  handleResourceManager,
  ResourceHierarchy,
  type SimulatedFolder,
  type SimulatedProject,
} from './resource-manager-api.js';
import { handleSccRequest, SccState } from './scc-api.js';
import { handleSecretManagerRequest, type SimulatedSecrets } from './secret-manager-api.js';
import { serviceDisabledAnswer } from './service-disabled.js';
import { SimulatorStore } from './store.js';

export const DEFAULT_PRINCIPAL = 'simulator-user@example.com';
export const PRINCIPAL_HEADER = 'x-goog-simulated-principal';
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Where audit entries go (Pub/Sub in the CLI; an array in tests). */
export interface AuditSink {
  publish(entries: readonly AuditLogEntry[]): Promise<void>;
  close?(): Promise<void>;
}

export interface SimulatorOptions {
  readonly inventory: Inventory;
  readonly faults?: readonly FaultRule[];
  readonly auditSink?: AuditSink;
  /** Who the audit entries say made a change, unless the request names someone in `x-goog-simulated-principal`. */
  readonly principal?: string;
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly now?: () => Date;
  /** Told about every request no route serves (answered 404), so missing routes show up. */
  readonly onUnknownRequest?: (description: string) => void;
  readonly onAuditError?: (error: Error) => void;
  /** The projects Cloud Resource Manager v3 serves (organisation and folder sweeps, ancestry); none when absent. */
  readonly projects?: readonly SimulatedProject[];
  /** Enabled APIs, the caller's permissions and the deployment's sinks, topics and subscriptions (platform.ts). */
  readonly platform?: PlatformSeed;
  /** The folders above them, each naming its parent folder or organisation. */
  readonly folders?: readonly SimulatedFolder[];
  /** Security Command Center sources that exist (`organizations/O/sources/S`); their findings are served. */
  readonly sccSources?: readonly string[];
  /** Secret Manager secrets (`projects/P/secrets/S` -> value) served at `versions/latest:access` (webhook URLs). */
  readonly secrets?: SimulatedSecrets;
  /**
   * A hostile API: sees each answer before it is sent and may replace it (a 200 of the wrong shape, a page token
   * that repeats), for answers no fault rule can describe. Undefined keeps the answer.
   */
  readonly reshapeAnswer?: (request: AnswerRequest, answer: SimulatedAnswer) => SimulatedAnswer | undefined;
}

export interface AnswerRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
}

/** `text` is sent as it is (an HTML error page from a proxy); `body` as JSON. */
export type SimulatedAnswer =
  | { readonly status: number; readonly body: unknown }
  | { readonly status: number; readonly text: string; readonly contentType: string };

export interface RequestLogEntry {
  readonly seq: number;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly status: number;
  /** Epoch milliseconds (fractional) when the request arrived and when its answer was sent. */
  readonly startMs: number;
  readonly endMs: number;
  readonly fault?: string;
  readonly auditError?: string;
}

export interface Simulator {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  readonly store: SimulatorStore;
  /** The Resource Manager hierarchy, changeable while serving (a project moved or created between sweeps). */
  readonly hierarchy: ResourceHierarchy;
  requests(): readonly RequestLogEntry[];
  clearRequests(): void;
  setFaults(rules: readonly FaultRule[]): void;
  /** Replaces the control-plane state (switches a disabled API or a missing permission on or off). */
  setPlatform(seed: PlatformSeed): void;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const store = new SimulatorStore(options.inventory);
  const hierarchy = new ResourceHierarchy(options.projects, options.folders);
  const faults = new FaultInjector(options.faults ?? []);
  const platform = new PlatformState(options.platform);
  const scc = new SccState(options.sccSources);
  const log: RequestLogEntry[] = [];
  let seq = 0;
  const now = options.now ?? (() => new Date());
  const clock = () => performance.timeOrigin + performance.now();

  const server = createServer((request, response) => {
    void serve(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        sendJson(
          response,
          500,
          new ApiError(500, 'backendError', `Simulator failure: ${String(error)}`).toBody(),
        );
      } else {
        response.destroy();
      }
    });
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const startMs = clock();
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://simulator.invalid');
    const path = url.pathname;
    if (path.startsWith('/__simulator/')) return serveControl(request, response, method, path);

    const entry = { seq: ++seq, method, path, query: Object.fromEntries(url.searchParams), startMs };
    const finish = (status: number, body: unknown, extra: Partial<RequestLogEntry> = {}, headers = {}) => {
      const answer = options.reshapeAnswer?.(entry, { status, body }) ?? { status, body };
      if ('text' in answer) sendText(response, answer.status, answer.text, answer.contentType);
      else sendJson(response, answer.status, answer.body, headers);
      log.push({ ...entry, status: answer.status, endMs: clock(), ...extra });
    };

    const fault = faults.pick(method, path);
    if (fault && fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (fault?.error)
      return finish(
        fault.error.code,
        fault.error.toBody(),
        { fault: fault.description },
        fault.error.headers,
      );
    const faultNote = fault ? { fault: fault.description } : {};

    const route = routeOf(path);
    try {
      const body = await readJsonBody(request);
      const sccAnswer = handleSccRequest(method, path, url.searchParams, body, scc, now());
      if (sccAnswer) return finish(sccAnswer.status, sccAnswer.body, faultNote);
      const secretAnswer = handleSecretManagerRequest(method, path, options.secrets ?? {}, platform);
      if (secretAnswer) return finish(secretAnswer.status, secretAnswer.body, faultNote);
      const platformAnswer = handlePlatformRequest(method, path, url.searchParams, body, platform);
      if (platformAnswer) return finish(platformAnswer.status, platformAnswer.body, faultNote);
      if (!route) throw new UnknownRouteError();
      const disabled = serviceDisabledAnswer(route, platform, (project) => store.projectIdOf(project));
      if (disabled) return finish(disabled.status, disabled.body, faultNote);
      const ctx: RequestContext = {
        method,
        segments: route.segments,
        version: route.version,
        query: url.searchParams,
        body,
        base: `http://${request.headers.host ?? `127.0.0.1:${port}`}`,
        now: now(),
        principal: principalOf(request, options.principal),
        store,
        faults,
      };
      const result =
        route.service === 'compute'
          ? await handleCompute(ctx)
          : route.service === 'resourcemanager'
            ? handleResourceManager(ctx, hierarchy)
            : handleApiGateway(ctx);
      const auditError = result.mutation ? await publishAudit(ctx, request, result) : undefined;
      const notes = [faultNote.fault, result.fault].filter(Boolean).join(', ');
      return finish(result.status, result.body, {
        ...(notes ? { fault: notes } : {}),
        ...(auditError ? { auditError } : {}),
      });
    } catch (error) {
      if (error instanceof UnknownRouteError) {
        const message = `The simulator does not serve ${method} ${path}${url.search}`;
        options.onUnknownRequest?.(message);
        return finish(404, new ApiError(404, 'notFound', message).toBody(), faultNote);
      }
      if (error instanceof ApiError) return finish(error.code, error.toBody(), faultNote, error.headers);
      throw error;
    }
  }

  async function publishAudit(
    ctx: RequestContext,
    request: IncomingMessage,
    result: HandlerResult,
  ): Promise<string | undefined> {
    if (!options.auditSink || !result.mutation) return undefined;
    const operationName = (result.body as { name?: unknown }).name;
    const entries = buildAuditEntries(result.mutation, {
      principal: ctx.principal,
      time: ctx.now,
      callerIp: request.socket.remoteAddress ?? '127.0.0.1',
      userAgent: request.headers['user-agent'] ?? 'unknown',
      ...(typeof operationName === 'string' ? { operationName } : {}),
    });
    try {
      await options.auditSink.publish(entries);
      return undefined;
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      options.onAuditError?.(failure);
      return failure.message;
    }
  }

  async function serveControl(
    request: IncomingMessage,
    response: ServerResponse,
    method: string,
    path: string,
  ): Promise<void> {
    if (path === '/__simulator/requests' && method === 'GET')
      return sendJson(response, 200, { requests: log });
    if (path === '/__simulator/requests' && method === 'DELETE') {
      log.length = 0;
      response.writeHead(204).end();
      return;
    }
    if (path === '/__simulator/state' && method === 'GET') {
      return sendJson(response, 200, { resources: store.snapshot(), problems: store.problems });
    }
    if (path === '/__simulator/platform' && method === 'PUT') {
      try {
        platform.set(parsePlatform(await readJsonBody(request), 'PUT /__simulator/platform'));
        response.writeHead(204).end();
      } catch (error) {
        sendJson(response, 400, new ApiError(400, 'invalid', (error as Error).message).toBody());
      }
      return;
    }
    if (path === '/__simulator/faults' && method === 'PUT') {
      try {
        faults.setRules(parseFaultRules(await readJsonBody(request), 'PUT /__simulator/faults'));
        response.writeHead(204).end();
      } catch (error) {
        sendJson(response, 400, new ApiError(400, 'invalid', (error as Error).message).toBody());
      }
      return;
    }
    sendJson(
      response,
      404,
      new ApiError(404, 'notFound', `No simulator control endpoint ${method} ${path}`).toBody(),
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;

  return {
    url,
    port,
    store,
    hierarchy,
    requests: () => [...log],
    clearRequests: () => {
      log.length = 0;
    },
    setFaults: (rules) => faults.setRules(rules),
    setPlatform: (seed) => platform.set(seed),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await options.auditSink?.close?.();
    },
  };
}

interface Route {
  readonly service: 'compute' | 'apigateway' | 'resourcemanager';
  readonly version: string;
  readonly segments: string[];
}

function routeOf(path: string): Route | undefined {
  const parts = path.split('/').filter((part) => part.length > 0);
  let segments: string[];
  try {
    segments = parts.map((part) => decodeURIComponent(part));
  } catch {
    return undefined;
  }
  const [first, second, ...rest] = segments;
  if (first === 'compute' && (second === 'v1' || second === 'beta' || second === 'alpha')) {
    return { service: 'compute', version: second, segments: rest };
  }
  if (first === 'v3' && second !== undefined) {
    return { service: 'resourcemanager', version: 'v3', segments: [second, ...rest] };
  }
  if (first === 'v1' && second !== undefined) {
    return { service: 'apigateway', version: 'v1', segments: [second, ...rest] };
  }
  return undefined;
}

function principalOf(request: IncomingMessage, fallback: string | undefined): string {
  const header = request.headers[PRINCIPAL_HEADER];
  const named = Array.isArray(header) ? header[0] : header;
  return named?.trim() || fallback || DEFAULT_PRINCIPAL;
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new ApiError(413, 'requestTooLarge', 'The request body is larger than 10 MB.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, 'parseError', `Invalid JSON payload received. ${(error as Error).message}`);
  }
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body, null, 2);
  response.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

function sendText(response: ServerResponse, status: number, text: string, contentType: string): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
