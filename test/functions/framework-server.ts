// Serves handlers built from injected dependencies through the real Functions Framework (getTestServer), on a free port.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { Handlers } from '../../functions/handlers.js';

export interface ServedFunctions {
  /** `http://127.0.0.1:PORT` of each entry point. */
  readonly onAuditLog: string;
  readonly onSweep: string;
  readonly report: string;
  close(): Promise<void>;
}

let registrations = 0;

/** Registers the handlers under fresh names (the framework's registry is global) and listens on free ports. */
export async function serveHandlers(handlers: Handlers): Promise<ServedFunctions> {
  registrations += 1;
  const names = {
    onAuditLog: `onAuditLog_${registrations}`,
    onSweep: `onSweep_${registrations}`,
    report: `report_${registrations}`,
  };
  functions.cloudEvent(names.onAuditLog, handlers.onAuditLog);
  functions.cloudEvent(names.onSweep, handlers.onSweep);
  functions.http(names.report, handlers.report);
  const servers = await Promise.all(Object.values(names).map((name) => listen(getTestServer(name))));
  const [audit, sweep, report] = servers.map(
    (server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  );
  return {
    onAuditLog: audit ?? '',
    onSweep: sweep ?? '',
    report: report ?? '',
    close: async () => {
      await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
    },
  };
}

function listen(server: Server): Promise<Server> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done(server));
  });
}

/** What a Pub/Sub push subscription POSTs: the framework turns it into a messagePublished CloudEvent. */
export function pushBody(
  payload: string,
  messageId: string,
  subscription = 'projects/acme-sec/subscriptions/audit-push',
) {
  return {
    message: {
      data: Buffer.from(payload, 'utf8').toString('base64'),
      attributes: { 'logging.googleapis.com/timestamp': '2026-05-11T14:12:25.678Z' },
      messageId,
      publishTime: '2026-05-11T14:12:27.004Z',
    },
    subscription,
  };
}

export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}
