/** Words about a hit for messages: what kind of value, of which party, in which form; never the value. */
import type { Hit } from './matcher.js';

/** A value as it may be printed in a report: its first characters and its length, never all of it. */
export function maskValue(value: string): string {
  const shown = value.length <= 8 ? value.slice(0, 2) : value.slice(0, 4);
  return `${shown}… (${value.length} characters)`;
}

/** "the injured worker's surname (`parties.injuredWorker.name`)". */
export function describeHit(hit: Hit): string {
  const { kind, key } = hit.value;
  const form = hit.needle.form;
  const what =
    kind === 'claim number'
      ? 'the claim number'
      : form === 'full' || form === 'address line'
        ? `the ${kind}`
        : `the ${kind.replace(/ name$/, '')}'s ${form === 'surname' ? 'surname' : form === 'given name and surname' ? 'given name and surname' : `${kind.endsWith('name') ? 'name' : kind} (${form})`}`;
  return key ? `${what} (\`${key}\`)` : what;
}
