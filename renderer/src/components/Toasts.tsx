/** Toast notifications (failures, confirmations). Auto-dismiss via one timeout per toast. */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export interface Toast {
  readonly id: number;
  readonly kind: 'error' | 'info' | 'success';
  readonly title: string;
  readonly message?: string;
}

interface ToastContextValue {
  push(toast: Omit<Toast, 'id'>): void;
}

const ToastContext = createContext<ToastContextValue>({ push: () => undefined });

let nextId = 1;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<readonly Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const push = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      const id = nextId++;
      setToasts((list) => [...list.slice(-4), { ...toast, id }]);
      setTimeout(() => dismiss(id), toast.kind === 'error' ? 8000 : 3000);
    },
    [dismiss],
  );
  const value = useMemo(() => ({ push }), [push]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="region" aria-label="Notifications">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
            <div className="toast-body">
              <strong>{t.title}</strong>
              {t.message && <p>{t.message}</p>}
            </div>
            <button className="icon-button" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToasts(): ToastContextValue {
  return useContext(ToastContext);
}

/** A toast for a failed call: title + the server's message (and path when there is one). */
export function errorToast(title: string, err: unknown): Omit<Toast, 'id'> {
  const e = err as { message?: string; path?: string };
  return { kind: 'error', title, message: e.message ?? String(err) };
}
