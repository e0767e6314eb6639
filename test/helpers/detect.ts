/** Test helper: the detection sample the pipeline builds from a file's first bytes. */
import type { DetectSample } from '../../shared/formats/types';
import { decodeText, detectEncoding, splitLines } from '../../shared/text/encoding';

/** Up to 64 KiB, encoding by BOM or pattern, at most 200 decoded lines (BOM removed). */
export function detectSampleOf(bytes: Uint8Array, fileName = 'sample.log'): DetectSample {
  const head = bytes.subarray(0, 65536);
  const { encoding, bomLength } = detectEncoding(head);
  const lines =
    encoding === null ? [] : splitLines(decodeText(head.subarray(bomLength), encoding), 200);
  return { fileName, bytes: head, encoding, lines };
}
