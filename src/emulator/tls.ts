/**
 * A self-signed certificate for 127.0.0.1/localhost made at start; its PEM is written to a file so
 * clients can trust it with NODE_EXTRA_CA_CERTS or a `ca` option.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface EmulatorCertificate {
  key: string;
  cert: string;
  caFile: string;
  /** Removes the folder the certificate file was made in, when the emulator chose it (not a given caFile). */
  removeFile: () => Promise<void>;
}

export async function makeCertificate(caFile?: string): Promise<EmulatorCertificate> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 30 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  const ownDir = caFile ? undefined : await mkdtemp(join(tmpdir(), 'bitrix24-emulator-'));
  const file = caFile ?? join(ownDir as string, 'ca.pem');
  await writeFile(file, pems.cert);
  const removeFile = async () => {
    if (ownDir) await rm(ownDir, { recursive: true, force: true });
  };
  return { key: pems.private, cert: pems.cert, caFile: file, removeFile };
}
