/**
 * The archive's view of the confidential values: the shared matcher of
 * `src/confidential/` (the same one `check` and `build` use).
 */
export { collectWords, confidentialValues, createMatcher, formsOf, matcherKey, maskValue, type ConfidentialValue, type Matcher, type ValueKind } from '../confidential/index.js';
