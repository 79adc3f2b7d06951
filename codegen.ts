import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Types the operations that tests (and later the benchmark and example
 * clients) send, from the committed schema.graphql: `npm run codegen`.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['tests/operations/**/*.graphql'],
  generates: {
    'tests/generated/': {
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
  },
};

export default config;
