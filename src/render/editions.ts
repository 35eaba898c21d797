/** The editions of a letter: the mailed letter (with its parties) and the public, redacted one. */
export type Edition = 'letter' | 'public';
export const EDITIONS: readonly Edition[] = ['letter', 'public'];
