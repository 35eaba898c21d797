/** The live preview's default port (its own module: the command line names it without loading the preview). */
export const DEFAULT_PREVIEW_PORT = 4173;
