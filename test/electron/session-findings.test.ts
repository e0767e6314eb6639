/**
 * Findings through the Session (the API the window calls), over real workers: each finding of a
 * file lists the findings of the other open files that line up with it; a link names the file by
 * its id and the finding by its position in that file's own findings; closing the other file
 * takes the link away.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSession, openLoaded, tempDir, writeTemp } from '../helpers/session';
import { BALANCER, linkedGatewayLogs } from '../helpers/linked-logs';

let dir: string;
let eventsPath: string;
let accessPath: string;
beforeAll(() => {
  dir = tempDir();
  const logs = linkedGatewayLogs(2);
  eventsPath = writeTemp(dir, 'gateway-events.csv', logs.eventLog);
  accessPath = writeTemp(dir, 'access.log', logs.accessLog);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('Session.findings across open files', () => {
  it('links the two files’ findings of one balancer, and drops the link when a file closes', async () => {
    const session = createTestSession();
    try {
      const events = await openLoaded(session, eventsPath);
      const access = await openLoaded(session, accessPath);

      const eventFindings = await session.findings(events.id);
      const accessFindings = await session.findings(access.id);
      const gateway = eventFindings.filter((f) => f.links.length > 0);
      expect(gateway.map((f) => f.match)).toEqual([{ source: 'Secure Gateway' }]);
      const [link] = gateway[0]!.links;
      expect(gateway[0]!.links).toHaveLength(1);
      expect(link).toMatchObject({
        fileId: access.id,
        file: accessPath,
        name: 'access.log',
        why: 'same-rhythm',
      });
      const target = accessFindings[link!.index]!;
      expect(target).toMatchObject({ kind: 'periodic', match: { srcIp: BALANCER } });
      expect(target.links.map((l) => [l.fileId, l.index])).toEqual([
        [events.id, eventFindings.indexOf(gateway[0]!)],
      ]);
      expect(accessFindings.filter((f) => f.links.length > 0)).toEqual([target]);

      await session.closeFile(access.id);
      expect((await session.findings(events.id)).flatMap((f) => f.links)).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
