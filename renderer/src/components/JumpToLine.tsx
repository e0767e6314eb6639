/** Ctrl+G: go to a line number. */
import { useState } from 'react';
import type { FileId } from '../../../shared/ids';
import { useViewer } from '../store/context';

export function JumpToLine({ fileId }: { fileId: FileId }) {
  const setJumpOpen = useViewer((s) => s.setJumpOpen);
  const jumpToLine = useViewer((s) => s.jumpToLine);
  const [text, setText] = useState('');
  const line = Number(text.replaceAll(',', '').trim());
  const valid = Number.isInteger(line) && line >= 1;
  return (
    <div className="dialog-backdrop" onMouseDown={() => setJumpOpen(false)}>
      <form
        className="dialog"
        role="dialog"
        aria-label="Go to line"
        onMouseDown={(e) => e.stopPropagation()}
        onSubmit={(e) => {
          e.preventDefault();
          if (!valid) return;
          void jumpToLine(fileId, line).then((found) => {
            if (found) setJumpOpen(false);
          });
        }}
      >
        <label>
          Go to line
          <input
            autoFocus
            inputMode="numeric"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setJumpOpen(false);
            }}
            aria-invalid={text !== '' && !valid}
          />
        </label>
        {text !== '' && !valid && (
          <p className="error-text">A line number is a whole number from 1 up.</p>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={() => setJumpOpen(false)}>
            Cancel
          </button>
          <button type="submit" disabled={!valid}>
            Go
          </button>
        </div>
      </form>
    </div>
  );
}
