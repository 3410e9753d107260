export { DOC_ROLES, docsPolicy } from './policy.js';
export {
  canSeeDocument,
  GONE,
  listSaved,
  openDocument,
  saveByQuery,
  searchLibrary,
  seesUnits,
  setSaved,
  visibleScope,
  type DocPage,
  type SaveByQuery,
} from './library.js';
export {
  authorScope,
  importLibrary,
  parseAudience,
  planDocument,
  saveDocument,
  type DocDraft,
  type DocSnapshot,
  type DocsImportSummary,
  type Plan,
  type Saved,
  type UnitRef,
} from './write.js';
