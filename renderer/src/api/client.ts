/**
 * The renderer's view of the API: the transported methods of `window.logsieve` (which resolve to
 * Results) turned back into plain async functions that throw {@link ApiError} carrying the
 * UserError, so components read naturally and still show the code and hint.
 */
import type {
  AppApi,
  AppEvent,
  FileSummary,
  HostMethods,
  LogSieveApi,
  PickedFile,
  RendererMethods,
  SessionEvent,
} from '../../../shared/api';
import { APP_METHODS, RENDERER_METHODS } from '../../../shared/api';
import type { Result, UserError } from '../../../shared/result';

export class ApiError extends Error {
  constructor(readonly userError: UserError) {
    super(userError.message);
    this.name = 'ApiError';
  }
}

export type Client = RendererMethods &
  AppApi &
  HostMethods & {
    readonly host: LogSieveApi['host'];
    onEvent(listener: (event: SessionEvent) => void): () => void;
    onAppEvent(listener: (event: AppEvent) => void): () => void;
  };

function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new ApiError(result.error);
}

export function createClient(api: LogSieveApi): Client {
  const call =
    <A extends unknown[], R>(method: (...args: A) => Promise<Result<R>>) =>
    async (...args: A): Promise<R> =>
      unwrap(await method(...args));
  const methods = Object.fromEntries(
    [...RENDERER_METHODS, ...APP_METHODS].map((name) => [
      name,
      call(api[name] as (...args: unknown[]) => Promise<Result<unknown>>),
    ]),
  ) as unknown as RendererMethods & AppApi;
  return {
    ...methods,
    host: api.host,
    openPicked: call<[readonly PickedFile[]], readonly FileSummary[]>(api.openPicked),
    showOpenDialog: call(api.showOpenDialog),
    copyText: call(api.copyText),
    saveText: call(api.saveText),
    openText: call(api.openText),
    onEvent: (listener) => api.onEvent(listener),
    onAppEvent: (listener) => api.onAppEvent(listener),
  };
}

/** A message for any failure: the UserError's when it has one. */
export function describeError(error: unknown): UserError {
  if (error instanceof ApiError) return error.userError;
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
