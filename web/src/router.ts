// router.ts — a small path router on the History API: the server answers
// index.html for every UI path (src/server/ui.c), so links can be shared.
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((l) => l());
  window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => listeners.forEach((l) => l()));

export function useLocation(): { path: string; search: URLSearchParams } {
  const [, tick] = useState(0);
  useEffect(() => {
    const l = () => tick((n) => n + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return { path: location.pathname, search: new URLSearchParams(location.search) };
}

// Left clicks on same-origin links go through the router instead of a reload.
export function onLinkClick(e: MouseEvent): void {
  const a = (e.target as HTMLElement).closest('a');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey ||
      a.target || a.origin !== location.origin || a.pathname.startsWith('/api/'))
    return;
  e.preventDefault();
  navigate(a.pathname + a.search + a.hash);
}

// A filter kept in the address: sets (or, when empty, removes) one query
// parameter of the current path, replacing the history entry.
export function setFilter(name: string, v: string): void {
  const p = new URLSearchParams(location.search);
  if (v) p.set(name, v);
  else p.delete(name);
  const s = p.toString();
  navigate(location.pathname + (s ? '?' + s : ''), true);
}
