/** A tiny hash router: works the same under app://, file:// and web mode (the token stays in ?query). */
import { useEffect, useState } from 'react';

export type Route =
  | { readonly name: 'definitions'; readonly id?: string }
  | { readonly name: 'tasks'; readonly id?: string }
  | { readonly name: 'services'; readonly id?: string }
  | { readonly name: 'settings' };

/** Parses `#/tasks/abc` → route. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [head, id] = parts;
  if (head === 'tasks') return id ? { name: 'tasks', id } : { name: 'tasks' };
  if (head === 'services') return id ? { name: 'services', id } : { name: 'services' };
  if (head === 'settings') return { name: 'settings' };
  return id ? { name: 'definitions', id } : { name: 'definitions' };
}

/** Route → `#/…`. */
export function routeHref(route: Route): string {
  if (route.name === 'settings') return '#/settings';
  return route.id ? `#/${route.name}/${encodeURIComponent(route.id)}` : `#/${route.name}`;
}

export function navigate(route: Route): void {
  location.hash = routeHref(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
