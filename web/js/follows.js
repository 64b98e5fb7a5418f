// Follows panel: a user's follower and following counts (GET /v1/users/{id}), their newest followers, and a follow
// button for the signed-in user (PUT/DELETE /v1/users/{id}/followers/me).
import { call, guarded, rest } from './api.js';
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
    const user = { params: { path: { userId } } };
    const counts = await guarded(errors, () => call(rest.GET('/v1/users/{userId}', user)));
    if (!counts) return;
    render(counts);
    const page = await guarded(errors, () => call(rest.GET('/v1/users/{userId}/followers', { params: { path: { userId }, query: { limit: 10 } } })));
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
    const me = { params: { path: { userId } } };
    const counts = await guarded(errors, () => call(following
      ? rest.DELETE('/v1/users/{userId}/followers/me', me)
      : rest.PUT('/v1/users/{userId}/followers/me', me)));
    if (counts) {
      render(counts);
      show();
    }
  });
  session.addEventListener('change', () => {
    if (session.apiKey) show();
  });
}
