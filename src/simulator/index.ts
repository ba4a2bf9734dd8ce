// The local Google API simulator's public surface: what the CLI's `simulate` command and the tests start it with.

export type { AuditLogEntry } from './audit-entries.js';
export type { FaultRule } from './faults.js';
export { readFaultFile } from './faults.js';
export type { PlatformSeed } from './platform.js';
export { createPubSubAuditSink } from './pubsub-audit-sink.js';
export type { LifecycleState, SimulatedFolder, SimulatedProject } from './resource-manager-api.js';
export { ResourceHierarchy } from './resource-manager-api.js';
export type { AuditSink, RequestLogEntry, Simulator, SimulatorOptions } from './server.js';
export { DEFAULT_PRINCIPAL, PRINCIPAL_HEADER, startSimulator } from './server.js';
