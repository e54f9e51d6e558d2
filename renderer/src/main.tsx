/** Renderer entry: picks the transport, builds the query client, renders the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createApiCall } from './api/client.js';
import { ApiProvider } from './api/api-context.js';
import { pickBridge } from './api/bridge.js';
import { App } from './app/App.js';
import { applyInitialTheme } from './app/theme.js';
import { ToastProvider } from './components/Toasts.js';
import './styles.css';
import './insight.css';
import './features/services/services.css';

applyInitialTheme();

const queryClient = new QueryClient({
  defaultOptions: {
    // Freshness comes from push topics; never refetch on a timer or on focus.
    queries: { staleTime: Infinity, refetchOnWindowFocus: false, retry: 1 },
  },
});

const root = createRoot(document.getElementById('root') as HTMLElement);

pickBridge({
  // After the push socket reconnects, refetch what we might have missed.
  onOpen: (reconnected) => {
    if (reconnected) queryClient.invalidateQueries();
  },
  // The server dropped pushes for this page (it read too slowly): the same refetch.
  onResync: () => {
    queryClient.invalidateQueries().catch(() => {});
  },
})
  .then((bridge) => {
    if ('error' in bridge) {
      root.render(
        <div className="fatal">
          <h1>Taskdeck</h1>
          <p>{bridge.error}</p>
        </div>,
      );
      return;
    }
    const value = { bridge, call: createApiCall(bridge) };
    root.render(
      <StrictMode>
        <ApiProvider value={value}>
          <QueryClientProvider client={queryClient}>
            <ToastProvider>
              <App />
            </ToastProvider>
          </QueryClientProvider>
        </ApiProvider>
      </StrictMode>,
    );
  })
  .catch((err: unknown) => {
    // pickBridge should answer with { error } itself; anything thrown still gets a readable page.
    root.render(
      <div className="fatal">
        <h1>Taskdeck</h1>
        <p>Could not connect: {err instanceof Error ? err.message : String(err)}</p>
      </div>,
    );
  });
