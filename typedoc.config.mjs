// TypeDoc: the API reference in docs/api, as Markdown (typedoc-plugin-markdown), from the doc
// comments of every entry that package.json exports. `npm run docs` fails on any warning, so an
// undocumented export, a type that is used but not exported, or a broken {@link} fails CI.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

// "./thread": { "default": "./dist/thread/index.js" } -> src/thread/index.ts: a new entry in
// package.json needs no change here.
const entryPoints = Object.values(pkg.exports)
  .map((target) => (typeof target === 'string' ? target : target.default))
  .filter((file) => file.startsWith('./dist/') && file.endsWith('.js'))
  .map((file) => `src/${file.slice('./dist/'.length, -'.js'.length)}.ts`);

/** @type {Partial<import('typedoc').TypeDocOptions & import('typedoc-plugin-markdown').PluginOptions>} */
export default {
  entryPoints,
  tsconfig: 'tsconfig.build.json',
  out: 'docs/api',
  plugin: ['typedoc-plugin-markdown'],
  readme: 'none',
  // No "Defined in src/x.ts:42" lines: they would change with every edit of the source, and the
  // committed reference is meant to change only when the API or its documentation does.
  disableSources: true,
  excludePrivate: true,
  excludeProtected: true,
  excludeInternal: true,
  excludeExternals: true,
  treatWarningsAsErrors: true,
  treatValidationWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, invalidPath: true, notDocumented: true },
  sort: ['kind', 'source-order'],
  sortEntryPoints: false, // package.json's order: antpool, then its subpaths
  hidePageHeader: true,
  hideBreadcrumbs: false,
  useCodeBlocks: true,
  parametersFormat: 'table',
  interfacePropertiesFormat: 'table',
  classPropertiesFormat: 'table',
  enumMembersFormat: 'table',
  typeDeclarationFormat: 'table',
};
