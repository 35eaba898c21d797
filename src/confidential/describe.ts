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
  const party = kind.replace(/ (name|address)$/, '');
  const part = kind.endsWith('address') ? 'address' : 'name';
  let what: string;
  if (kind === 'claim number') what = 'the claim number';
  else if (form === 'full' || form === 'address line') what = `the ${party}'s ${part}`;
  else if (form === 'surname' || form === 'given name and surname') what = `the ${party}'s ${form}`;
  else what = `the ${party}'s ${part} (${form})`;
  return key ? `${what} (\`${key}\`)` : what;
}
