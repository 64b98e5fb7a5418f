// Shared text panel: a textarea bound to a Stoa document through the client's DocSession (clients/js: the OT client
// state machine over the docs WebSocket). Local edits go out as minimal ops; remote ops are applied to the text
// while keeping this person's selection in place; other people's cursors are drawn in a mirror behind the textarea.
import { call, credentials, guarded, rest, showError } from './api.js';
import { el } from './dom.js';
import { DocSession, StoaError, cpLength, diff, fromUtf16Index, toUtf16Index, transformPosition } from './stoa-client.js';

const lastDocKey = 'stoa.docId';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function initDocs(root, session) {
  const form = root.querySelector('#docs-form');
  const idInput = root.querySelector('#docs-id');
  const newButton = root.querySelector('#docs-new');
  const textarea = root.querySelector('#docs-text');
  const mirror = root.querySelector('#docs-mirror');
  const people = root.querySelector('#docs-people');
  const state = root.querySelector('#docs-state');
  const errors = root.querySelector('#docs-errors');
  let client = null;
  // Other sessions on the document: clientId -> { userId, cursor (code points) }.
  const others = new Map();
  let cursorTimer = null;
  // Opening is asynchronous and a new sign-in or click may start another: only the latest attempt may finish.
  let generation = 0;

  const setState = (text) => {
    state.textContent = text;
  };

  const open = async (docId) => {
    const mine = ++generation;
    client?.close();
    client = null;
    others.clear();
    renderPeople();
    textarea.readOnly = true;
    // A plain GET first: a missing or foreign document is answered with a readable problem, which a WebSocket
    // handshake cannot carry to the page.
    const doc = await guarded(errors, () => call(rest.GET('/v1/docs/{id}', { params: { path: { id: docId } } })));
    if (mine !== generation) return;
    if (!doc) {
      setState('Not open');
      return;
    }
    idInput.value = doc.id;
    localStorage.setItem(lastDocKey, doc.id);
    const url = new URL(window.location.href);
    url.searchParams.set('doc', doc.id);
    history.replaceState(null, '', url);

    const session_ = new DocSession({ ...credentials, docId: doc.id });
    client = session_;
    session_.on('remote', ({ op, clientId }) => {
      if (client !== session_) return;
      applyRemote(op, clientId);
    });
    session_.on('presence', (message) => {
      if (client !== session_ || message.clientId === session_.clientId) return;
      if (message.online === false) others.delete(message.clientId);
      else others.set(message.clientId, { userId: message.userId, cursor: message.cursor ?? null });
      renderPeople();
    });
    session_.on('state', (s) => setState(s === 'synchronized' ? 'Saved' : 'Sending…'));
    session_.on('error', (message) => showError(errors, new StoaError(0, message.code, message.detail)));
    session_.on('fail', (error) => {
      textarea.readOnly = true;
      setState('Disconnected');
      showError(errors, new StoaError(0, error.code ?? 'doc_session_failed', `${error.detail ?? error.message}. Reopen the document to continue.`));
    });
    try {
      await session_.open();
    } catch (e) {
      if (mine === generation) showError(errors, e);
      return;
    }
    if (mine !== generation) {
      session_.close();
      return;
    }
    textarea.value = session_.text;
    textarea.readOnly = false;
    setState('Saved');
    renderPeople();
  };

  const create = async () => {
    const mine = ++generation;
    const doc = await guarded(errors, () => call(rest.POST('/v1/docs', { body: { text: '' } })));
    if (doc && mine === generation) await open(doc.id);
  };

  const applyRemote = (op, authorId) => {
    const before = textarea.value;
    const focused = document.activeElement === textarea;
    const start = transformPosition(fromUtf16Index(before, textarea.selectionStart), op);
    const end = transformPosition(fromUtf16Index(before, textarea.selectionEnd), op);
    const scroll = textarea.scrollTop;
    textarea.value = client.text;
    if (focused) textarea.setSelectionRange(toUtf16Index(client.text, start), toUtf16Index(client.text, end));
    textarea.scrollTop = scroll;
    for (const [clientId, other] of others) {
      if (other.cursor === null) continue;
      other.cursor = clientId === authorId ? authorCursor(other.cursor, op) : transformPosition(other.cursor, op);
    }
    renderMirror();
  };

  const sendCursor = () => {
    clearTimeout(cursorTimer);
    // Coalesced: a burst of keystrokes sends one cursor position, not one per key.
    cursorTimer = setTimeout(() => {
      if (client && !textarea.readOnly) client.moveCursor(fromUtf16Index(textarea.value, textarea.selectionStart));
    }, 80);
  };

  const renderPeople = () => {
    const items = [el('li', { class: 'me', text: `${session.userId ?? 'you'} (you)` })];
    for (const other of others.values()) items.push(el('li', { text: other.userId ?? 'someone' }));
    people.replaceChildren(...items);
    renderMirror();
  };

  // The mirror holds the same text, invisible, with a marker at each remote cursor; it sits exactly under the
  // transparent textarea, so the markers appear inside the text.
  const renderMirror = () => {
    const text = textarea.value;
    const marks = [...others.values()]
      .filter((o) => o.cursor !== null)
      .map((o) => ({ index: toUtf16Index(text, o.cursor), userId: o.userId ?? '?' }))
      .sort((a, b) => a.index - b.index);
    const nodes = [];
    let at = 0;
    for (const mark of marks) {
      const marker = el('span', { class: 'remote-cursor', dataset: { user: mark.userId } });
      // CSSOM, not a style attribute: the page's CSP forbids inline style attributes but not this.
      marker.style.setProperty('--hue', hue(mark.userId));
      nodes.push(text.slice(at, mark.index), marker);
      at = mark.index;
    }
    // A trailing newline needs something after it to take up its line in the mirror.
    nodes.push(text.slice(at), '\u200b');
    mirror.replaceChildren(...nodes);
    mirror.scrollTop = textarea.scrollTop;
  };

  textarea.addEventListener('input', () => {
    if (!client || textarea.readOnly) return;
    const op = diff(client.text, textarea.value);
    try {
      client.submit(op);
    } catch (e) {
      showError(errors, e);
    }
    // Our own edit moves the text under the other people's cursors too.
    for (const other of others.values()) {
      if (other.cursor !== null) other.cursor = transformPosition(other.cursor, op);
    }
    sendCursor();
    renderMirror();
  });
  for (const name of ['keyup', 'click', 'focus']) textarea.addEventListener(name, sendCursor);
  textarea.addEventListener('scroll', () => {
    mirror.scrollTop = textarea.scrollTop;
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = idInput.value.trim();
    if (uuid.test(id)) open(id);
    else showError(errors, new StoaError(400, 'validation_failed', 'A document id is a UUID, e.g. 3f2c…; or press New.'));
  });
  newButton.addEventListener('click', create);

  // Docs need a user: (re)open as whoever signs in. The document comes from ?doc=, else the last one used here.
  session.addEventListener('change', () => {
    if (!session.signedIn) return;
    const wanted = new URL(window.location.href).searchParams.get('doc') ?? localStorage.getItem(lastDocKey);
    if (wanted && uuid.test(wanted)) open(wanted);
    else create();
  });
}

// Where an op leaves its author's cursor: after what they inserted at it. (transformPosition keeps a cursor before
// an insert made exactly at it, which is right for everyone else's cursor.) Their next cursor message confirms it.
function authorCursor(cursor, op) {
  let moved = cursor;
  let position = 0;
  for (const c of op) {
    if (moved < position) break;
    if (typeof c === 'number') {
      position += c;
    } else if (typeof c === 'string') {
      const n = cpLength(c);
      position += n;
      moved += n;
    } else {
      const n = typeof c.d === 'number' ? c.d : cpLength(c.d);
      moved -= Math.min(n, Math.max(0, moved - position));
    }
  }
  return moved;
}

// A stable colour per user, so the same person's cursor keeps its colour in every window.
function hue(userId) {
  let h = 0;
  for (const c of userId) h = (h * 31 + c.codePointAt(0)) % 360;
  return String(Math.round(h / 30) * 30);
}
