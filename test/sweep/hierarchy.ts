// A real-shaped organisation for the tree tests: projects directly under the organisation and under folders three
// levels deep, one project pending deletion, one folder that answers 403 (given as a fault), and another organisation.

import type { SimulatedFolder, SimulatedProject } from '../../src/simulator/index.js';

export const ORG = 'organizations/100000000001';
export const OTHER_ORG = 'organizations/200000000002';

const folders: SimulatedFolder[] = [
  { name: 'folders/1001', parent: ORG, displayName: 'Production' },
  { name: 'folders/1002', parent: ORG, displayName: 'Staging' },
  { name: 'folders/2001', parent: 'folders/1001', displayName: 'Payments' },
  { name: 'folders/2002', parent: 'folders/1002', displayName: 'Sandbox' },
  // Answers 403 in the tests (`/v3/folders/3001`): a team folder the auditor was never granted.
  { name: 'folders/3001', parent: 'folders/2001', displayName: 'Restricted' },
  { name: 'folders/3002', parent: 'folders/2001', displayName: 'Edge team' },
  { name: 'folders/4001', parent: 'folders/3001', displayName: 'Restricted apps' },
  { name: 'folders/9001', parent: OTHER_ORG, displayName: 'Globex' },
];

const projects: SimulatedProject[] = [
  { projectId: 'acme-org-root', parent: ORG },
  { projectId: 'acme-depth1-a', parent: 'folders/1001' },
  { projectId: 'acme-depth1-b', parent: 'folders/1002' },
  { projectId: 'acme-depth2-a', parent: 'folders/2001' },
  { projectId: 'acme-sandbox', parent: 'folders/2002' },
  { projectId: 'acme-leaving', parent: 'folders/2001', state: 'DELETE_REQUESTED' },
  { projectId: 'acme-depth3-a', parent: 'folders/3002', projectNumber: '300200000001' },
  { projectId: 'acme-depth3-b', parent: 'folders/3002' },
  { projectId: 'acme-hidden', parent: 'folders/3001' },
  { projectId: 'acme-deep-hidden', parent: 'folders/4001' },
  { projectId: 'globex-edge', parent: 'folders/9001' },
];

export const HIERARCHY = { folders, projects } as const;
