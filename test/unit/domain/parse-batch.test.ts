import { describe, expect, it } from 'vitest';

import { parseBatchJson, parseBatchNdjson } from '../../../controller/domain/index.js';

async function* lines(...values: string[]): AsyncIterable<string> {
  yield* values;
}

describe('parsing batch documents', () => {
  it('fills the defaults of docs/batch-format.md#the-batch-document', () => {
    const batch = parseBatchJson('{"operations":[{"type":"delete","target":"a"}]}');
    expect(batch).toMatchObject({
      title: 'batch',
      ecosystem: 'default',
      options: { atomic: false, dry_run: false, validation: true, createBackup: true, priority: 0 },
    });
  });

  it('quotes an unknown key that is empty or holds a dot, so the field it names can be read', () => {
    const fields = (text: string): string[] => {
      try {
        parseBatchJson(text);
      } catch (error) {
        return ((error as { data: { issues: { field: string }[] } }).data.issues ?? []).map((issue) => issue.field);
      }
      return [];
    };
    expect(fields('{"": 0, "operations":[{"type":"delete","target":"a"}]}')).toEqual(['""']);
    expect(fields('{"operations":[{"type":"delete","target":"a","a.b":1}]}')).toEqual(['operations.0."a.b"']);
    expect(fields('{"operations":[{"type":"delete","target":"a","colour":1}]}')).toEqual(['operations.0.colour']);
    expect(fields('[]')).toEqual(['(document)']);
  });

  it('names the field of the first problem', () => {
    expect(() => parseBatchJson('{"operations":[{"type":"write","target":"a"}]}')).toThrow(
      /operations\.0\.content: a write needs exactly one of content or content_base64/,
    );
    expect(() => parseBatchJson('{"operations":[{"type":"move","source":"a","target":"b"}],"options":{"priority":12}}')).toThrow(
      /options\.priority/,
    );
  });

  it('names an unknown field by its own path, not the object holding it', () => {
    expect(() => parseBatchJson('{"bogus":1,"operations":[{"type":"delete","target":"a","colour":"red"}]}')).toThrow(
      expect.objectContaining({
        code: 'INPUT_INVALID',
        data: {
          issues: expect.arrayContaining([
            { field: 'bogus', message: 'unknown field' },
            { field: 'operations.0.colour', message: 'unknown field' },
          ]),
        },
      }),
    );
  });

  it('reads NDJSON: header, then operations, blank lines ignored', async () => {
    const batch = await parseBatchNdjson(
      lines('{"title":"t","ecosystem":"npm"}', '', '{"type":"delete","target":"a"}', '{"type":"delete","target":"b"}'),
    );
    expect(batch.title).toBe('t');
    expect(batch.operations).toHaveLength(2);
  });

  it('names the NDJSON line that is wrong', async () => {
    await expect(parseBatchNdjson(lines('{"title":"t"}', '{"type":"delete","target":"a"}', '{"type":"nope"}'))).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      data: { line: 3 },
    });
    await expect(parseBatchNdjson(lines('{"title":"t"}'))).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });
});
