/**
 * The trust boundary between the UI and the Session, shared by Electron IPC and the bridge: every
 * argument is checked before the Session sees it, and every outcome comes back as a Result (errors
 * the user caused keep their code and hint; bugs are logged and reported as `internal`).
 */
import type { AppApi, RendererMethods, ViewQuery } from '../shared/api';
import { APP_METHODS, MAX_COPY_TEXT, RENDERER_METHODS } from '../shared/api';
import { isFormatId } from '../shared/formats/types';
import type { FormatOptions } from '../shared/formats/types';
import type { FileId, RecordIndex } from '../shared/ids';
import type { Result, UserError } from '../shared/result';
import { err, ok, userError } from '../shared/result';
import { RECENT_LISTS } from '../shared/settings/recent';
import type { RecentListId } from '../shared/settings/recent';
import { checkSettingsChange, isStorablePath } from '../shared/settings/settings';
import { isKnownTimeZone } from '../shared/time/zone';
import type { Logger } from './logger';
import type { Session } from './session/session';
import { SessionError } from './session/session';

class BadArgument extends Error {}

function fail(what: string): never {
  throw new BadArgument(what);
}

function count(args: readonly unknown[], n: number, method: string): void {
  if (args.length !== n) fail(`${method} takes ${n} argument(s), got ${args.length}`);
}

function integer(value: unknown, what: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    fail(`${what} must be a whole number ≥ ${min}`);
  return value;
}

function fileId(value: unknown): FileId {
  return integer(value, 'fileId', 1) as FileId;
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(`${what} must be an object`);
  return value as Record<string, unknown>;
}

function viewQuery(value: unknown): ViewQuery {
  const q = object(value, 'query');
  const order = q.order;
  if (order !== 'file' && order !== 'time') fail('query.order must be "file" or "time"');
  if (typeof q.descending !== 'boolean') fail('query.descending must be true or false');
  return { fileId: fileId(q.fileId), order: order, descending: q.descending };
}

function formatOptions(value: unknown): FormatOptions {
  const o = object(value, 'options');
  for (const key of Object.keys(o)) if (key !== 'timeZone') fail(`options.${key} is not an option`);
  if (o.timeZone === undefined) return {};
  if (typeof o.timeZone !== 'string' || !isKnownTimeZone(o.timeZone))
    fail('options.timeZone must be an IANA time zone');
  return { timeZone: o.timeZone };
}

type Call = (session: Session, args: readonly unknown[]) => Promise<unknown>;

/** One checked call per renderer method; the compiler insists every method has one. */
const CALLS: { readonly [K in keyof RendererMethods]: Call } = {
  listFiles: (s, a) => (count(a, 0, 'listFiles'), s.listFiles()),
  listFormats: (s, a) => (count(a, 0, 'listFormats'), s.listFormats()),
  closeFile: (s, a) => (count(a, 1, 'closeFile'), s.closeFile(fileId(a[0]))),
  cancelLoad: (s, a) => (count(a, 1, 'cancelLoad'), s.cancelLoad(fileId(a[0]))),
  setFormat: (s, a) => {
    if (a.length < 2 || a.length > 3) fail('setFormat takes 2 or 3 arguments');
    const format = a[1];
    if (format !== null && !(typeof format === 'string' && isFormatId(format)))
      fail('format must be a format id or null');
    return s.setFormat(fileId(a[0]), format, a[2] === undefined ? undefined : formatOptions(a[2]));
  },
  rows: (s, a) => {
    count(a, 3, 'rows');
    const start = integer(a[1], 'start');
    const end = integer(a[2], 'end');
    if (end < start) fail('end must not be before start');
    return s.rows(viewQuery(a[0]), start, end);
  },
  record: (s, a) => (
    count(a, 2, 'record'),
    s.record(fileId(a[0]), integer(a[1], 'record') as RecordIndex)
  ),
  locateLine: (s, a) => (
    count(a, 2, 'locateLine'),
    s.locateLine(viewQuery(a[0]), integer(a[1], 'line', 1))
  ),
  // The Session checks views, group and timeline requests itself (the CLI calls it directly too).
  setView: (s, a) => (count(a, 1, 'setView'), s.setView(object(a[0], 'view') as never)),
  viewSummary: (s, a) => (count(a, 0, 'viewSummary'), s.viewSummary()),
  groups: (s, a) => (count(a, 1, 'groups'), s.groups(object(a[0], 'request') as never)),
  timeline: (s, a) => (count(a, 1, 'timeline'), s.timeline(object(a[0], 'request'))),
  find: (s, a) => {
    count(a, 1, 'find');
    const r = object(a[0], 'request');
    return s.find({
      fileId: fileId(r.fileId),
      pattern: typeof r.pattern === 'string' ? r.pattern : fail('pattern must be a string'),
      regex: r.regex === true,
      caseSensitive: r.caseSensitive === true,
    });
  },
  cancelFind: (s, a) => (count(a, 1, 'cancelFind'), s.cancelFind(fileId(a[0]))),
  findNext: (s, a) => (
    count(a, 3, 'findNext'),
    s.findNext(viewQuery(a[0]), integer(a[1], 'from', -1), a[2] === true)
  ),
  rowOfRecord: (s, a) => (
    count(a, 2, 'rowOfRecord'),
    s.rowOfRecord(viewQuery(a[0]), integer(a[1], 'record') as RecordIndex)
  ),
  rowAtTime: (s, a) => {
    count(a, 2, 'rowAtTime');
    if (typeof a[1] !== 'number' || !Number.isFinite(a[1])) fail('time must be a number');
    return s.rowAtTime(viewQuery(a[0]), a[1]);
  },
};

