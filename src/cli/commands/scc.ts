// `gatewarden scc sync`: mirrors every stored finding to a Security Command Center source once, for installations
// that turn SCC on after findings already exist (from then on the functions mirror each transition themselves).

import type { SccClient } from '../../adapters/scc/scc-client.js';
import type { Finding } from '../../domain/finding.js';
import type { Clock } from '../../ports/clock.js';
import { systemClock } from '../../ports/clock.js';
import type { FindingQueries } from '../../ports/finding-queries.js';
import { openFirestore } from '../firestore-stores.js';
import {
  type CliIo,
  type Command,
  EXIT_BAD_INPUT,
  EXIT_FINDINGS,
  EXIT_OK,
  parseFlags,
  UsageError,
} from '../io.js';

const OPTIONS = {
  organization: { type: 'string' },
  source: { type: 'string' },
  endpoint: { type: 'string' },
  'report-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `Usage: gatewarden scc sync --organization O --source S [--report-url URL] [--endpoint URL]

  --organization O   the organization the source belongs to (numeric ID or organizations/ID)
  --source S         the Gatewarden source (numeric ID, or organizations/O/sources/S): terraform output scc_source
  --report-url URL   the report function's URL, linked from each finding (also GATEWARDEN_REPORT_URL)
  --endpoint URL     send the SCC calls to URL instead (also GATEWARDEN_API_ENDPOINT), e.g. the simulator

Reads the findings from the Firestore the functions write (GOOGLE_CLOUD_PROJECT, GATEWARDEN_FIRESTORE_DATABASE) and
writes each once: open and undetermined findings ACTIVE, resolved ones INACTIVE, exempted ones MUTED. Running it
again updates the same findings, never duplicates them.

Exit code: 0 when every finding was written, 1 when SCC refused or could not take some, 2 for bad input.
`;

export interface SccCommandDependencies {
  readonly openStore?: (io: CliIo) => Promise<{ store: FindingQueries; close(): Promise<void> }>;
  readonly createClient?: (endpoint: string | undefined) => Promise<SccClient>;
  readonly clock?: Clock;
}

export function createSccCommand(deps: SccCommandDependencies = {}): Command {
  return async (args, io) => {
    const [sub, ...rest] = args;
    // No subcommand is a usage error, said where errors go (as `gatewarden` alone): stdout stays empty.
    if (sub === undefined) {
      io.stderr.write(USAGE);
      return EXIT_BAD_INPUT;
    }
    if (sub === '--help' || sub === '-h') {
      io.stdout.write(USAGE);
      return EXIT_OK;
    }
    if (sub !== 'sync') throw new UsageError(`unknown scc command "${sub.slice(0, 40)}" (only: sync)`);
    const { values } = parseFlags(rest, OPTIONS);
    if (values.help) {
      io.stdout.write(USAGE);
      return EXIT_OK;
    }
    const source = sourceOf(values.organization, values.source);
    const reportUrl = urlFlag('--report-url', values['report-url'] ?? io.env.GATEWARDEN_REPORT_URL);
    const endpoint = urlFlag('--endpoint', values.endpoint ?? io.env.GATEWARDEN_API_ENDPOINT);
    const { store, close } = await (deps.openStore ?? openFirestoreFindings)(io);
    let findings: Finding[];
    try {
      findings = await store.query({
        onUnreadable: (warning) => io.stderr.write(`warning: ${warning}\n`),
      });
    } finally {
      await close();
    }
    const client = await (deps.createClient ?? defaultClient)(endpoint);
    const { SccSink } = await import('../../adapters/scc/scc-sink.js');
    const sink = new SccSink({
      client,
      source,
      clock: deps.clock ?? systemClock,
      ...(reportUrl ? { reportUrl } : {}),
    });
    const outcome = await sink.mirror(
      findings.map((finding) => ({
        finding,
        transition: null,
        at: lastChangeOf(finding),
        change: finding.lastChange,
      })),
    );
    io.stdout.write(
      `Mirrored ${outcome.written} of ${findings.length} finding(s) to ${source}` +
        `${outcome.refused.length ? `; ${outcome.refused.length} refused` : ''}` +
        `${outcome.unavailable.length ? `; ${outcome.unavailable.length} not written (SCC unavailable, run again)` : ''}\n`,
    );
    for (const refusal of outcome.refused) {
      io.stderr.write(
        `refused: finding ${refusal.findingId} (${refusal.status ?? 'no answer'}): ${refusal.reason}\n`,
      );
    }
    return outcome.refused.length + outcome.unavailable.length > 0 ? EXIT_FINDINGS : EXIT_OK;
  };
}

/** When the finding last changed state: SCC's eventTime. */
function lastChangeOf(finding: Finding): string {
  if (finding.state === 'resolved' && finding.resolvedAt) return finding.resolvedAt;
  return finding.lastChange?.at ?? finding.lastSeenAt;
}

function sourceOf(organization: string | undefined, source: string | undefined): string {
  if (organization === undefined || source === undefined) {
    throw new UsageError('scc sync needs --organization and --source');
  }
  const org = /^(?:organizations\/)?(\d{1,30})$/.exec(organization)?.[1];
  if (!org)
    throw new UsageError(
      `--organization ${JSON.stringify(organization.slice(0, 60))} is not an organization ID`,
    );
  const full = /^organizations\/(\d{1,30})\/sources\/(\d{1,30})$/.exec(source);
  if (full) {
    if (full[1] !== org) throw new UsageError(`--source ${source} is not in organizations/${org}`);
    return source;
  }
  if (!/^\d{1,30}$/.test(source))
    throw new UsageError(`--source ${JSON.stringify(source.slice(0, 60))} is not a source ID`);
  return `organizations/${org}/sources/${source}`;
}

function urlFlag(flag: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`${flag} ${JSON.stringify(value.slice(0, 80))} is not an http(s) URL`);
  }
  return url.toString();
}

async function defaultClient(endpoint: string | undefined): Promise<SccClient> {
  const { createSccClient } = await import('../../adapters/scc/scc-client.js');
  return createSccClient(endpoint ? { endpoint } : {});
}

async function openFirestoreFindings(io: CliIo): Promise<{ store: FindingQueries; close(): Promise<void> }> {
  const db = await openFirestore(io);
  const { createFirestoreStores } = await import('../../adapters/firestore/stores.js');
  return { store: createFirestoreStores(db).findings, close: () => db.terminate() };
}
