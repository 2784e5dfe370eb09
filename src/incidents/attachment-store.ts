import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Attachment content on disk, addressed by its SHA-256: <dataDir>/attachments/<2 hex>/<64 hex>. The same file
 * uploaded twice is stored once. A file is written to a temporary name in the same directory, flushed to disk
 * and renamed into place, and only then referenced from the database, so a crash (kill -9) can leave an
 * unreferenced temporary or content file, never a reference to half a file.
 */
export class AttachmentStore {
  constructor(readonly root: string) {}

  static under(dataDir: string): AttachmentStore {
    return new AttachmentStore(path.join(dataDir, 'attachments'));
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  async put(content: Buffer): Promise<{ sha256: string; size: number }> {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const final = this.pathOf(sha256);
    const dir = path.dirname(final);
    await fs.promises.mkdir(dir, { recursive: true });
    if (await this.has(sha256, content.length)) return { sha256, size: content.length };
    const temp = path.join(dir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await fs.promises.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.promises.rename(temp, final);
    } catch (error) {
      await fs.promises.rm(temp, { force: true });
      throw error;
    }
    // The directory entry itself must survive a power cut too.
    const d = await fs.promises.open(dir, 'r').catch(() => null);
    if (d) await d.sync().catch(() => {}).finally(() => d.close());
    return { sha256, size: content.length };
  }

  private async has(sha256: string, size: number): Promise<boolean> {
    const stat = await fs.promises.stat(this.pathOf(sha256)).catch(() => null);
    return stat !== null && stat.size === size;
  }

  read(sha256: string): Promise<Buffer> {
    return fs.promises.readFile(this.pathOf(sha256));
  }
}
