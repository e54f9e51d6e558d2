/** The definitions library screen. */
import { expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { LaunchDialog } from './launch-dialog.js';

export class DefinitionsPage {
  constructor(readonly page: Page) {}

  get items(): Locator {
    return this.page.getByTestId('definition-item');
  }

  get detail(): Locator {
    return this.page.getByTestId('definition-detail');
  }

  item(family: string): Locator {
    return this.items.filter({ hasText: family });
  }

  /** Imports via the file picker. */
  async importFile(path: string): Promise<void> {
    await this.page.getByTestId('definition-file-input').setInputFiles(path);
  }

  /** Pastes text into the paste dialog and waits for live validation, then saves. */
  async paste(text: string, options: { expectValid?: boolean } = {}): Promise<void> {
    await this.page.getByRole('button', { name: 'Paste JSON' }).first().click();
    const dialog = this.page.getByTestId('paste-dialog');
    await dialog.getByLabel('Definition JSON').fill(text);
    const status = dialog.getByTestId('paste-status');
    if (options.expectValid === true) await expect(status).toContainText('Valid');
    if (options.expectValid === false) await expect(status).toContainText('error');
    await dialog.getByRole('button', { name: 'Save to library' }).click();
    await expect(dialog).toBeHidden();
  }

  async pasteFile(path: string, options: { expectValid?: boolean } = {}): Promise<void> {
    await this.paste(readFileSync(path, 'utf8'), options);
  }

  async select(family: string): Promise<void> {
    await this.item(family).click();
    await expect(this.detail.getByRole('heading', { level: 1 })).toContainText(family);
  }

  issues(kind: 'error' | 'warning'): Locator {
    return this.page.getByTestId(`issue-${kind}`);
  }

  async openLaunch(): Promise<LaunchDialog> {
    await this.detail.getByRole('button', { name: /Launch/ }).click();
    const dialog = new LaunchDialog(this.page);
    await expect(dialog.root).toBeVisible();
    return dialog;
  }
}
