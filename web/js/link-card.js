// One link card, as the previews panel and each comment's links show it. Everything in a card comes from a page
// someone else wrote: text goes in as text, and only http(s) URLs become links or images.
import { el, safeHttpUrl } from './dom.js';

/**
 * Renders { url, title, description, siteName, imageUrl, imageAlt, favicon, type }; `compact` is the small form shown
 * under a comment (no large image, a thumbnail instead).
 */
export function renderLinkCard(card, { compact = false } = {}) {
  const href = safeHttpUrl(card.url);
  const image = safeHttpUrl(card.imageUrl);
  const favicon = safeHttpUrl(card.favicon);
  const title = card.title || card.url;
  // Sites move or block their images; a broken image icon says nothing useful, so it goes away.
  const dropOnError = { onerror: (event) => event.target.remove() };
  return el('article', { class: compact ? 'link-card compact' : 'link-card' },
    image ? el('img', { class: 'link-card-image', src: image, alt: card.imageAlt ?? '', referrerpolicy: 'no-referrer', ...dropOnError }) : null,
    el('div', { class: 'link-card-body' },
      el('p', { class: 'link-card-site' },
        favicon ? el('img', { src: favicon, alt: '', width: 16, height: 16, referrerpolicy: 'no-referrer', ...dropOnError }) : null,
        card.siteName ?? (href ? new URL(href).host : '')),
      el(compact ? 'p' : 'h3', { class: 'link-card-title' },
        href ? el('a', { href, rel: 'noopener noreferrer nofollow', target: '_blank', text: title }) : title),
      card.description ? el('p', { class: 'link-card-description', text: card.description }) : null,
      !compact && card.type ? el('p', { class: 'link-card-type', text: card.type }) : null));
}
