// neg.gateway-not-streaming: the gateway an API Gateway NEG reaches does not run in streaming mode.

import { directUrlOf } from '../../domain/direct-url.js';
import type { GatewayLookup, ResourceNode } from '../../domain/graph.js';
import {
  defineRule,
  describe,
  fail,
  notApplicable,
  notApplicableLater,
  type PassVerdict,
  pass,
  passLater,
  type Verdict,
} from '../define-rule.js';

const STREAMING_ENABLED = 'EFFECTIVE_STREAMING_MODE_ENABLED';

const REACHES_NO_GATEWAY = notApplicableLater<'networkEndpointGroup'>((neg) =>
  notApplicable(`${describe(neg)} reaches no gateway.`),
);

export const negGatewayNotStreaming = defineRule({
  id: 'neg.gateway-not-streaming',
  title: 'Gateways behind serverless NEGs have streaming disabled',
  severity: 'MEDIUM',
  source: 'doc',
  appliesTo: ['networkEndpointGroup'],
  rationale:
    'Gateways whose effective streaming mode is enabled are documented as incompatible with the HTTP(S) load ' +
    'balancer and serverless NEGs during the Preview: streamed requests through the load balancer misbehave. A ' +
    'URL-mask NEG reaches every gateway of its region, so each of them is checked (one result per gateway ID).',
  remediation: {
    summary:
      'Serve the API through a gateway created without streaming (streamingMode is immutable: create a new gateway ' +
      'and point the NEG at it), or expose the streaming gateway directly instead of through the load balancer. ' +
      "Behind a URL-mask NEG, move the streaming gateway out of the NEG's project or region.",
    gcloud:
      'gcloud api-gateway gateways create GATEWAY_ID --api=API --api-config=CONFIG --location=REGION\n' +
      'gcloud beta compute network-endpoint-groups create NEG --region=REGION --network-endpoint-type=serverless ' +
      '--serverless-deployment-platform=apigateway.googleapis.com --serverless-deployment-resource=GATEWAY_ID',
    terraform:
      'resource "google_api_gateway_gateway" "gw" {\n  provider   = google-beta\n  gateway_id = "GATEWAY_ID"\n' +
      '  region     = "REGION"\n  api_config = google_api_gateway_api_config.cfg.id\n  # no streaming mode\n}',
  },
  references: [
    'https://cloud.google.com/api-gateway/docs/multi-region-deployment',
    'https://cloud.google.com/api-gateway/docs/reference/rest',
  ],
  evaluate(neg, { graph }) {
    const lookup = graph.gatewayLookup(neg);
    if (!lookup || lookup.reached.length === 0) return REACHES_NO_GATEWAY;
    // Most NEGs reach one gateway: its verdict alone, not in an array of one, and a pass said from the lookup again.
    if (lookup.reached.length === 1) {
      const gateway = lookup.reached[0] as ResourceNode<'gateway'>;
      return isStreaming(gateway) ? judgeGateway(neg, lookup, gateway) : REACHES_ITS_GATEWAY_UNSTREAMED;
    }
    return lookup.reached.map((gateway) => judgeGateway(neg, lookup, gateway));
  },
});

function isStreaming(gateway: ResourceNode<'gateway'>): boolean {
  return gateway.data.effectiveStreamingMode === STREAMING_ENABLED;
}

/** The pass of a NEG reaching one gateway, which does not stream: said from the graph's lookup again. */
const REACHES_ITS_GATEWAY_UNSTREAMED = passLater<'networkEndpointGroup'>((neg, { graph }) => {
  const lookup = graph.gatewayLookup(neg) as GatewayLookup;
  return sayUnstreamed(neg, lookup, lookup.reached[0] as ResourceNode<'gateway'>);
});

function sayUnstreamed(
  neg: ResourceNode<'networkEndpointGroup'>,
  lookup: GatewayLookup,
  gateway: ResourceNode<'gateway'>,
): PassVerdict {
  return {
    ...pass(
      `${describe(neg)} reaches ${describe(gateway)}, which does not stream.`,
      evidenceOf(lookup, gateway),
    ),
    ...(lookup.by === 'mask' ? { subKey: gateway.ref.name } : {}),
  };
}

/** One reached gateway's verdict; a mask NEG reaches every gateway of its region, each keyed by its ID. */
function judgeGateway(
  neg: ResourceNode<'networkEndpointGroup'>,
  lookup: GatewayLookup,
  gateway: ResourceNode<'gateway'>,
): Verdict {
  if (isStreaming(gateway)) {
    return fail(
      `${describe(neg)} reaches ${describe(gateway)}, which has streaming enabled.`,
      evidenceOf(lookup, gateway),
      lookup.by === 'mask' ? { subKey: gateway.ref.name } : undefined,
    );
  }
  return passLater(() => sayUnstreamed(neg, lookup, gateway));
}

function evidenceOf(lookup: GatewayLookup, gateway: ResourceNode<'gateway'>) {
  return {
    gateway: gateway.fullName,
    effectiveStreamingMode: gateway.data.effectiveStreamingMode ?? null,
    ...(lookup.by === 'mask' ? { urlMask: lookup.urlMask, directUrl: directUrlOf(gateway.data) } : {}),
  };
}
