// The signed-in session: its token lives in this tab's sessionStorage (closing the tab signs out of it;
// two tabs may be two different organisations, which is how the sharing policy is best seen at work).
import { setToken } from './api/client';

const KEY = 'vigil.session';

export function savedToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string | null): void {
  setToken(token);
  try {
    if (token) sessionStorage.setItem(KEY, token);
    else sessionStorage.removeItem(KEY);
  } catch {
    // Private modes may refuse storage: the session then lasts as long as the page.
  }
}
