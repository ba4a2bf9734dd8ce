// Serves handlers built from injected dependencies through the real Functions Framework (getTestServer), on a free port.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { Handlers } from '../../functions/handlers.js';

// Kept here too: the handler and fault tests import them beside serveHandlers.
export { postJson, pushBody } from '../support/push-delivery.js';

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
