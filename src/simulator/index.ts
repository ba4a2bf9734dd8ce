// The local Google API simulator's public surface: what the CLI's `simulate` command and the tests start it with.

export type { AuditLogEntry } from './audit-entries.js';
export type { FaultRule } from './faults.js';
export { readFaultFile } from './faults.js';
export type { PlatformSeed } from './platform.js';
export { readPlatformFile } from './platform.js';
export { createPubSubAuditSink } from './pubsub-audit-sink.js';
export type { SimulatedFolder, SimulatedProject } from './resource-manager-api.js';
export type { AuditSink, RequestLogEntry, Simulator } from './server.js';
export { PRINCIPAL_HEADER, startSimulator } from './server.js';
