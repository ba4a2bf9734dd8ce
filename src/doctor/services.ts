// Which Google API service each call of the live source goes to, and which of them must be enabled in a watched project.

import { type ApiSurface, FETCHERS, type FetcherDeclaration } from '../adapters/googleapis/permissions.js';

/** The Service Usage name of the service behind each API surface the fetchers call. */
export const SERVICE_OF_SURFACE: Readonly<Record<ApiSurface, string>> = {
  'compute/v1': 'compute.googleapis.com',
  'compute/beta': 'compute.googleapis.com',
  'apigateway/v1': 'apigateway.googleapis.com',
  'cloudresourcemanager/v3': 'cloudresourcemanager.googleapis.com',
};

/**
 * Services whose calls are checked against the enablement of the project they read (Compute and API Gateway bill
 * and refuse per resource project). Resource Manager calls (the tree walk) are billed to the caller's own project, the host project, whose
 * APIs Terraform enables.
 */
const CALLER_PROJECT_SERVICES = new Set(['cloudresourcemanager.googleapis.com']);

/** Every service some fetcher calls, sorted. */
export function servicesCalledByFetchers(): string[] {
  const declarations: readonly FetcherDeclaration[] = Object.values(FETCHERS);
  return [...new Set(declarations.map((fetcher) => SERVICE_OF_SURFACE[fetcher.api]))].sort();
}

/** The services that must be enabled in every watched project (doctor checks them; Terraform leaves them alone). */
export function watchedProjectServices(): string[] {
  return servicesCalledByFetchers().filter((service) => !CALLER_PROJECT_SERVICES.has(service));
}

/** The services the functions call in the host project (Terraform enables them there). */
export function hostProjectServicesOfFetchers(): string[] {
  return servicesCalledByFetchers().filter((service) => CALLER_PROJECT_SERVICES.has(service));
}
