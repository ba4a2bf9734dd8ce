// Which audit-log methods Gatewarden acts on, read from the one list the Terraform sink filter is built from.

import handled from './handled-methods.json' with { type: 'json' };

export const COMPUTE_METHOD_FAMILIES: readonly string[] = handled.compute;
export const API_GATEWAY_SERVICES: readonly string[] = handled.apigateway;

const COMPUTE_METHOD = /^(v1|beta|alpha)\.(compute\.[A-Za-z]+)\.([A-Za-z]+)$/;
const API_GATEWAY_METHOD = /^(google\.cloud\.apigateway\.v1(?:beta)?\.ApiGatewayService)\.([A-Za-z]+)$/;

export interface HandledMethod {
  readonly service: 'compute' | 'apigateway';
  /** `compute.backendServices` or `google.cloud.apigateway.v1.ApiGatewayService`. */
  readonly family: string;
  /** `patch`, `setSecurityPolicy`, `UpdateGateway`... */
  readonly verb: string;
  readonly deletes: boolean;
}

/** The method's family and verb when Gatewarden handles it; undefined for anything else. */
export function matchHandledMethod(methodName: string): HandledMethod | undefined {
  const compute = COMPUTE_METHOD.exec(methodName);
  if (compute?.[2] && compute[3] && COMPUTE_METHOD_FAMILIES.includes(compute[2])) {
    return { service: 'compute', family: compute[2], verb: compute[3], deletes: compute[3] === 'delete' };
  }
  const apiGateway = API_GATEWAY_METHOD.exec(methodName);
  if (apiGateway?.[1] && apiGateway[2] && API_GATEWAY_SERVICES.includes(apiGateway[1])) {
    return {
      service: 'apigateway',
      family: apiGateway[1],
      verb: apiGateway[2],
      deletes: apiGateway[2].startsWith('Delete'),
    };
  }
  return undefined;
}
