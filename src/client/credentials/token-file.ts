/**
 * The OAuth token file. Refresh tokens rotate and the old one dies on use, so a new pair must be
 * on disk before it is used: written to a temporary file (0600), flushed, then renamed over the
 * old one, so a crash leaves either the old or the new file, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface SavedTokens {
  access_token?: string;
  refresh_token: string;
  /** Unix ms when the access token expires (local clock). */
  expires_at?: number;
  client_endpoint?: string;
  portal_url?: string;
  scope?: string;
  member_id?: string;
  /** ISO time the tokens were saved. */
  saved_at: string;
}

export async function readTokenFile(path: string): Promise<SavedTokens | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<SavedTokens>;
  if (typeof parsed.refresh_token !== 'string') return undefined;
  return parsed as SavedTokens;
}

export async function writeTokenFile(path: string, tokens: SavedTokens): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(tokens, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}
