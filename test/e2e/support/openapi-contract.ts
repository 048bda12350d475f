import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { openApiDocument } from '../../../shared/platform/http/openapi.ts';

/**
 * The API's contract checked on every answer an end-to-end or reliability test receives: the OpenAPI
 * document (the very generator behind GET /openapi.json) is read by Ajv, a JSON Schema validator of its
 * own, which knows nothing of zod. An answer whose status the document does not list for its route, a
 * listed header missing or malformed, or a body its schema does not accept, is a contract violation.
 */

interface HeaderObject {
  required?: boolean;
  schema: object;
}
interface ResponseObject {
  headers?: Record<string, { $ref: string }>;
  content?: Record<string, { schema: object }>;
}
interface Operation {
  responses: Record<string, ResponseObject>;
}

const document = JSON.parse(JSON.stringify(openApiDocument())) as {
  paths: Record<string, Record<string, Operation>>;
  components: { headers: Record<string, HeaderObject> };
};

// OpenAPI 3.1 schemas are JSON Schema 2020-12; `example` and other annotations are not keywords.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
// ajv-formats is CommonJS: under ESM its plugin is the module's `default`.
ajvFormats.default(ajv);
ajv.addSchema(document, 'openapi.json');

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
const validators = new Map<string, ValidateFunction>();
/** A validator of the schema at a JSON pointer of the document, compiled once. */
const validatorAt = (path: string): ValidateFunction => {
  let validate = validators.get(path);
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi.json#/${path}` });
    validators.set(path, validate);
  }
  return validate;
};

const templates = Object.keys(document.paths)
  // Literal paths first: /reports/progress is not /reports/{id}.
  .sort((a, b) => Number(a.includes('{')) - Number(b.includes('{')))
  .map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`),
  }));

export interface ContractAnswer {
  status: number;
  headers: Headers;
  /** The body as received. */
  text: string;
}

const describe = (errors: ValidateFunction['errors']) =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('; ');

/** What in an answer the document does not allow; empty when it matches. */
export const contractViolations = (method: string, url: string, answer: ContractAnswer): string[] => {
  const path = new URL(url, 'http://localhost').pathname;
  const matching = templates.filter((t) => t.pattern.test(path));
  const found = matching.find((t) => document.paths[t.template]?.[method.toLowerCase()]);
  if (!found) {
    // Not an operation: the gateway's own 404 (no route) or 405 (another method), an invalid_path,
    // or a file of the dashboard.
    if (method === 'GET' && answer.status === 200 && matching.length === 0) return [];
    const expected = matching.length > 0 ? [405, 400] : [404, 400];
    const problems = expected.includes(answer.status)
      ? []
      : [`${method} ${path} is no operation of the document, yet answered ${answer.status}`];
    return [...problems, ...bodyViolations('components/schemas/Error', answer, `${method} ${path}`)];
  }
  const operation = pointer('paths', found.template, method.toLowerCase());
  const where = `${method} ${found.template} ${answer.status}`;
  const response = document.paths[found.template]?.[method.toLowerCase()]?.responses[String(answer.status)];
  if (!response) return [`${where}: the document lists no ${answer.status} for this route`];
  const problems: string[] = [];
  for (const [name, ref] of Object.entries(response.headers ?? {})) {
    const headerName = ref.$ref.split('/').pop() ?? name;
    const header = document.components.headers[headerName];
    const value = answer.headers.get(name);
    if (value === null) {
      if (header?.required) problems.push(`${where}: header ${name} is missing`);
      continue;
    }
    const validate = validatorAt(pointer('components', 'headers', headerName, 'schema'));
    if (!validate(value)) problems.push(`${where}: header ${name}: ${value} ${describe(validate.errors)}`);
  }
  const type = (answer.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!response.content) {
    if (answer.text !== '') problems.push(`${where}: the document lists no body, yet one came (${type})`);
    return problems;
  }
  if (!response.content[type]) {
    return [...problems, `${where}: content type "${type}" is not among ${Object.keys(response.content)}`];
  }
  if (type !== 'application/json') return problems;
  const schema = pointer('responses', String(answer.status), 'content', 'application/json', 'schema');
  return [...problems, ...bodyViolations(`${operation}/${schema}`, answer, where)];
};

const bodyViolations = (schemaPath: string, answer: ContractAnswer, where: string): string[] => {
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return [`${where}: the body is not JSON: ${answer.text.slice(0, 200)}`];
  }
  const validate = validatorAt(schemaPath);
  return validate(body) ? [] : [`${where}: the body does not match its schema: ${describe(validate.errors)}`];
};

/** Throws when an answer breaks the contract, naming every violation and the body received. */
export const assertContract = (method: string, url: string, answer: ContractAnswer): void => {
  const problems = contractViolations(method, url, answer);
  if (problems.length > 0) {
    throw new Error(
      `The answer breaks the API contract (/openapi.json):\n- ${problems.join('\n- ')}\nbody: ${answer.text.slice(0, 1000)}`,
    );
  }
};
