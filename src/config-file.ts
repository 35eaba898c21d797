/** The configuration file's default name (its own module, so the no-op build can name it without loading YAML). */
export const CONFIG_FILE = 'imr-letters.config.yaml';
