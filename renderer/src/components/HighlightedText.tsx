/** Text with the last search's matches marked: separate text spans, never HTML from the log. */
import { useMemo } from 'react';
import { highlightPattern, splitMatches } from '../explore/highlight';
import { useExplore } from '../store/context';

export function HighlightedText({ text }: { text: string }) {
  const highlight = useExplore((s) => s.highlight);
  const pattern = useMemo(
    () => (highlight === null ? null : highlightPattern(highlight)),
    [highlight],
  );
  if (pattern === null) return <>{text}</>;
  return (
    <>
      {splitMatches(text, pattern).map((part, i) =>
        part.match ? (
          <mark key={i} className="find-match">
            {part.text}
          </mark>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </>
  );
}
