// The token, entered once per browser tab and kept in sessionStorage (gone when the tab closes, never
// in a URL, never in localStorage where other tabs and later visits would find it).
const KEY = 'batchctl.token';

export function savedToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}
