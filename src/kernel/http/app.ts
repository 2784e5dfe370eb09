import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv, type Options as AjvOptions } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { principalForToken } from '../auth/principal.js';
import type { Kernel } from '../kernel.js';
import './guard.js';
import { PROBLEM_MEDIA_TYPE, Problem, unauthorized } from './problem.js';

export type VigilApp = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>;

/**
 * The HTTP server as the kernel configures it: strict validation, problem+json errors, default-deny
 * authentication, security headers, OpenAPI. Capabilities register their routes on it.
 */
export async function createHttpApp(kernel: Kernel, info: { version: string }): Promise<VigilApp> {
  const app = Fastify({
    loggerInstance: kernel.log,
    bodyLimit: kernel.config.bodyLimit,
    trustProxy: kernel.config.trustProxy,
    forceCloseConnections: true,
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  installValidation(app);
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => authenticate(kernel, request));
  app.addHook('onSend', async (request, reply, payload) => {
    securityHeaders(request, reply);
    return payload;
  });
  app.setErrorHandler((error, request, reply) => sendProblem(kernel, error as Error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    const problem = new Problem(404, `Nothing is served at ${request.method} ${request.url.split('?')[0]}`);
    void reply.code(404).type(PROBLEM_MEDIA_TYPE).send(problem.toJSON(request.url.split('?')[0]));
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vigil API',
        version: info.version,
        description:
          'Shared security operations for a smart city. Every record carries an owner organisation, a TLP 2.0 label and a distribution; every read applies the sharing policy. Errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Session token from POST /api/v1/auth/login, or an API token' } },
      },
      security: [{ bearer: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/v1/docs', staticCSP: true, uiConfig: { deepLinking: true } });
  app.get('/api/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  return app;
}

function installValidation(app: VigilApp): void {
  const common: AjvOptions = { allErrors: true, strict: false, removeAdditional: false, useDefaults: true };
  // Bodies are taken as sent: "5" is not a number and an unknown field is an error.
  const bodies = new Ajv({ ...common, coerceTypes: false });
  // Query strings and path parameters are text by nature, so they are coerced to the declared types.
  const parameters = new Ajv({ ...common, coerceTypes: 'array' });
  addFormats.default(bodies);
  addFormats.default(parameters);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodies : parameters).compile(schema));
}

async function authenticate(kernel: Kernel, request: FastifyRequest): Promise<void> {
  const token = bearerToken(request);
  if (token) {
    request.principal = await principalForToken(kernel.store.db, token, kernel.clock());
    if (!request.principal) throw unauthorized('The session or API token is not valid (expired, revoked or mistyped): sign in again');
    return;
  }
  const path = request.url.split('?')[0] ?? '';
  // The browsable API documentation is public like the OpenAPI document it renders.
  const isDocs = path === '/api/v1/docs' || path.startsWith('/api/v1/docs/');
  const isApi = (path.startsWith('/api/') && !isDocs) || path.startsWith('/taxii2/');
  if (isApi && !request.routeOptions.config?.public && request.is404 !== true) throw unauthorized();
}

/** The token a request carries: Bearer header, Basic password (TAXII clients), or `?token=` where a route allows it. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null;
  if (header?.startsWith('Basic ')) {
    // HTTP Basic (TAXII clients): the password is a session or API token; the user name is ignored.
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) || null : null;
  }
  if (request.routeOptions.config?.queryToken) {
    const query = request.query as Record<string, unknown> | undefined;
    if (typeof query?.token === 'string' && query.token) return query.token;
  }
  return null;
}

function securityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('X-Content-Type-Options', 'nosniff');
  reply.header('X-Frame-Options', 'DENY');
  reply.header('Referrer-Policy', 'no-referrer');
  reply.header('Cross-Origin-Opener-Policy', 'same-origin');
  reply.header('Cross-Origin-Resource-Policy', 'same-origin');
  reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(self)');
  if (!reply.hasHeader('Content-Security-Policy')) {
    reply.header(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
  }
  if (request.protocol === 'https') reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  if (request.url.startsWith('/api/') && !reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
}

function sendProblem(kernel: Kernel, error: FastifyError | Problem | Error, request: FastifyRequest, reply: FastifyReply): void {
  const problem = toProblem(kernel, error);
  if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
  if (problem.status === 429 && typeof problem.extensions.retryAfterSeconds === 'number') {
    void reply.header('Retry-After', String(problem.extensions.retryAfterSeconds));
  }
  void reply.code(problem.status).type(PROBLEM_MEDIA_TYPE).send(problem.toJSON(request.url.split('?')[0]));
}

function toProblem(kernel: Kernel, error: FastifyError | Problem | Error): Problem {
  if (error instanceof Problem) return error;
  const e = error as FastifyError;
  if (e.validation) {
    const where = e.validationContext ?? 'request';
    const errors = e.validation.map((v) => ({
      path: `${where}${v.instancePath || ''}`,
      message: describeValidation(v),
    }));
    return new Problem(400, `The ${where} is not valid: ${errors.map((x) => `${x.path} ${x.message}`).join('; ')}`, { errors });
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new Problem(400, `The request body is not valid JSON: ${e.message}`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem(413, `The request body is larger than the limit of ${kernel.config.bodyLimit} bytes (VIGIL_BODY_LIMIT)`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem(415, `This endpoint does not accept the content type ${e.message.split(': ').pop() ?? ''}: send application/json`);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new Problem(400, 'The Content-Length header does not match the body');
  }
  if (e instanceof SyntaxError) return new Problem(400, `The request body is not valid JSON: ${e.message}`);
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return new Problem(e.statusCode, e.message);
  return new Problem(500, 'Something went wrong on the server; it has been logged. Try again, and tell the operators if it persists');
}

function describeValidation(v: { keyword: string; message?: string; params: Record<string, unknown> }): string {
  if (v.keyword === 'additionalProperties') return `has an unknown field "${String(v.params.additionalProperty)}"`;
  if (v.keyword === 'required') return `is missing the required field "${String(v.params.missingProperty)}"`;
  if (v.keyword === 'enum') return `must be one of ${JSON.stringify(v.params.allowedValues)}`;
  if (v.keyword === 'const') return `must be ${JSON.stringify(v.params.allowedValue)}`;
  return v.message ?? v.keyword;
}
