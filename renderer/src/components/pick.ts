/**
 * Turns a drop or a file input into the files to open. In the desktop app a dropped folder is
 * handed over as is (the main process lists it); in a browser the folder's files are read here,
 * one level deep, because the bridge can only receive file contents.
 */
import type { PickedFile } from '../../../shared/api';

async function filesOfDirectory(entry: FileSystemDirectoryEntry): Promise<File[]> {
  const reader = entry.createReader();
  const entries: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) break;
    entries.push(...batch);
  }
  const files = await Promise.all(
    entries
      .filter((e): e is FileSystemFileEntry => e.isFile && !e.name.startsWith('.'))
      .map((e) => new Promise<File>((resolve, reject) => e.file(resolve, reject))),
  );
  return files.sort((a, b) => a.name.localeCompare(b.name));
}

export async function pickedFromDrop(
  data: DataTransfer,
  host: 'electron' | 'bridge',
): Promise<PickedFile[]> {
  if (host === 'electron') return [...data.files];
  const picked: File[] = [];
  const items = [...data.items].filter((i) => i.kind === 'file');
  const entries = items.map((i) => i.webkitGetAsEntry());
  const files = items.map((i) => i.getAsFile());
  for (let i = 0; i < items.length; i++) {
    const entry = entries[i];
    if (entry?.isDirectory)
      picked.push(...(await filesOfDirectory(entry as FileSystemDirectoryEntry)));
    else {
      const file = files[i];
      if (file) picked.push(file);
    }
  }
  return picked;
}