type AppCall = (app: AppApi, args: readonly unknown[]) => Promise<unknown>;

/** The same for the app's own methods (settings, recent files). */
const APP_CALLS: { readonly [K in keyof AppApi]: AppCall } = {
  getSettings: (app, a) => (count(a, 0, 'getSettings'), app.getSettings()),
  changeSettings: (app, a) => {
    count(a, 1, 'changeSettings');
    const checked = checkSettingsChange(a[0]);
    if ('reason' in checked) fail(checked.reason);
    return app.changeSettings(checked.change);
  },
  openRecentFile: (app, a) => {
    count(a, 1, 'openRecentFile');
    if (!isStorablePath(a[0])) fail('path must be a non-empty string');
    return app.openRecentFile(a[0]);
  },
  clearRecent: (app, a) => {
    count(a, 1, 'clearRecent');
    const list = a[0];
    if (!(RECENT_LISTS as readonly unknown[]).includes(list))
      fail(`list must be one of ${RECENT_LISTS.join(', ')}`);
    return app.clearRecent(list as RecentListId);
  },
  appInfo: (app, a) => (count(a, 0, 'appInfo'), app.appInfo()),
};

export function isAppMethod(name: string): name is keyof AppApi {
  return (APP_METHODS as readonly string[]).includes(name);
}

/** Calls an app method after checking its arguments. Never throws. */
export async function dispatchApp(
  app: AppApi,
  method: string,
  args: unknown,
  logger: Logger,
): Promise<Result<unknown>> {
  if (!isAppMethod(method))
    return err(userError('api.unknown-method', `There is no method "${method}".`));
  if (!Array.isArray(args))
    return err(userError('api.bad-argument', `${method}: arguments must be a list.`));
  try {
    return ok(await APP_CALLS[method](app, args));
  } catch (error) {
    return err(toUserError(error, method, logger));
  }
}

/** Text the window asks to put on the clipboard. */
export function checkedCopyText(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_COPY_TEXT)
    fail(`text must be a string of at most ${MAX_COPY_TEXT} characters`);
  return value;
}

export function isRendererMethod(name: string): name is keyof RendererMethods {
  return (RENDERER_METHODS as readonly string[]).includes(name);
}

export function toUserError(error: unknown, method: string, logger: Logger): UserError {
  if (error instanceof SessionError) return error.userError;
  if (error instanceof BadArgument)
    return userError('api.bad-argument', `${method}: ${error.message}.`);
  logger.error(`${method} failed: ${(error as Error).stack ?? String(error)}`);
  return userError('internal', `${method} failed unexpectedly: ${(error as Error).message}`, {
    hint: 'This is a bug in LogSieve; the details are in the log.',
  });
}

/** Calls a renderer method on the Session after checking its arguments. Never throws. */
export async function dispatch(
  session: Session,
  method: string,
  args: unknown,
  logger: Logger,
): Promise<Result<unknown>> {
  if (!isRendererMethod(method))
    return err(userError('api.unknown-method', `There is no method "${method}".`));
  if (!Array.isArray(args))
    return err(userError('api.bad-argument', `${method}: arguments must be a list.`));
  try {
    return ok(await CALLS[method](session, args));
  } catch (error) {
    return err(toUserError(error, method, logger));
  }
}

/** Paths the desktop app got from the user (dialog, drop, command line): strings, absolute, no NUL. */
export function checkedPaths(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 1000)
    fail('paths must be a non-empty list');
  return value.map((p) => {
    if (typeof p !== 'string' || p.length === 0 || p.length > 4096 || p.includes('\0'))
      fail('each path must be a non-empty string');
    return p;
  });
}

export { BadArgument };
