/** React access to the bridge and the typed caller. */
import { createContext, useContext, type ReactNode } from 'react';
import type { TaskdeckBridge } from '../../../contract/bridge.js';
import type { ApiCall } from './client.js';

interface ApiContextValue {
  readonly bridge: TaskdeckBridge;
  readonly call: ApiCall;
}

const ApiContext = createContext<ApiContextValue | undefined>(undefined);

/** Provides the bridge to the tree. */
export function ApiProvider({ value, children }: { value: ApiContextValue; children: ReactNode }) {
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

/** The typed caller and the bridge. */
export function useApi(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi outside ApiProvider');
  return value;
}
