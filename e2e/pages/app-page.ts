/** The whole app: navigation, theme, help; entry point to the other page objects. */
import { expect, type Page } from '@playwright/test';
import type { TaskdeckServer } from '../fixtures/server.js';
import { DefinitionsPage } from './definitions-page.js';
import { TasksPage } from './tasks-page.js';

export class AppPage {
  readonly definitions: DefinitionsPage;
  readonly tasks: TasksPage;

  constructor(
    readonly page: Page,
    readonly server: TaskdeckServer,
  ) {
    this.definitions = new DefinitionsPage(page);
    this.tasks = new TasksPage(page);
  }

  /** Opens a fresh single-use link (as the user would) and waits for Docker to show as connected. */
  async open(hash = ''): Promise<void> {
    await this.page.goto((await this.server.newLink()) + hash);
    await expect(this.page.getByTestId('docker-status')).toHaveAttribute('data-state', 'connected');
  }

  async goTo(section: 'Definitions' | 'Tasks' | 'Settings'): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: section }).click();
  }

  async setTheme(theme: 'light' | 'dark'): Promise<void> {
    const html = this.page.locator('html');
    if ((await html.getAttribute('data-theme')) !== theme)
      await this.page.getByTestId('theme-toggle').click();
    await expect(html).toHaveAttribute('data-theme', theme);
  }

  /** Screenshot into e2e/screenshots/<name>-<theme>.png. */
  async screenshot(name: string): Promise<void> {
    const theme = await this.page.locator('html').getAttribute('data-theme');
    // Toasts are transient; keep them out of the pictures of each screen. Hidden, not dismissed:
    // behind a modal dialog they cannot be clicked (the dialog makes the page inert).
    await this.page.screenshot({
      path: `e2e/screenshots/${name}-${theme}.png`,
      style: '[aria-label="Notifications"] { visibility: hidden !important; }',
    });
  }
}
