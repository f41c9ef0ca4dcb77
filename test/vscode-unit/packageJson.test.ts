import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SETTING_DEFAULTS, SETTING_KEYS } from '../../src/core/config';
import { SETTING_ACCESS } from '../../src/vscode/settingsPolicy';

type Property = { default: unknown; markdownDescription?: string; description?: string; scope?: string };
type Category = { id?: string; title: string; order: number; properties: Record<string, Property> };

const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));
const categories: Category[] = manifest.contributes.configuration;
const properties: Record<string, Property> = Object.assign({}, ...categories.map((category) => category.properties));

describe('package.json settings', () => {
  it('come in the categories the Settings UI lists as sections, each setting in one', () => {
    assert.ok(Array.isArray(categories), 'contributes.configuration is a list of categories');
    assert.deepEqual(
      categories.map((category) => [category.title, category.order]),
      [['Routes', 1], ['Providers', 2], ['Inline completions', 3], ['Chat and plan', 4], ['Budget and ledger', 5], ['Excluded files', 6]],
    );
    const keys = categories.flatMap((category) => Object.keys(category.properties));
    assert.equal(new Set(keys).size, keys.length, 'no setting is in two categories');
    for (const category of categories) {
      const orders = Object.values(category.properties).map((property) => (property as { order?: number }).order);
      assert.deepEqual(orders, orders.map((_, index) => index + 1), `${category.title}: settings in their listed order`);
    }
  });

  it('declare exactly the keys the typed settings module reads', () => {
    const declared = Object.keys(properties).map((key) => key.replace(/^switchboard\./, '')).sort();
    assert.deepEqual(declared, [...SETTING_KEYS].sort());
  });

  it('have the same defaults and a description for every key', () => {
    for (const key of SETTING_KEYS) {
      const property = properties[`switchboard.${key}`]!;
      assert.deepEqual(property.default, SETTING_DEFAULTS[key], key);
      assert.ok((property.markdownDescription ?? property.description ?? '').length > 20, `${key} is described`);
    }
  });

  it('declare the scope the reading policy expects: user-only settings can never be set by a workspace', () => {
    const expected = { user: 'application', machine: 'machine', 'trusted-workspace': undefined, workspace: undefined };
    for (const key of SETTING_KEYS) {
      assert.equal(properties[`switchboard.${key}`]!.scope, expected[SETTING_ACCESS[key]], key);
    }
  });

  it('list exactly the trusted-workspace settings as restricted, and support untrusted workspaces in a limited way', () => {
    const untrusted = manifest.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.match(untrusted.description, /Restricted Mode/);
    const trustedOnly = SETTING_KEYS.filter((key) => SETTING_ACCESS[key] === 'trusted-workspace').map((key) => `switchboard.${key}`);
    assert.deepEqual([...untrusted.restrictedConfigurations].sort(), trustedOnly.sort());
  });

  it('give every command a title in the Switchboard category, and activate without "*"', () => {
    for (const command of manifest.contributes.commands) {
      assert.equal(command.category, 'Switchboard', command.command);
      assert.ok(command.title);
    }
    assert.ok(!manifest.activationEvents.includes('*'));
  });
});
