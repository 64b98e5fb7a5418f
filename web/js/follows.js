// Follows panel: a user's follower and following counts (GET /v1/users/{id}), their newest followers, and a follow
// button for the signed-in user (PUT/DELETE /v1/users/{id}/followers/me).
import { api, guarded } from './api.js';
import { el, formatTime } from './dom.js';

export function initFollows(root, session) {
  const form = root.querySelector('#follows-form');
  const input = root.querySelector('#follows-user');
  const followers = root.querySelector('#follows-followers');
  const following = root.querySelector('#follows-following');
  const button = root.querySelector('#follows-toggle');
  const list = root.querySelector('#follows-list');
  const errors = root.querySelector('#follows-errors');
  let userId = null;

  const show = async () => {
    userId = input.value.trim();
    const path = `/v1/users/${encodeURIComponent(userId)}`;
    const counts = await guarded(errors, () => api(path));
    if (!counts) return;
    render(counts);
    const page = await guarded(errors, () => api(`${path}/followers?limit=10`));
    if (page) {
      list.replaceChildren(...page.items.map((f) =>
        el('li', {}, el('strong', { text: f.userId }), ' · ', el('time', { datetime: f.followedAt, text: formatTime(f.followedAt) }))));
      if (page.items.length === 0) list.append(el('li', { class: 'muted', text: 'No followers yet.' }));
    }
  };

  const render = (counts) => {
    followers.textContent = String(counts.followers);
    following.textContent = String(counts.following);
    const mine = counts.followedByMe === true;
    button.hidden = !session.signedIn;
    button.setAttribute('aria-pressed', String(mine));
    button.textContent = mine ? `Unfollow ${counts.userId}` : `Follow ${counts.userId}`;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    show();
  });
  button.addEventListener('click', async () => {
    const following = button.getAttribute('aria-pressed') === 'true';
    const counts = await guarded(errors, () => api(`/v1/users/${encodeURIComponent(userId)}/followers/me`, { method: following ? 'DELETE' : 'PUT' }));
    if (counts) {
      render(counts);
      show();
    }
  });
  session.addEventListener('change', () => {
    if (session.apiKey) show();
  });
}
