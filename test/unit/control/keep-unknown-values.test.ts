// A rewrite of batch-control.json keeps another tool's top-level values byte for byte (issue 9 A10).
import { describe, expect, it } from 'vitest';

import { renderRawControl } from '../../../controller/control/render-raw-control.js';
import { topLevelTexts } from '../../../controller/control/top-level-texts.js';

const NOTE = '{ "n": 1.50, "s": "caf\\u00e9 {\\"x\\": [1]}", "big": 12345678901234567890,\n      "e": 1E3 }';

describe('topLevelTexts', () => {
  it('gives each top-level value its exact text, the last of a key given twice', () => {
    const text = `{\n  "a" : ${NOTE} ,"b":[1, {"c": "]}"}],\n"n":-0.10e+2,"t":true, "z": null, "a\\"q": "x", "b": "again"\n}\n`;
    expect(Object.fromEntries(topLevelTexts(text))).toEqual({
      a: NOTE,
      b: '"again"',
      n: '-0.10e+2',
      t: 'true',
      z: 'null',
      'a"q': '"x"',
    });
  });

  it('is empty for a value that is not an object', () => {
    expect(topLevelTexts('[1, 2]').size).toBe(0);
    expect(topLevelTexts(' {} ').size).toBe(0);
  });
});

describe('renderRawControl', () => {
  const original = `{"enabled": true, "x_registry_note": ${NOTE}, "reason": "", "__proto__": {"k": 1.0}}`;

  it("keeps the text of other tools' values and renders batchctl's own keys", () => {
    const raw = JSON.parse(original) as Record<string, unknown>;
    raw.enabled = false;
    raw.reason = 'incident';
    const text = renderRawControl(raw, original);
    expect(text).toContain(`"x_registry_note": ${NOTE},`);
    expect(text).toContain('"__proto__": {"k": 1.0}');
    expect(JSON.parse(text)).toMatchObject({ enabled: false, reason: 'incident' });
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['enabled', 'x_registry_note', 'reason', '__proto__']);
  });

  it('renders a value afresh when the edit changed it, and a new file plainly', () => {
    const raw = JSON.parse(original) as Record<string, unknown>;
    raw.x_registry_note = { n: 2 };
    expect(renderRawControl(raw, original)).toContain('"x_registry_note": {\n    "n": 2\n  }');
    expect(renderRawControl({ enabled: true }, null)).toBe('{\n  "enabled": true\n}\n');
  });
});
