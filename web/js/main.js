// Wires the panels to the page. Each panel is its own module and only shares the session (API key and token).
import { initComments } from './comments.js';
import { initDocs } from './docs.js';
import { initFollows } from './follows.js';
import { initPreviews } from './previews.js';
import { initQuotes } from './quotes.js';
import { session } from './session-state.js';
import { initSession } from './session.js';

initPreviews(document.getElementById('previews'));
initQuotes(document.getElementById('quotes'), session);
initDocs(document.getElementById('docs'), session);
initComments(document.getElementById('comments'), session);
initFollows(document.getElementById('follows'), session);
// Last: signing in fires the session's change event, which the panels above are now listening for.
await initSession(document.getElementById('session'));
document.body.dataset.ready = 'true';
