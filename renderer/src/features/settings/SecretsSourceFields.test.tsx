/** The Settings page's secrets source fields (rendered to markup: no DOM needed). */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SecretsSourceFields, secretsSourceForm } from './SecretsSourceFields.js';

const noop = () => {};

describe('SecretsSourceFields', () => {
  it('starts from Settings: no file and AWS off by default', () => {
    expect(secretsSourceForm({})).toEqual({ secretsFile: '', awsSecrets: false });
    expect(secretsSourceForm({ secretsFile: '/home/me/secrets.json', awsSecrets: true })).toEqual({
      secretsFile: '/home/me/secrets.json',
      awsSecrets: true,
    });
  });

  it('shows the configured file path and the AWS choice', () => {
    const html = renderToStaticMarkup(
      <SecretsSourceFields
        value={{ secretsFile: '/home/me/secrets.json', awsSecrets: true }}
        onChange={noop}
      />,
    );
    expect(html).toContain('data-testid="secrets-file"');
    expect(html).toContain('value="/home/me/secrets.json"');
    expect(html).toMatch(/data-testid="aws-secrets"[^>]*checked=""/);
    expect(html).toContain('--secrets-file');
    expect(html).toContain('--aws-secrets');
  });

  it('marks the path field when the server refused it', () => {
    const html = renderToStaticMarkup(
      <SecretsSourceFields
        value={{ secretsFile: 'relative.json', awsSecrets: false }}
        onChange={noop}
        invalid
      />,
    );
    expect(html).toContain('field field-invalid');
    expect(html).not.toMatch(/data-testid="aws-secrets"[^>]*checked/);
  });
});
