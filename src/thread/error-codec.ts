/**
 * A task's error, made cloneable: structured clone keeps an Error's message but drops a custom
 * `name` and own properties such as `code`, which callers branch on.
 */
export type SerializedError =
  | {
      kind: 'error';
      name: string;
      message: string;
      stack: string | undefined;
      props: Record<string, unknown>;
    }
  | { kind: 'value'; value: unknown };

export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { kind: 'value', value: cloneable(err) ? err : String(err) };
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(err)) {
    const value = (err as unknown as Record<string, unknown>)[key];
    if (cloneable(value)) props[key] = value;
  }
  return { kind: 'error', name: err.name, message: err.message, stack: err.stack, props };
}

export function deserializeError(data: SerializedError): unknown {
  if (data.kind === 'value') return data.value;
  const err = new Error(data.message);
  Object.defineProperty(err, 'name', { value: data.name, writable: true, configurable: true });
  err.stack = data.stack;
  return Object.assign(err, data.props);
}

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}
