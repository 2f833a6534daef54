import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The tags of the document, in the order the Swagger UI shows them. */
const TAGS: [name: string, description: string][] = [
  ['auth', 'Sign in and the current user'],
  ['tenants', 'The tenants an admin may export'],
  ['exports', 'Export jobs and their files'],
  ['imports', 'Import jobs: upload, dry run, report, apply'],
  ['jobs', 'Every background job: list, status, progress stream, cancel'],
  ['backups', 'Backups, the backup schedule and restores'],
  ['audit', 'The hash-chained audit log'],
  ['health', 'Liveness and database readiness'],
];

/**
 * The OpenAPI document of the app, built from its controllers' decorators. Served at
 * /api/docs(-json) and written by scripts/openapi-document.ts for the linter: both call this.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('RYTHM Data API')
    .setDescription(
      'Export, import, back up and restore the data of the RYTHM platform. Every error answers with the `ApiErrorBody` shape: a stable `code`, a `message` for people and, for bad input, the `fields` at fault.',
    )
    .setVersion('1')
    // The paths carry the /api prefix: the server is wherever the document was fetched from.
    .addServer('/', 'This server')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The accessToken of POST /api/auth/login' })
    // EventSource cannot send headers: the event stream alone also takes the token in the query (auth/jwt.strategy.ts).
    .addApiKey({ type: 'apiKey', in: 'query', name: 'access_token', description: 'The accessToken, for GET /api/jobs/{id}/events only' }, 'access_token');
  for (const [name, description] of TAGS) builder.addTag(name, description);
  return SwaggerModule.createDocument(app, builder.build());
}

export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app));
}
