import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Types the operations that tests (and later the benchmark and example
 * clients) send, from the committed schema.graphql: `npm run codegen`.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  generates: {
    'tests/generated/': {
      documents: ['tests/operations/**/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // NodeNext resolution: generated imports must carry their .js extension.
        emitLegacyCommonJSImports: false,
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTimeISO: 'string', JSONObject: 'Record<string, unknown>' },
      },
    },
    // The batch client (tools/batch/) sends its documents as strings: it needs no graphql runtime.
    'tools/batch/generated/': {
      documents: ['tools/batch/operations/**/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        emitLegacyCommonJSImports: false,
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTimeISO: 'string', JSONObject: 'Record<string, unknown>' },
      },
    },
  },
};

export default config;
