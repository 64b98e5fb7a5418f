// Comments panel: one thread (GET /v1/threads/{id}/comments) with a sort selector, replies, votes and likes, kept
// live by the thread's events (comment.created, comment.updated, comment.counts) through the client's ThreadEvents,
// which reconnects and resumes from the last event id by itself. Each comment shows the
// link cards of the links in its body (the comment's `links`, fetched by the server when it was written).
import { call, credentials, guarded, rest, showError } from './api.js';
import { ThreadEvents } from './stoa-client.js';
import { el, formatTime } from './dom.js';
import { renderLinkCard } from './link-card.js';

const pageSize = 20;

export function initComments(root, session) {
  const threadForm = root.querySelector('#comments-thread-form');
  const threadInput = root.querySelector('#comments-thread');
  const sortSelect = root.querySelector('#comments-sort');
  const postForm = root.querySelector('#comments-post-form');
  const bodyInput = root.querySelector('#comments-body');
  const counter = root.querySelector('#comments-body-count');
  const list = root.querySelector('#comments-list');
  const more = root.querySelector('#comments-more');
  const errors = root.querySelector('#comments-errors');
  const summary = root.querySelector('#comments-summary');
  let threadId = threadInput.value.trim();
  let cursor = null;
  let events = null;

  // Listings are reloaded on sign-in, sort changes and reconnects: only the latest request may paint.
  let loads = 0;
  // The person's own votes and likes answered while a listing was on its way: that listing may have been read before
  // them, so they are applied again once it has painted.
  const ownSinceLoad = new Map();
  const load = async (append = false) => {
    const mine = ++loads;
    ownSinceLoad.clear();
    list.setAttribute('aria-busy', 'true');
    const query = { sort: sortSelect.value, limit: pageSize, replies: 5, depth: 3 };
    if (append && cursor) query.cursor = cursor;
    const page = await guarded(errors, () => call(rest.GET('/v1/threads/{threadId}/comments', { params: { path: { threadId }, query } })));
    if (mine !== loads) return;
    list.setAttribute('aria-busy', 'false');
    if (!page) return;
    if (!append) list.replaceChildren();
    for (const comment of page.items) list.append(renderComment(comment));
    for (const counts of ownSinceLoad.values()) setCounts(counts);
    ownSinceLoad.clear();
    cursor = page.nextCursor ?? null;
    more.hidden = !cursor;
    refreshSummary();
  };

  const refreshSummary = async () => {
    const thread = await guarded(errors, () => call(rest.GET('/v1/threads/{threadId}', { params: { path: { threadId } } })));
    if (thread) summary.textContent = `${thread.commentCount} comment${thread.commentCount === 1 ? '' : 's'}${thread.locked ? ' · locked' : ''}`;
  };

  const listen = () => {
    events?.close();
    list.dataset.live = 'false';
    events = new ThreadEvents({ ...credentials, threadId });
    // Marks the list as live (and tests wait for it): events sent before the stream first opened are not replayed.
    // After a dropped stream the client resumes from its last event id and gets what it missed; when the thread's
    // history no longer reaches back, 'reload' says the listing must be read again.
    events.on('live', () => {
      list.dataset.live = 'true';
    });
    events.on('offline', () => {
      list.dataset.live = 'false';
    });
    events.on('reload', () => load());
    events.on('fail', (error) => showStreamFailure(error));
    events.on('comment.created', onCreated);
    events.on('comment.updated', onUpdated);
    events.on('comment.counts', setCounts);
    events.start();
  };

  const showStreamFailure = (error) => {
    list.dataset.live = 'false';
    showError(errors, error);
  };

  const open = () => {
    threadId = threadInput.value.trim();
    cursor = null;
    load();
    listen();
  };

  const onCreated = (comment) => {
    if (findComment(comment.id)) return;
    if (comment.parentId) {
      const parent = findComment(comment.parentId);
      // A reply to a comment not on screen shows up in its parent's count (comment.counts), not as a stray item.
      if (parent) parent.querySelector(':scope > .replies').append(renderComment(comment));
    } else if (sortSelect.value === 'old') {
      if (!cursor) list.append(renderComment(comment));
    } else {
      list.prepend(renderComment(comment));
    }
    refreshSummary();
  };

  const onUpdated = (comment) => {
    const node = findComment(comment.id);
    if (!node) return;
    node.querySelector(':scope > .comment-body').replaceWith(renderBody(comment));
    node.querySelector(':scope > .comment-links').replaceWith(renderLinks(comment));
  };

  const findComment = (id) => list.querySelector(`[data-comment-id="${CSS.escape(id)}"]`);

  const setCounts = (counts) => {
    const node = findComment(counts.id);
    if (!node) return;
    const bar = node.querySelector(':scope > .comment-actions');
    bar.querySelector('.score').textContent = String(counts.score);
    bar.querySelector('.likes').textContent = String(counts.likes);
    bar.querySelector('.reply-count').textContent = String(counts.replyCount);
    // Events carry no viewer state; only our own responses say how we voted.
    if (counts.myVote !== undefined && counts.myVote !== null) {
      bar.querySelector('.upvote').setAttribute('aria-pressed', String(counts.myVote === 1));
      bar.querySelector('.downvote').setAttribute('aria-pressed', String(counts.myVote === -1));
    }
    if (counts.liked !== undefined && counts.liked !== null) bar.querySelector('.like').setAttribute('aria-pressed', String(counts.liked));
  };

  const vote = async (comment, value, button) => {
    const pressed = button.getAttribute('aria-pressed') === 'true';
    const counts = await guarded(errors, () => call(rest.PUT('/v1/comments/{id}/vote', { params: { path: { id: comment.id } }, body: { value: pressed ? 0 : value } })));
    if (counts) setOwnCounts(counts);
  };

  const like = async (comment, button) => {
    const pressed = button.getAttribute('aria-pressed') === 'true';
    const like = { params: { path: { id: comment.id } } };
    const counts = await guarded(errors, () => call(pressed ? rest.DELETE('/v1/comments/{id}/like', like) : rest.PUT('/v1/comments/{id}/like', like)));
    if (counts) setOwnCounts(counts);
  };

  const setOwnCounts = (counts) => {
    setCounts(counts);
    if (list.getAttribute('aria-busy') === 'true') ownSinceLoad.set(counts.id, counts);
  };

  const post = async (body, parentId) => {
    const created = await guarded(errors, () => call(rest.POST('/v1/threads/{threadId}/comments', {
      params: { path: { threadId } }, body: { body, parentId: parentId ?? null },
    })));
    if (created) onCreated(created);
    return created;
  };

  const renderBody = (comment) => {
    const body = el('div', { class: 'comment-body' });
    if (comment.deleted) {
      body.append(el('p', { class: 'muted', text: '[deleted]' }));
    } else if (comment.html) {
      // The server renders Markdown with raw HTML escaped and only http(s)/mailto links kept (CommentBodyRenderer),
      // which is made to be inserted as is; the page's CSP forbids scripts besides.
      body.innerHTML = comment.html;
    } else {
      body.textContent = comment.body ?? '';
    }
    return body;
  };

  // An edit or a deletion changes the links too, so they always have their own (possibly empty) element.
  const renderLinks = (comment) => el('div', { class: 'comment-links' },
    ...(comment.deleted ? [] : (comment.links ?? []).map((link) => renderLinkCard(link, { compact: true }))));

  const renderComment = (comment) => {
    const replies = el('ol', { class: 'replies' });
    const replyForm = el('form', { class: 'reply-form', hidden: true });
    const replyId = `reply-${comment.id}`;
    const replyBody = el('textarea', { id: replyId, rows: 2, required: true });
    replyForm.append(
      el('label', { for: replyId, text: 'Your reply' }), replyBody,
      el('div', { class: 'row' },
        el('button', { type: 'submit', text: 'Post reply' }),
        el('button', { type: 'button', class: 'secondary', text: 'Cancel', onclick: () => { replyForm.hidden = true; } })));
    replyForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (await post(replyBody.value, comment.id)) {
        replyBody.value = '';
        replyForm.hidden = true;
      }
    });

    const up = el('button', { type: 'button', class: 'upvote icon', 'aria-label': 'Upvote', 'aria-pressed': String(comment.myVote === 1), text: '▲' });
    const down = el('button', { type: 'button', class: 'downvote icon', 'aria-label': 'Downvote', 'aria-pressed': String(comment.myVote === -1), text: '▼' });
    const likeButton = el('button', { type: 'button', class: 'like icon', 'aria-pressed': String(comment.liked === true) },
      el('span', { 'aria-hidden': 'true', text: '♥ ' }), el('span', { class: 'visually-hidden', text: 'Like, ' }), el('span', { class: 'likes', text: String(comment.likes) }));
    up.addEventListener('click', () => vote(comment, 1, up));
    down.addEventListener('click', () => vote(comment, -1, down));
    likeButton.addEventListener('click', () => like(comment, likeButton));
    const replyButton = el('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false' },
      'Reply (', el('span', { class: 'reply-count', text: String(comment.replyCount) }), ')');
    replyButton.addEventListener('click', () => {
      replyForm.hidden = !replyForm.hidden;
      replyButton.setAttribute('aria-expanded', String(!replyForm.hidden));
      if (!replyForm.hidden) replyBody.focus();
    });

    const item = el('li', { class: 'comment', dataset: { commentId: comment.id } },
      el('p', { class: 'comment-meta' },
        el('strong', { text: comment.authorId ?? 'someone' }), ' · ',
        el('time', { datetime: comment.createdAt, text: formatTime(comment.createdAt) }),
        comment.editedAt ? ' · edited' : null),
      renderBody(comment),
      renderLinks(comment),
      el('div', { class: 'comment-actions' }, up, el('span', { class: 'score', 'aria-label': 'score', text: String(comment.score) }), down, likeButton, replyButton),
      replyForm,
      replies);
    for (const reply of comment.replies ?? []) replies.append(renderComment(reply));
    return item;
  };

  threadForm.addEventListener('submit', (event) => {
    event.preventDefault();
    open();
  });
  sortSelect.addEventListener('change', () => {
    cursor = null;
    load();
  });
  more.addEventListener('click', () => load(true));
  bodyInput.addEventListener('input', () => {
    counter.textContent = `${bodyInput.value.length} / 10000`;
  });
  postForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (await post(bodyInput.value)) {
      bodyInput.value = '';
      counter.textContent = '0 / 10000';
    }
  });

  // Reload as the new user so that "my vote" and "liked" are theirs.
  let opened = false;
  session.addEventListener('change', () => {
    if (!session.apiKey) return;
    if (!opened) {
      opened = true;
      open();
    } else {
      load();
    }
  });
  if (session.apiKey) {
    opened = true;
    open();
  }
}
