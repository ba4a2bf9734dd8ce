// The Google API shapes Gatewarden judges, as the APIs return them (Compute v1 / beta, API Gateway v1).
// Only the fields the rules read are typed; everything else passes through untouched.

export interface ApiRecord {
  readonly [field: string]: unknown;
}

export interface Backend extends ApiRecord {
  readonly group?: string;
  readonly balancingMode?: string;
  readonly capacityScaler?: number;
  readonly maxUtilization?: number;
  readonly maxConnections?: number;
  readonly maxConnectionsPerInstance?: number;
  readonly maxConnectionsPerEndpoint?: number;
  readonly maxRate?: number;
  readonly maxRatePerInstance?: number;
  readonly maxRatePerEndpoint?: number;
  readonly maxInFlightRequests?: number;
  readonly maxInFlightRequestsPerInstance?: number;
  readonly maxInFlightRequestsPerEndpoint?: number;
}

export interface BackendService extends ApiRecord {
  readonly name?: string;
  readonly selfLink?: string;
  readonly region?: string;
  readonly description?: string;
  readonly loadBalancingScheme?: string;
  readonly protocol?: string;
  readonly backends?: readonly Backend[];
  readonly healthChecks?: readonly string[];
  readonly port?: number;
  readonly portName?: string;
  readonly sessionAffinity?: string;
  readonly localityLbPolicy?: string;
  readonly consistentHash?: ApiRecord;
  readonly outlierDetection?: ApiRecord;
  readonly iap?: { readonly enabled?: boolean } & ApiRecord;
  readonly enableCDN?: boolean;
  readonly cdnPolicy?: { readonly cacheMode?: string } & ApiRecord;
  readonly securityPolicy?: string;
  readonly edgeSecurityPolicy?: string;
  readonly logConfig?: { readonly enable?: boolean; readonly sampleRate?: number } & ApiRecord;
  readonly customRequestHeaders?: readonly string[];
  readonly fingerprint?: string;
}

export interface ServerlessDeployment extends ApiRecord {
  readonly platform?: string;
  readonly resource?: string;
  readonly version?: string;
  readonly urlMask?: string;
}

export interface NetworkEndpointGroup extends ApiRecord {
  readonly name?: string;
  readonly selfLink?: string;
  readonly region?: string;
  readonly zone?: string;
  readonly networkEndpointType?: string;
  readonly size?: number;
  readonly defaultPort?: number;
  readonly serverlessDeployment?: ServerlessDeployment;
  readonly cloudRun?: ApiRecord;
  readonly appEngine?: ApiRecord;
  readonly cloudFunction?: ApiRecord;
}

export interface WeightedBackendService extends ApiRecord {
  readonly backendService?: string;
  readonly weight?: number;
}

export interface RouteAction extends ApiRecord {
  readonly weightedBackendServices?: readonly WeightedBackendService[];
}

export interface UrlRedirect extends ApiRecord {
  readonly httpsRedirect?: boolean;
}

export interface PathRule extends ApiRecord {
  readonly paths?: readonly string[];
  readonly service?: string;
  readonly routeAction?: RouteAction;
  readonly urlRedirect?: UrlRedirect;
}

export interface RouteRule extends ApiRecord {
  readonly priority?: number;
  readonly service?: string;
  readonly routeAction?: RouteAction;
  readonly urlRedirect?: UrlRedirect;
}

export interface PathMatcher extends ApiRecord {
  readonly name?: string;
  readonly defaultService?: string;
  readonly defaultRouteAction?: RouteAction;
  readonly defaultUrlRedirect?: UrlRedirect;
  readonly pathRules?: readonly PathRule[];
  readonly routeRules?: readonly RouteRule[];
}

export interface UrlMap extends ApiRecord {
  readonly name?: string;
  readonly selfLink?: string;
  readonly defaultService?: string;
  readonly defaultRouteAction?: RouteAction;
  readonly defaultUrlRedirect?: UrlRedirect;
  readonly hostRules?: readonly ApiRecord[];
  readonly pathMatchers?: readonly PathMatcher[];
}

export interface TargetHttpProxy extends ApiRecord {
  readonly name?: string;
  readonly selfLink?: string;
  readonly urlMap?: string;
}

export interface TargetHttpsProxy extends ApiRecord {
  readonly name?: string;
  readonly selfLink?: string;
  readonly urlMap?: string;
  readonly sslPolicy?: string;
  readonly sslCertificates?: readonly string[];
  readonly certificateMap?: string;
}

export interface ForwardingRule extends ApiRecord {
  readonly name?: string;
  readonly selfLink?: string;
  readonly target?: string;
  readonly IPAddress?: string;
  readonly portRange?: string;
  readonly loadBalancingScheme?: string;
}

export interface SslPolicy extends ApiRecord {
  readonly name?: string;
  readonly selfLink?: string;
  readonly minTlsVersion?: string;
  readonly profile?: string;
}

export interface SecurityPolicy extends ApiRecord {
  readonly name?: string;
  readonly selfLink?: string;
  readonly type?: string;
}

export interface Gateway extends ApiRecord {
  /** `projects/{project}/locations/{region}/gateways/{id}` */
  readonly name?: string;
  /** `projects/{project}/locations/global/apis/{api}/configs/{config}` (project ID or number). */
  readonly apiConfig?: string;
  readonly state?: string;
  readonly defaultHostname?: string;
  readonly displayName?: string;
  readonly effectiveStreamingMode?: string;
}

export interface OpenApiDocument extends ApiRecord {
  readonly document?: { readonly path?: string; readonly contents?: string } & ApiRecord;
}

export interface ApiConfig extends ApiRecord {
  /** `projects/{project}/locations/global/apis/{api}/configs/{config}` */
  readonly name?: string;
  readonly openapiDocuments?: readonly OpenApiDocument[];
  readonly grpcServices?: readonly ApiRecord[];
  readonly gatewayServiceAccount?: string;
  readonly state?: string;
}

export interface ResourceDataByKind {
  backendService: BackendService;
  networkEndpointGroup: NetworkEndpointGroup;
  urlMap: UrlMap;
  targetHttpProxy: TargetHttpProxy;
  targetHttpsProxy: TargetHttpsProxy;
  forwardingRule: ForwardingRule;
  sslPolicy: SslPolicy;
  securityPolicy: SecurityPolicy;
  gateway: Gateway;
  apiConfig: ApiConfig;
}
