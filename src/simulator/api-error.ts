// Errors in Google's JSON error shape, as Compute and API Gateway answer them.

const STATUS_BY_CODE: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'UNIMPLEMENTED',
  409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export interface GoogleErrorBody {
  readonly error: {
    readonly code: number;
    readonly message: string;
    readonly errors: readonly {
      readonly reason: string;
      readonly message: string;
      readonly domain: string;
    }[];
    readonly status: string;
  };
}

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly domain = 'global',
  ) {
    super(message);
  }

  toBody(): GoogleErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        errors: [{ reason: this.reason, message: this.message, domain: this.domain }],
        status: STATUS_BY_CODE[this.code] ?? 'UNKNOWN',
      },
    };
  }
}

export function notFound(resourceName: string): ApiError {
  return new ApiError(404, 'notFound', `The resource '${resourceName}' was not found`);
}

export function badRequest(message: string, reason = 'invalid'): ApiError {
  return new ApiError(400, reason, message);
}
