// Previews panel: paste a URL, get its link card from GET /v1/previews?url=.
import { api, guarded } from './api.js';
import { el, safeHttpUrl } from './dom.js';

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
    const card = await guarded(errors, () => api(`/v1/previews?url=${encodeURIComponent(input.value.trim())}`));
    button.disabled = false;
    output.removeAttribute('aria-busy');
    output.replaceChildren(...(card ? [renderCard(card)] : []));
  });
}

function renderCard(card) {
  const href = safeHttpUrl(card.canonicalUrl ?? card.url);
  const image = (card.images ?? []).map((i) => ({ ...i, url: safeHttpUrl(i.url) })).find((i) => i.url);
  const favicon = safeHttpUrl(card.favicon);
  const title = card.title || card.url;
  // Sites move or block their images; a broken image icon says nothing useful, so it goes away.
  const dropOnError = { onerror: (event) => event.target.remove() };
  return el('article', { class: 'link-card' },
    image ? el('img', { class: 'link-card-image', src: image.url, alt: image.alt ?? '', referrerpolicy: 'no-referrer', ...dropOnError }) : null,
    el('div', { class: 'link-card-body' },
      el('p', { class: 'link-card-site' },
        favicon ? el('img', { src: favicon, alt: '', width: 16, height: 16, referrerpolicy: 'no-referrer', ...dropOnError }) : null,
        card.siteName ?? (href ? new URL(href).host : '')),
      el('h3', { class: 'link-card-title' },
        href ? el('a', { href, rel: 'noopener noreferrer nofollow', target: '_blank', text: title }) : title),
      card.description ? el('p', { class: 'link-card-description', text: card.description }) : null,
      card.type ? el('p', { class: 'link-card-type', text: card.type }) : null));
}
