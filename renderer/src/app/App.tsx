/** The app shell: sidebar navigation, Docker status, routed page, overlays. */
import { useState } from 'react';
import { DockerStatusPill } from '../features/docker/DockerStatusPill.js';
import { DockerUnavailable } from '../features/docker/DockerUnavailable.js';
import { AppNotices } from '../features/docker/AppNotices.js';
import { isOutage } from '../features/docker/docker-status-model.js';
import { DefinitionsPage } from '../features/definitions/DefinitionsPage.js';
import { HelpOverlay } from '../features/help/HelpOverlay.js';
import { RecoveryBanner } from '../features/recovery/RecoveryBanner.js';
import { SettingsPage } from '../features/settings/SettingsPage.js';
import { ServiceDetailPage } from '../features/services/ServiceDetailPage.js';
import { ServicesPage } from '../features/services/ServicesPage.js';
import { TaskDetailPage } from '../features/tasks/TaskDetailPage.js';
import { TasksPage } from '../features/tasks/TasksPage.js';
import { useDockerStatus, useTasks } from '../queries/hooks.js';
import { usePushUpdates } from '../queries/use-push-updates.js';
import { useServicePushUpdates, useServices } from '../queries/service-hooks.js';
import { navigate, useRoute } from './router.js';
import { useShortcut } from './shortcuts.js';
import { useTheme } from './theme.js';

export function App() {
  usePushUpdates();
  useServicePushUpdates();
  const services = useServices();
  const route = useRoute();
  const { theme, toggle } = useTheme();
  const [help, setHelp] = useState(false);
  const docker = useDockerStatus();
  const tasks = useTasks();
  const running = (tasks.data ?? []).filter((t) => t.lastStatus !== 'STOPPED').length;
  const status = docker.data;
  // Lost while connected (an outage) keeps the tasks on screen: Taskdeck retries by itself.
  const unreachable = status !== undefined && !status.connected && !status.connecting && !isOutage(status);

  useShortcut('?', () => setHelp((h) => !h));
  useShortcut('1', () => navigate({ name: 'definitions' }));
  useShortcut('2', () => navigate({ name: 'tasks' }));
  useShortcut('3', () => navigate({ name: 'settings' }));
  useShortcut('4', () => navigate({ name: 'services' }));
  useShortcut('t', toggle);

  const nav = (
    name: 'definitions' | 'tasks' | 'services' | 'settings',
    label: string,
    key: string,
    extra?: string,
  ) => (
    <a
      href={`#/${name}`}
      className={`nav-item${route.name === name ? ' nav-active' : ''}`}
      aria-current={route.name === name ? 'page' : undefined}
    >
      <span>{label}</span>
      {extra && <span className="nav-count">{extra}</span>}
      <kbd className="kbd kbd-nav">{key}</kbd>
    </a>
  );

  let page;
  if (route.name === 'settings') page = <SettingsPage />;
  else if (route.name === 'tasks' && unreachable && status) page = <DockerUnavailable status={status} />;
  else if (route.name === 'services')
    page = route.id ? <ServiceDetailPage serviceName={route.id} /> : <ServicesPage />;
  else if (route.name === 'tasks') page = route.id ? <TaskDetailPage taskId={route.id} /> : <TasksPage />;
  else page = <DefinitionsPage selectedId={route.id} />;

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            ▦
          </span>
          Taskdeck
        </div>
        {nav('definitions', 'Definitions', '1')}
        {nav('tasks', 'Tasks', '2', running ? `${running} running` : undefined)}
        {nav('services', 'Services', '4', services.data?.length ? `${services.data.length}` : undefined)}
        {nav('settings', 'Settings', '3')}
        <div className="sidebar-spacer" />
        <DockerStatusPill />
        <div className="sidebar-footer">
          <button
            className="icon-button"
            onClick={toggle}
            aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
            title="Toggle theme (t)"
            data-testid="theme-toggle"
          >
            {theme === 'dark' ? '☀' : '☾'}
          </button>
          <button
            className="icon-button"
            onClick={() => setHelp(true)}
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)"
          >
            ?
          </button>
        </div>
      </nav>
      <main className="main">
        <AppNotices status={status} />
        {unreachable && status && route.name !== 'tasks' && route.name !== 'settings' && (
          <DockerUnavailable status={status} compact />
        )}
        <RecoveryBanner />
        {page}
      </main>
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
    </div>
  );
}
