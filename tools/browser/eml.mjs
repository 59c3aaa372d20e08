// Reads the mails SliceAuth writes to its pickup directory ({data dir}/mail/, the default without SMTP): just enough
// MIME to find a message's plain-text part and the links in it. Parts may be quoted-printable or base64 encoded.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Every .eml file under dir (any depth); none if the directory does not exist yet. */
export async function emlFiles(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (err) {
    if (err.code === 'ENOENT') return [];
    throw err;
  }
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.eml'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/**
 * Waits for a mail not among `seen` (paths listed before the action that sends it) that is addressed to `to` and
 * whose text links to `linkPath`; the newest if several. Returns { file, link } with the link as written in the mail.
 */
export async function waitForMail({ dir, seen, to, linkPath, timeoutMs }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = [];
    for (const file of await emlFiles(dir)) {
      if (seen.has(file)) continue;
      let message;
      try {
        message = parseMessage(await readFile(file));
      } catch {
        continue; // still being written: read again on the next round
      }
      if (!(message.headers.get('to') ?? '').toLowerCase().includes(to.toLowerCase())) continue;
      const link = linksIn(textOf(message)).find((url) => new URL(url).pathname.endsWith(linkPath));
      if (link) found.push({ file, link, mtime: (await stat(file)).mtimeMs });
    }
    if (found.length > 0) return found.sort((a, b) => b.mtime - a.mtime)[0];
    if (Date.now() > deadline) {
      throw new Error(`no new mail to ${to} with a link to ${linkPath} in ${dir} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Headers (lower-case names, folded lines joined) and the raw body of a message or part, given as bytes. */
export function parseMessage(bytes) {
  const raw = Buffer.isBuffer(bytes) ? bytes.toString('latin1') : bytes; // one char per byte until a part is decoded
  const split = raw.search(/\r?\n\r?\n/);
  if (split < 0) throw new Error('no blank line after the headers');
  const headers = new Map();
  for (const line of raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(split).replace(/^\r?\n\r?\n/, '') };
}

/** The decoded text of the first text/plain part (the message itself if it is not multipart). */
export function textOf(message) {
  const contentType = message.headers.get('content-type') ?? 'text/plain';
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = parameter(contentType, 'boundary');
    if (!boundary) throw new Error('multipart without a boundary');
    const delimiter = `--${boundary}`;
    const end = message.body.indexOf(`${delimiter}--`);
    const parts = message.body.slice(0, end < 0 ? undefined : end).split(delimiter).slice(1);
    for (const part of parts) {
      const text = textOf(parseMessage(part.replace(/^[ \t]*\r?\n/, '')));
      if (text !== null) return text;
    }
    return null;
  }
  if (type !== 'text/plain') return null;
  const bytes = decodeBody(message.body, message.headers.get('content-transfer-encoding') ?? '7bit');
  return new TextDecoder(parameter(contentType, 'charset') ?? 'utf-8').decode(bytes);
}

function decodeBody(body, encoding) {
  switch (encoding.trim().toLowerCase()) {
    case 'quoted-printable': {
      const text = body.replace(/=\r?\n/g, ''); // soft line breaks
      const bytes = [];
      for (let i = 0; i < text.length; i++) {
        if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
          bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
          i += 2;
        } else {
          bytes.push(text.charCodeAt(i) & 0xff);
        }
      }
      return Uint8Array.from(bytes);
    }
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64');
    default: // 7bit, 8bit, binary: the bytes as they are
      return Buffer.from(body, 'latin1');
  }
}

function parameter(headerValue, name) {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(headerValue);
  return match ? (match[1] ?? match[2]) : null;
}

/** The http(s) URLs in a text, without trailing punctuation a sentence may put after them. */
export function linksIn(text) {
  return (text ?? '').match(/https?:\/\/[^\s<>"]+/g)?.map((url) => url.replace(/[.,;:!?)\]]+$/, '')) ?? [];
}
