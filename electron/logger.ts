/**
 * The app's one logger (the only place that writes diagnostics to the console). Debug lines,
 * including slow worker calls, appear when LOGSIEVE_DEBUG is set.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLogger(
  name: string,
  debug = process.env.LOGSIEVE_DEBUG !== undefined,
): Logger {
  const write = (level: string, message: string): void => {
    process.stderr.write(`[${new Date().toISOString()}] ${level} ${name}: ${message}\n`);
  };
  return {
    debug: (m) => {
      if (debug) write('debug', m);
    },
    info: (m) => {
      if (debug) write('info', m);
    },
    warn: (m) => {
      write('warn', m);
    },
    error: (m) => {
      write('error', m);
    },
  };
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
