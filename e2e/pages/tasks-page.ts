/** The tasks list and task detail screens. */
import { expect, type Locator, type Page } from '@playwright/test';
import { LaunchDialog } from './launch-dialog.js';

export class TasksPage {
  constructor(readonly page: Page) {}

  get rows(): Locator {
    return this.page.getByTestId('task-row');
  }

  row(family: string): Locator {
    return this.rows.filter({ hasText: family });
  }

  get detail(): Locator {
    return this.page.getByTestId('task-detail');
  }

  /** The detail's live status (updated by push only). */
  status(): Locator {
    return this.detail.getByTestId('task-last-status');
  }

  async expectStatus(status: string, timeout = 30_000): Promise<void> {
    await expect(this.status()).toHaveText(status, { timeout });
  }

  async taskId(): Promise<string> {
    return (await this.detail.getAttribute('data-task-id')) ?? '';
  }

  async open(family: string, index = 0): Promise<void> {
    await this.row(family).nth(index).click();
    await expect(this.detail).toBeVisible();
  }

  container(name: string): Locator {
    return this.detail.getByTestId(`container-row-${name}`);
  }

  async stop(reason?: string): Promise<void> {
    await this.detail.getByRole('button', { name: /Stop/ }).click();
    const dialog = this.page.getByTestId('stop-dialog');
    if (reason !== undefined) await dialog.getByLabel('Reason (optional)').fill(reason);
    await dialog.getByTestId('stop-confirm').click();
    await expect(dialog).toBeHidden();
  }

  async openRerun(): Promise<LaunchDialog> {
    await this.detail.getByRole('button', { name: /Re-run/ }).click();
    const dialog = new LaunchDialog(this.page);
    await expect(dialog.root).toBeVisible();
    return dialog;
  }

  stoppedReason(): Locator {
    return this.detail.getByTestId('stopped-reason');
  }
}
