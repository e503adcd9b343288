// The one line a person reads on stderr when a command does not succeed:
// `batchctl: CODE: message (Hint: …)` — for thrown errors and for results alike.
export function errorLine({ code, message, hint }: { code: string; message: string; hint?: string | undefined }): string {
  return `batchctl: ${code}: ${message}${hint ? ` (Hint: ${hint})` : ''}\n`;
}
