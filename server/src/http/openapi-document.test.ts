import { describe, expect, it } from 'vitest';
import { withoutFormatPatterns, withSharedProblem } from './openapi-document.js';

describe('the OpenAPI document as served', () => {
  it('leaves out patterns that only restate a uuid or date-time format, and keeps every other pattern', () => {
    const doc = {
      paths: {
        '/x/{id}': {
          get: {
            parameters: [{ name: 'id', schema: { type: 'string', format: 'uuid', pattern: '^[0-9a-f-]{36}$' } }],
            responses: {
              200: {
                content: {
                  'application/json': {
                    schema: {
                      properties: {
                        at: { type: 'string', format: 'date-time', pattern: '^\\d{4}-' },
                        number: { type: 'string', pattern: '^INC\\d+$' },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    };
    const served = withoutFormatPatterns(doc);
    const get = served.paths['/x/{id}'].get;
    expect(get.parameters[0].schema).toEqual({ type: 'string', format: 'uuid' });
    const props = get.responses[200].content['application/json'].schema.properties;
    expect(props.at).toEqual({ type: 'string', format: 'date-time' });
    expect(props.number).toEqual({ type: 'string', pattern: '^INC\\d+$' });
    expect(doc.paths['/x/{id}'].get.parameters[0].schema.pattern).toBe('^[0-9a-f-]{36}$'); // the input is untouched
  });
});

describe('the shared problem answer', () => {
  it('serves the problem+json shape once and refers to it from every error answer; other answers stay', () => {
    const problem = { type: 'object', required: ['type', 'title', 'status', 'detail'], properties: {} };
    const json = (schema: unknown) => ({ description: 'x', content: { 'application/json': { schema } } });
    const doc = {
      paths: {
        '/a': {
          get: { responses: { 200: json({ type: 'string' }), 404: json(problem), 503: json({ type: 'object', required: ['status'] }) } },
        },
        '/b': { post: { responses: { 201: json({ type: 'number' }), 422: json(problem) } } },
      },
    };
    const served = withSharedProblem(doc) as unknown as typeof doc & { components: { schemas: { Problem: unknown } } };
    expect(served.components.schemas.Problem).toEqual(problem);
    const ref = { $ref: '#/components/schemas/Problem' };
    expect(served.paths['/a'].get.responses[404].content['application/json'].schema).toEqual(ref);
    expect(served.paths['/b'].post.responses[422].content['application/json'].schema).toEqual(ref);
    expect(served.paths['/a'].get.responses[503].content['application/json'].schema).toEqual({ type: 'object', required: ['status'] });
    expect(served.paths['/a'].get.responses[200].content['application/json'].schema).toEqual({ type: 'string' });
  });
});
