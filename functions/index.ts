// Cloud Run functions entry points (onAuditLog, onSweep, report), registered with the Functions Framework.
// Only the framework and the pure core load here; adapters are composed on the first invocation.

import * as functions from '@google-cloud/functions-framework';
import { createHandlers } from './handlers.js';

const handlers = createHandlers(async () => {
  const { composeFromEnvironment, functionLogger } = await import('./compose.js');
  try {
    return await composeFromEnvironment();
  } catch (error) {
    // Thrown on: the message is redelivered once the configuration is fixed, never acknowledged unjudged.
    functionLogger.error('gatewarden cannot start: configuration refused', {
      error: error instanceof Error ? error.message : String(error),
    });
    throw error;
  }
});

functions.cloudEvent('onAuditLog', handlers.onAuditLog);
functions.cloudEvent('onSweep', handlers.onSweep);
functions.http('report', handlers.report);
