import { InvalidArgumentError, type Command } from 'commander';
import { createAppRuntime } from '../composition-root.js';
import { openBrowser } from '../web/open-browser.js';
import { findRendererDir } from '../web/renderer-dir.js';
import { startWebServer } from '../web/web-server.js';

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be an integer 0–65535');
  return n;
}

/**
 * Registers `taskdeck web`: the app in a browser, served on 127.0.0.1 with a token. On SIGINT /
 * SIGTERM it closes the engine and exits; running tasks keep running and are re-adopted next start.
 */
export function registerWebCommand(program: Command): void {
  program
    .command('web')
    .description('serve the Taskdeck UI on 127.0.0.1 (prints a URL with an access token)')
    .option('--port <n>', 'port to listen on (0 = any free port)', parsePort, 0)
    .option('--data-dir <dir>', 'where definitions, settings and task history live (default ~/.taskdeck)')
    .option('--no-open', 'do not open a browser')
    .action(async (opts: { port: number; dataDir?: string; open: boolean }) => {
      const runtime = await createAppRuntime({
        mode: 'web',
        ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}),
      });
      const server = await startWebServer({ runtime, rendererDir: findRendererDir(), port: opts.port });
      process.stdout.write(`Taskdeck web UI: ${server.url}\n`);
      process.stdout.write(
        `Data dir: ${runtime.dataDir}\nPress Ctrl+C to quit (running tasks keep running).\n`,
      );
      if (opts.open) openBrowser(server.url);

      // The action resolves only once the server is shut down: the CLI entry exits when it returns.
      await new Promise<void>((resolve) => {
        let closing = false;
        const shutdown = (signal: string): void => {
          if (closing) return;
          closing = true;
          process.stdout.write(
            `\n${signal}: closing (tasks keep running; they are re-adopted on next start)\n`,
          );
          const force = setTimeout(() => resolve(), 10_000);
          const finish = (): void => {
            clearTimeout(force);
            resolve();
          };
          Promise.allSettled([server.close(), runtime.close()]).then(finish, finish);
        };
        process.once('SIGINT', () => shutdown('SIGINT'));
        process.once('SIGTERM', () => shutdown('SIGTERM'));
      });
    });
}
