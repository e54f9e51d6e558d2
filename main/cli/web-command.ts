import { InvalidArgumentError, type Command } from 'commander';
import { createAppRuntime } from '../composition-root.js';
import { tokenFromEnv } from '../web/auth.js';
import { accountArg, regionArg } from './identity-args.js';
import { openBrowser } from '../web/open-browser.js';
import { findRendererDir } from '../web/renderer-dir.js';
import { startWebServer } from '../web/web-server.js';

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be an integer 0–65535');
  return n;
}

/** Prints a fresh single-use link each time the user presses Enter (interactive terminals only). */
function offerNewLinks(newLink: () => string): () => void {
  if (!process.stdin.isTTY) return () => undefined;
  const onData = (): void => {
    process.stdout.write(`New single-use link: ${newLink()}\n`);
  };
  process.stdin.on('data', onData);
  return () => {
    process.stdin.off('data', onData);
    process.stdin.pause();
  };
}

/**
 * Registers `taskdeck web`: the app in a browser, served on 127.0.0.1. The token never leaves the
 * process: the printed (or opened) link carries a single-use code the page exchanges for it, and
 * scripts choose the token through TASKDECK_WEB_TOKEN. On SIGINT / SIGTERM it closes the engine
 * and exits; running tasks keep running and are re-adopted next start.
 */
export function registerWebCommand(program: Command): void {
  program
    .command('web')
    .description(
      'serve the Taskdeck UI on 127.0.0.1 (opens a single-use link; TASKDECK_WEB_TOKEN for scripts)',
    )
    .option('--port <n>', 'port to listen on (0 = any free port)', parsePort, 0)
    .option('--data-dir <dir>', 'where definitions, settings and task history live (default ~/.taskdeck)')
    .option('--no-open', 'print the link instead of opening a browser')
    .option('--region <region>', 'region tasks run in (default: Settings, else your AWS config)', regionArg)
    .option('--account <id>', 'account id in ARNs (default: Settings, else your caller identity)', accountArg)
    .action(
      async (opts: { port: number; dataDir?: string; open: boolean; region?: string; account?: string }) => {
        const chosen = tokenFromEnv(process.env);
        if (chosen.error !== undefined) {
          process.stderr.write(`taskdeck: ${chosen.error}\n`);
          process.exitCode = 2;
          return;
        }
        // Children (the browser opener, and the browser it starts) must not inherit it.
        delete process.env['TASKDECK_WEB_TOKEN'];
        const runtime = await createAppRuntime({
          mode: 'web',
          ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}),
          ...(opts.region !== undefined ? { region: opts.region } : {}),
          ...(opts.account !== undefined ? { account: opts.account } : {}),
        });
        const server = await startWebServer({
          runtime,
          rendererDir: findRendererDir(),
          port: opts.port,
          ...(chosen.token !== undefined ? { token: chosen.token } : {}),
        });
        // Only the single-use code may appear in the opener's arguments (visible to all in `ps`).
        const link = server.newLink();
        process.stdout.write(`Taskdeck web UI: ${link}\n`);
        process.stdout.write(
          `The link works once, within a minute${process.stdin.isTTY ? '; press Enter for a new one' : ''}.\n` +
            `Data dir: ${runtime.dataDir}\nPress Ctrl+C to quit (running tasks keep running).\n`,
        );
        if (opts.open) openBrowser(link);
        const stopOffering = offerNewLinks(() => server.newLink());

        // The action resolves only once the server is shut down: the CLI entry exits when it returns.
        await new Promise<void>((resolve) => {
          let closing = false;
          const shutdown = (signal: string): void => {
            if (closing) return;
            closing = true;
            stopOffering();
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
      },
    );
}
