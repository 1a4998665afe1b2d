import { defineHandler } from '../http/define-handler.js';
import { buildOpenApiDocument } from '../http/openapi.js';
import { ROUTES } from '../routes.js';

const document = buildOpenApiDocument(ROUTES);

export const handler = defineHandler('openapi', async () => ({ body: document }));
