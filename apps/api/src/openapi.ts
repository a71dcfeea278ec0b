import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI 3 document, generated from the controllers and DTOs. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Recommendation Tracker API')
    .setDescription(
      'Inspection recommendations, the actions that answer them, and their progress to verified completion. ' +
        'Sign in with POST /api/v1/auth/token and send the token as `Authorization: Bearer …`. Lists are ' +
        'keyset-paginated (`limit`, `cursor` → `{items, nextCursor}`). Single resources carry an ETag; PATCH ' +
        'needs it back in If-Match. Errors are RFC 9457 problem details.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/ApiController$/, '')}_${method}`,
  });
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.Problem = {
    type: 'object',
    required: ['type', 'title', 'status', 'detail'],
    properties: {
      type: { type: 'string', description: 'A relative URI naming the kind of problem' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      instance: { type: 'string' },
      rule: { type: 'string', description: 'The business rule that refused the change' },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['field', 'message'],
          properties: { field: { type: 'string' }, message: { type: 'string' } },
        },
      },
    },
  };
  return document;
}

export function mountOpenApi(app: INestApplication): void {
  // Built once at boot: the routes do not change while the process runs.
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/openapi.json',
    yamlDocumentUrl: 'api/openapi.yaml',
    customSiteTitle: 'Recommendation Tracker API',
  });
}
