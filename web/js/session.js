// "Sign in as": on the embedded default the server has development-only endpoints that hand out the development
// app's key (/dev/session) and sign a user token for any name (/dev/token), standing in for an app's own backend.
// Everything else goes through the public API with that key and token.
import { devApi, guarded } from './api.js';
import { session } from './session-state.js';

const nameKey = 'stoa.userName';

export async function initSession(root) {
  const form = root.querySelector('#session-form');
  const input = root.querySelector('#session-name');
  const status = root.querySelector('#session-status');
  const errors = root.querySelector('#session-errors');

  const keyed = await guarded(errors, () => devApi('/dev/session'));
  if (!keyed) {
    status.textContent = 'Not connected: the development endpoints are off (Stoa:DevMode) or the server is down.';
    return false;
  }
  session.update({ apiKey: keyed.apiKey });

  const signIn = async (name) => {
    const issued = await guarded(errors, () => devApi('/dev/token', { userId: name }));
    if (!issued) return;
    localStorage.setItem(nameKey, issued.userId);
    input.value = issued.userId;
    status.textContent = `Signed in as ${issued.userId}`;
    session.update({ token: issued.token, userId: issued.userId, expiresAt: issued.expiresAt });
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    signIn(input.value);
  });

  // A first visit gets a guest name so that every panel works at once; the person can change it.
  const remembered = localStorage.getItem(nameKey) ?? `guest-${Math.floor(1000 + Math.random() * 9000)}`;
  input.value = remembered;
  await signIn(remembered);
  return true;
}
