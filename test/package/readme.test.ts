import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { valuesJsonSchema } from '../../src/core/json-schema.js';
import { settingsTableMarkdown, SETTINGS } from '../../src/core/questions.js';
import { ROOT } from '../helpers/cli.js';

describe('one definition per setting', () => {
  it("the README's table of init's settings is the one the settings table makes", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`${settingsTableMarkdown()}\n`);
  });

  it("the JSON Schema describes each setting's values key with the setting's own words", () => {
    const schema = valuesJsonSchema() as any;
    const at = (p: readonly string[]) => p.reduce((node, key) => node?.properties?.[key], schema);
    for (const setting of SETTINGS) {
      if (!setting.path) continue;
      expect(at(setting.path)?.description, setting.path.join('.')).toBe(setting.description);
    }
  });
});
