/** Light/dark theme: applied to <html data-theme>, cached in localStorage, persisted in Settings. */
import { useCallback, useEffect, useState } from 'react';
import type { ThemePreference } from '../../../contract/dto.js';
import { useSettings, useUpdateSettings } from '../queries/hooks.js';

const KEY = 'taskdeck.theme';

function systemTheme(): 'light' | 'dark' {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function resolve(pref: ThemePreference): 'light' | 'dark' {
  return pref === 'system' ? systemTheme() : pref;
}

function cachedPreference(): ThemePreference | undefined {
  const cached = localStorage.getItem(KEY);
  return cached === 'light' || cached === 'dark' || cached === 'system' ? cached : undefined;
}

/** Applies the cached theme before React renders (no flash). */
export function applyInitialTheme(): void {
  document.documentElement.dataset['theme'] = resolve(cachedPreference() ?? 'system');
}

/** The theme in effect: a toggle in this session, else Settings, else the cached preference. */
export function useTheme(): { theme: 'light' | 'dark'; toggle: () => void } {
  const settings = useSettings();
  const { mutate } = useUpdateSettings();
  const [cached] = useState(cachedPreference);
  const [toggled, setToggled] = useState<'light' | 'dark' | undefined>();
  const stored = settings.data?.theme;
  const theme = resolve(toggled ?? stored ?? cached ?? 'system');

  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
    const pref = toggled ?? stored;
    if (pref) localStorage.setItem(KEY, pref);
  }, [theme, toggled, stored]);

  const toggle = useCallback(() => {
    const next = theme === 'dark' ? 'light' : 'dark';
    setToggled(next);
    mutate({ theme: next });
  }, [theme, mutate]);
  return { theme, toggle };
}
