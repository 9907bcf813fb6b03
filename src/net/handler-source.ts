import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { invalid } from '../internal/validate.js';
import type { EventHandler } from './handler.js';

/** An event handler object, or a module (path or URL) whose default export is one. */
export type HandlerSource = EventHandler | string | URL;

/** The module's URL, or undefined for a handler object. */
export function handlerUrl(source: HandlerSource): string | undefined {
  if (source instanceof URL) return source.href;
  if (typeof source === 'string' && source.length > 0) {
    return source.startsWith('file:') ? source : pathToFileURL(resolvePath(source)).href;
  }
  if (typeof source === 'object' && source !== null) return undefined;
  throw invalid('ERR_INVALID_OPTION', 'handler', 'an event handler or a module', source);
}

/** The handler object, importing the module if it is one. */
export async function loadHandler(source: HandlerSource): Promise<EventHandler> {
  const url = handlerUrl(source);
  if (url === undefined) return source as EventHandler;
  const module = (await import(url)) as { default?: unknown };
  if (typeof module.default !== 'object' || module.default === null) {
    throw invalid(
      'ERR_INVALID_OPTION',
      'handler',
      'a module whose default export is a handler',
      module.default,
    );
  }
  return module.default as EventHandler;
}
