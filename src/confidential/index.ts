/**
 * Confidential values: the one matcher that `check`, `build` and `archive` use to keep a
 * case's parties out of every public file. See `./matcher.ts` for what it finds.
 */
export { allowedPhrases, confidentialValues, needlesOf, type ConfidentialValue, type ValueKind, type Needle, type Form, type Party } from './values.js';
export { CLAIM_KEY, CLAIM_MARK, collectWords, createMatcher, formsOf, matcherKey, type Matcher, type MatcherOptions, type Hit } from './matcher.js';
export { readText, type Mode, type Token } from './text.js';
export { foldText, foldWord } from './fold.js';
export { describeHit, maskValue } from './describe.js';
export { publicFileLeaks, outputTexts, PUBLIC_LEAK_RULE, type PublicOutput } from './public-files.js';
