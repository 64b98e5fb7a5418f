// Previews panel: paste a URL, get its link card from GET /v1/previews?url=.
import { call, guarded, rest } from './api.js';
import { safeHttpUrl } from './dom.js';
import { renderLinkCard } from './link-card.js';

export function initPreviews(root) {
  const form = root.querySelector('#preview-form');
  const input = root.querySelector('#preview-url');
  const output = root.querySelector('#preview-card');
  const errors = root.querySelector('#preview-errors');
  const button = form.querySelector('button');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    output.setAttribute('aria-busy', 'true');
    const card = await guarded(errors, () => call(rest.GET('/v1/previews', { params: { query: { url: input.value.trim() } } })));
    button.disabled = false;
    output.removeAttribute('aria-busy');
    output.replaceChildren(...(card ? [renderCard(card)] : []));
  });
}

// The API's card has lists of images; the shared renderer takes the first usable one.
function renderCard(card) {
  const image = (card.images ?? []).find((i) => safeHttpUrl(i.url));
  return renderLinkCard({
    url: card.canonicalUrl ?? card.url,
    title: card.title,
    description: card.description,
    siteName: card.siteName,
    imageUrl: image?.url,
    imageAlt: image?.alt,
    favicon: card.favicon,
    type: card.type,
  });
}
