import type { MediaTypeObject, OpenAPIObject, OperationObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import AjvModule, { type AnySchema } from 'ajv';
import addFormatsModule from 'ajv-formats';

// CommonJS packages: under NodeNext the default import is module.exports, whose `default` is the export.
const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;

const DOCUMENT_ID = 'rythm-openapi';
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/** An answer as the contract reads it: the raw bytes, and the body parsed when it is JSON. */
export interface Answer {
  status: number;
  contentType: string;
  raw: Buffer;
  body: unknown;
}

/**
 * An OpenAPI 3.0 schema as JSON Schema for ajv: `nullable` becomes a null branch (so it also holds
 * beside `allOf`, as Nest writes a nullable reference), references point into the components
 * registered under DOCUMENT_ID, `example` (not a JSON Schema keyword) goes. With `close`, an object
 * schema that lists its properties rejects any other: a field the API sends but the document does
 * not name fails the contract.
 */
export function toJsonSchema(schema: unknown, close: boolean): AnySchema {
  if (typeof schema !== 'object' || schema === null) return schema as AnySchema;
  const { nullable, ...rest } = schema as SchemaObject & { nullable?: boolean };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === 'example') continue;
    if (key === '$ref') out.$ref = String(value).replace('#/components/schemas/', `${DOCUMENT_ID}#/definitions/`);
    else if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value as object).map(([name, s]) => [name, toJsonSchema(s, close)]));
    else if (key === 'items' || key === 'additionalProperties' || key === 'not') out[key] = toJsonSchema(value, close);
    else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') out[key] = (value as unknown[]).map((s) => toJsonSchema(s, close));
    else out[key] = value;
  }
  if (close && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return nullable === true ? { anyOf: [{ type: 'null' }, out] } : out;
}

/** The OpenAPI document as a contract: which operations it has, and whether an answer keeps it. */
export class OpenApiContract {
  private readonly ajv = new Ajv({ allErrors: true, strict: true });
  /** `GET /api/jobs 200`: every answer that was checked against the document. */
  readonly checked = new Set<string>();

  constructor(readonly document: OpenAPIObject) {
    addFormats(this.ajv);
    // A file's bytes: nothing to check inside a string that the document calls binary.
    this.ajv.addFormat('binary', true);
    const schemas = document.components?.schemas ?? {};
    this.ajv.addSchema({ $id: DOCUMENT_ID, definitions: Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, toJsonSchema(s, true)])) });
  }

  /** `METHOD /path/{param}` of every operation of the document. */
  operations(): string[] {
    return Object.entries(this.document.paths).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => `${method.toUpperCase()} ${path}`),
    );
  }

  operation(key: string): OperationObject {
    const [method, path] = key.split(' ');
    const operation = this.document.paths[path]?.[method.toLowerCase() as (typeof METHODS)[number]];
    if (!operation) throw new Error(`the document has no operation ${key}`);
    return operation;
  }

  /** Schema errors of `value` against an OpenAPI schema of the document (null: it holds). */
  errorsOf(schema: unknown, value: unknown): string[] | null {
    const validate = this.ajv.compile(toJsonSchema(schema, false));
    if (validate(value)) return null;
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }

  /**
   * The body against its media type: each event's data for an event stream, the bytes of a file
   * the document calls binary, the text for a string schema, else the JSON the body must be.
   */
  private bodyProblems(key: string, answer: Answer, media: MediaTypeObject & { 'x-event-data'?: unknown }): string[] {
    const schema = media.schema as SchemaObject;
    const text = answer.raw.toString('utf8');
    if (answer.contentType === 'text/event-stream') {
      const events = eventData(text);
      if (events.length === 0) return [`${key} sent no event`];
      if (!media['x-event-data']) return [`${key} documents no x-event-data schema`];
      return events.flatMap((event) => this.errorsOf(media['x-event-data'], event) ?? []);
    }
    if (schema.format === 'binary') return answer.raw.length > 0 ? [] : [`${key} sent an empty file`];
    if (schema.type === 'string') return this.errorsOf(schema, text) ?? [];
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [`${key} ${answer.status} sent ${answer.contentType} that is not JSON: ${text.slice(0, 80)}`];
    }
    return this.errorsOf(schema, body) ?? [];
  }

  /**
   * Checks one real answer of `operation` to a request for `url`: the url fits the path and uses
   * only documented query parameters, the status is documented, and the body keeps the schema of
   * its media type (each event's data for an event stream). Returns the problems, none when it holds.
   */
  problemsOf(key: string, url: string, answer: Answer): string[] {
    const operation = this.operation(key);
    const [method, path] = key.split(' ');
    const problems: string[] = [];
    const where = new URL(url, 'http://contract.invalid');
    const template = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (!template.test(where.pathname)) problems.push(`${method} ${where.pathname} is not ${key}`);
    const documented = new Set((operation.parameters ?? []).flatMap((p) => ('in' in p && p.in === 'query' ? [p.name] : [])));
    const viaQuery = (operation.security ?? []).some((s) => 'access_token' in s);
    for (const name of where.searchParams.keys()) {
      if (!documented.has(name) && !(viaQuery && name === 'access_token')) problems.push(`query parameter ${name} is not documented on ${key}`);
    }
    const response = operation.responses[String(answer.status)] as ResponseObject | undefined;
    if (!response) return [...problems, `${key} answered ${answer.status}, which the document does not list`];
    if (answer.status === 204) {
      if (response.content) problems.push(`${key} 204 documents a body`);
      if (answer.raw.length > 0) problems.push(`${key} 204 sent a body`);
    } else {
      const media = response.content?.[answer.contentType];
      if (!media?.schema) {
        problems.push(
          `${key} ${answer.status} answered ${answer.contentType}; the document lists ${Object.keys(response.content ?? {}).join(', ') || 'no body'}`,
        );
      } else {
        problems.push(...this.bodyProblems(key, answer, media));
      }
    }
    if (problems.length === 0) this.checked.add(`${key} ${answer.status}`);
    return problems;
  }
}

/** The JSON `data` of every event of a text/event-stream. */
export function eventData(stream: string): unknown[] {
  return stream
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => JSON.parse(line.slice(5).trim()) as unknown);
}
