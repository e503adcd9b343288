// The parts of a `batchctl run --json` result the workflow scripts need, read with Node (no jq on
// every runner): `annotations` prints one `::error file=<batch file>,line=<n>` per validation issue,
// the line being where that operation starts in the batch file (JSON or NDJSON).
//   node scripts/github/result.mjs annotations <result.json> <batch file> [<path to show>]
import { readFileSync } from 'node:fs';

/** 1-based line of each element of the top-level "operations" array of a JSON text, by a small scanner. */
function operationLinesOfJson(text) {
  const lines = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let lastKey = '';
  let current = '';
  let inOperations = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        lastKey = current;
      } else current += c;
      continue;
    }
    if (/\s/.test(c)) continue;
    if (inOperations && depth === 2 && expectElement) {
      lines.push(line);
      expectElement = false;
    }
    if (c === '"') {
      inString = true;
      current = '';
    } else if (c === '[' || c === '{') {
      depth++;
      if (c === '[' && depth === 2 && lastKey === 'operations') {
        inOperations = true;
        expectElement = true;
      }
    } else if (c === ']' || c === '}') {
      if (depth === 2 && inOperations) inOperations = false;
      depth--;
    } else if (c === ',' && inOperations && depth === 2) expectElement = true;
  }
  return lines;
}

/** NDJSON: the header first, then one operation per non-empty line. */
function operationLinesOfNdjson(text) {
  const lines = [];
  text.split('\n').forEach((content, i) => {
    if (content.trim() !== '') lines.push(i + 1);
  });
  return lines.slice(1);
}

function operationLines(text) {
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  try {
    const header = JSON.parse(first);
    if (header && typeof header === 'object' && !('operations' in header)) return operationLinesOfNdjson(text);
  } catch {
    // not a one-line object: a JSON document spread over lines
  }
  return operationLinesOfJson(text);
}

const escape = (text) => String(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text) => escape(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

const [command, resultFile, batchFile, shown = batchFile] = process.argv.slice(2);
if (command !== 'annotations' || !resultFile || !batchFile) {
  process.stderr.write('usage: node scripts/github/result.mjs annotations <result.json> <batch file> [<path to show>]\n');
  process.exit(2);
}
const result = JSON.parse(readFileSync(resultFile, 'utf8'));
const lines = operationLines(readFileSync(batchFile, 'utf8'));
for (const error of (result.errors ?? []).slice(0, 50)) {
  const line = lines[error.index] ?? 1;
  process.stdout.write(
    `::error file=${escapeProperty(shown)},line=${line},title=${escapeProperty(error.code)}::${escape(`operation ${error.index} (${error.path}): ${error.message}`)}\n`,
  );
}
