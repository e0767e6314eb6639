/**
 * File ▸ Settings (LogSieve ▸ Settings on macOS): theme, the time zone times are shown in, and
 * what the Export dialog starts with. Each change applies and is saved at once.
 */
import { useState } from 'react';
import { pendingReason } from '../../../shared/commands/commands';
import type { ExportTargetId, ThemeChoice } from '../../../shared/settings/settings';
import {
  EXPORT_TARGET_IDS,
  LOCAL_TIME_ZONE,
  LOG_NAME_PATTERN,
  THEME_CHOICES,
} from '../../../shared/settings/settings';
import { isKnownTimeZone } from '../../../shared/time/zone';
import { zoneLabel } from '../display';
import { useSettings, useViewer } from '../store/context';
import { Dialog } from './Dialog';

const THEME_LABELS: Record<ThemeChoice, string> = {
  system: 'Follow the system',
  light: 'Light',
  dark: 'Dark',
};

const TARGET_LABELS: Record<ExportTargetId, string> = {
  httpd: 'Apache httpd.conf (SetEnvIf), also Citrix Secure Gateway',
  httpd24: 'Apache 2.4 (SetEnvIfExpr)',
  cpl: 'Blue Coat ProxySG policy (CPL)',
};

function zoneNames(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

/** A text setting applied when it is valid, with the reason shown while it is not. */
function useChecked(
  initial: string,
  valid: (value: string) => boolean,
  apply: (value: string) => void,
) {
  const [text, setText] = useState(initial);
  const ok = valid(text.trim());
  return {
    text,
    ok,
    onChange: (value: string) => {
      setText(value);
      if (valid(value.trim())) apply(value.trim());
    },
  };
}

export function SettingsDialog() {
  const setDialog = useViewer((s) => s.setDialog);
  const settings = useSettings((s) => s.settings);
  const readOnly = useSettings((s) => s.readOnly);
  const change = useSettings((s) => s.change);
  const zone = useChecked(
    settings.displayTimeZone,
    (z) => z === LOCAL_TIME_ZONE || (z.length > 0 && isKnownTimeZone(z)),
    (z) => void change({ displayTimeZone: z }),
  );
  const logName = useChecked(
    settings.exportLogName,
    (n) => LOG_NAME_PATTERN.test(n),
    (n) => void change({ exportLogName: n }),
  );
  const exportPending = pendingReason('file.export');

  return (
    <Dialog title="Settings" onClose={() => setDialog(null)} testId="settings" wide>
      {readOnly && (
        <p className="banner warning" role="status">
          Changes made now are not saved (see the message about the settings file).
        </p>
      )}
      <fieldset className="setting">
        <legend>Theme</legend>
        {THEME_CHOICES.map((choice) => (
          <label key={choice} className="choice">
            <input
              type="radio"
              name="theme"
              value={choice}
              checked={settings.theme === choice}
              data-autofocus={settings.theme === choice ? '' : undefined}
              onChange={() => void change({ theme: choice })}
            />
            {THEME_LABELS[choice]}
          </label>
        ))}
      </fieldset>

      <div className="setting">
        <label htmlFor="setting-zone">Show times in</label>
        <input
          id="setting-zone"
          list="setting-zones"
          value={zone.text}
          spellCheck={false}
          aria-invalid={!zone.ok}
          aria-describedby="setting-zone-hint"
          onChange={(e) => zone.onChange(e.target.value)}
        />
        <datalist id="setting-zones">
          <option value="UTC" />
          <option value={LOCAL_TIME_ZONE}>This computer ({zoneLabel(LOCAL_TIME_ZONE)})</option>
          {zoneNames().map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <p className={zone.ok ? 'hint' : 'error-text'} id="setting-zone-hint">
          {zone.ok
            ? `UTC, "local" (this computer: ${zoneLabel(LOCAL_TIME_ZONE)}) or a zone such as Europe/Berlin. Logs are read in UTC; this changes only how times are shown.`
            : 'Not a time zone this computer knows. Try UTC, local or Europe/Berlin.'}
        </p>
      </div>

      <fieldset className="setting">
        <legend>Export</legend>
        {exportPending !== null && (
          <p className="hint">Export is not in this version yet; these will be its defaults.</p>
        )}
        <label htmlFor="setting-target">Target</label>
        <select
          id="setting-target"
          value={settings.exportTarget}
          onChange={(e) => {
            const target = EXPORT_TARGET_IDS.find((id) => id === e.target.value);
            if (target !== undefined) void change({ exportTarget: target });
          }}
        >
          {EXPORT_TARGET_IDS.map((id) => (
            <option key={id} value={id}>
              {TARGET_LABELS[id]}
            </option>
          ))}
        </select>
        <label htmlFor="setting-log-name">ProxySG access log name</label>
        <input
          id="setting-log-name"
          value={logName.text}
          spellCheck={false}
          aria-invalid={!logName.ok}
          aria-describedby="setting-log-name-hint"
          onChange={(e) => logName.onChange(e.target.value)}
        />
        <p className={logName.ok ? 'hint' : 'error-text'} id="setting-log-name-hint">
          {logName.ok
            ? 'The access log the CPL export turns off for hidden sources (main on most appliances).'
            : 'Use 1–64 letters, digits, _ or -, starting with a letter.'}
        </p>
      </fieldset>
    </Dialog>
  );
}
