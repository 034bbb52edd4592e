import { decryptSecret, encryptSecret, generateKey, keyFromEnv, SecretError } from '../../../runtime/security/secrets/crypto.js';
import { help, parse, UsageError } from '../args.js';

export const secretHelp = `mcp-gen secret <encrypt | decrypt | keygen>

Encrypted values let a team commit a manifest that holds secrets (AES-256-GCM).

  keygen     print a new random key (32 bytes, base64): keep it in MCPGEN_SECRET_KEY, never in the repository
  encrypt    read a value from stdin, print it encrypted (enc:v1:...) with MCPGEN_SECRET_KEY
  decrypt    read an enc:v1:... value from stdin, print the value

  $ export MCPGEN_SECRET_KEY="$(mcp-gen secret keygen)"
  $ printf %s "$API_TOKEN" | mcp-gen secret encrypt
  enc:v1:3q2-7w...

Paste the enc:v1: value where the manifest holds a credential; mcp-gen run decrypts it at start with the
same key. One trailing newline of the input is ignored.
`;

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export async function secretCommand(
  argv: string[],
  io: { stdin: NodeJS.ReadableStream; env: NodeJS.ProcessEnv } = { stdin: process.stdin, env: process.env }
): Promise<number> {
  const { values, positionals } = parse(argv, {}, 1);
  if (values.help || positionals[0] === undefined) {
    if (!values.help) throw new UsageError('secret needs a subcommand: mcp-gen secret <encrypt | decrypt | keygen>');
    return help(secretHelp);
  }
  try {
    switch (positionals[0]) {
      case 'keygen':
        process.stdout.write(generateKey() + '\n');
        return 0;
      case 'encrypt': {
        const key = keyFromEnv(io.env);
        const value = await readStdin(io.stdin);
        if (value === '')
          throw new UsageError('nothing to encrypt: pipe the value into stdin, e.g. printf %s "$TOKEN" | mcp-gen secret encrypt');
        process.stdout.write(encryptSecret(value, key) + '\n');
        return 0;
      }
      case 'decrypt': {
        const key = keyFromEnv(io.env);
        process.stdout.write(decryptSecret((await readStdin(io.stdin)).trim(), key) + '\n');
        return 0;
      }
      default:
        throw new UsageError(`unknown secret subcommand "${positionals[0]}": use encrypt, decrypt or keygen`);
    }
  } catch (e) {
    if (e instanceof SecretError) {
      process.stderr.write(`mcp-gen: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
