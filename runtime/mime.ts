import { extname } from 'node:path';

const byExtension: Record<string, string> = {
  '.txt': 'text/plain', '.md': 'text/markdown', '.markdown': 'text/markdown', '.html': 'text/html', '.htm': 'text/html',
  '.css': 'text/css', '.csv': 'text/csv', '.tsv': 'text/tab-separated-values', '.xml': 'application/xml',
  '.json': 'application/json', '.yaml': 'application/yaml', '.yml': 'application/yaml', '.toml': 'application/toml',
  '.js': 'text/javascript', '.mjs': 'text/javascript', '.ts': 'text/x-typescript', '.py': 'text/x-python',
  '.go': 'text/x-go', '.rs': 'text/x-rust', '.java': 'text/x-java', '.c': 'text/x-c', '.h': 'text/x-c', '.sh': 'text/x-shellscript',
  '.sql': 'application/sql', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.gif': 'image/gif', '.webp': 'image/webp', '.ico': 'image/x-icon', '.wav': 'audio/wav', '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg', '.flac': 'audio/flac', '.pdf': 'application/pdf', '.zip': 'application/zip', '.gz': 'application/gzip'
};

export function mimeTypeOf(path: string): string {
  return byExtension[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Text is served as `text`, everything else as a base64 `blob`. */
export function isTextMime(mime: string): boolean {
  return (
    mime.startsWith('text/') ||
    /^application\/([\w.+-]+\+)?(json|xml|yaml|toml|sql|javascript)$/.test(mime) ||
    mime === 'image/svg+xml'
  );
}
