import { ImrError } from '../errors.js';

/** The build was stopped through `options.signal`. */
export class BuildStopped extends ImrError {
  constructor() {
    super('BuildStopped', 'The build was stopped before it finished; nothing it had not finished was recorded', { hint: 'Run it again: it picks up where it stopped.' });
  }
}
