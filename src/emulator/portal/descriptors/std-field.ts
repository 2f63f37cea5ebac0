/** One standard field: [name, type, title, flags, extra]. Flags: R required, r read-only, i immutable, m multiple, d deprecated. */
export type StdField = [string, string, string, string, Record<string, unknown>?];

/** A `*.fields` descriptor in the shape of the official examples. */
export interface FieldDescriptor {
  type: string;
  isRequired: boolean;
  isReadOnly: boolean;
  isImmutable: boolean;
  isMultiple: boolean;
  isDynamic: boolean;
  title: string;
  [extra: string]: unknown;
}

export function stdDescriptor([, type, title, flags, extra]: StdField): FieldDescriptor {
  const d: FieldDescriptor = {
    type,
    isRequired: flags.includes('R'),
    isReadOnly: flags.includes('r'),
    isImmutable: flags.includes('i'),
    isMultiple: flags.includes('m'),
    isDynamic: false,
    title,
  };
  if (flags.includes('d')) d.isDeprecated = true;
  return extra ? { ...d, ...extra } : d;
}

export function isMultiple(f: StdField): boolean {
  return f[3].includes('m');
}
