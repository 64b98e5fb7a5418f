// Quotes panel: the latest prices (GET /v1/quotes?symbols=) and then a live ticker over Server-Sent Events
// (GET /v1/quotes/stream) through the client's QuoteStream, which reconnects by itself, with a sparkline of the last
// ticks per symbol.
import { call, credentials, guarded, rest, showError } from './api.js';
import { QuoteStream, StoaError } from './stoa-client.js';
import { el } from './dom.js';
import { createSparkline, drawSparkline } from './sparkline.js';

const historyLength = 60;
const money = (value, currency) => {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(value);
  } catch {
    return `${value} ${currency}`;
  }
};

export function initQuotes(root, session) {
  const form = root.querySelector('#quotes-form');
  const input = root.querySelector('#quotes-symbols');
  const rows = root.querySelector('#quotes-rows');
  const errors = root.querySelector('#quotes-errors');
  const state = root.querySelector('#quotes-state');
  let source = null;
  let history = new Map();

  const watch = async () => {
    source?.close();
    source = null;
    const symbols = input.value.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean).join(',');
    // The list call validates the symbols with a readable error and paints the current prices before the first tick.
    const list = await guarded(errors, () => call(rest.GET('/v1/quotes', { params: { query: { symbols } } })));
    if (!list) return;
    history = new Map();
    rows.replaceChildren();
    for (const quote of list.quotes) update(quote);
    if (list.notFound.length > 0) {
      showError(errors, new StoaError(404, 'quote_not_found', `No quote for ${list.notFound.join(', ')}.`));
    }
    source = new QuoteStream({ ...credentials, symbols: symbols.split(',') });
    source.on('live', (live) => {
      state.textContent = live ? 'Live' : 'Reconnecting…';
    });
    source.on('quote', update);
    source.on('fail', (error) => {
      // Refused for good (the stream does not retry those): say why.
      state.textContent = 'Stopped';
      showError(errors, error);
    });
    source.start();
  };

  const update = (quote) => {
    let row = rows.querySelector(`[data-symbol="${CSS.escape(quote.symbol)}"]`);
    if (!row) {
      row = el('li', { class: 'quote', dataset: { symbol: quote.symbol } },
        el('span', { class: 'quote-symbol', text: quote.symbol }),
        el('span', { class: 'quote-price' }),
        el('span', { class: 'quote-change' }),
        createSparkline(`${quote.symbol}, last ${historyLength} prices`));
      rows.append(row);
      history.set(quote.symbol, []);
    }
    const prices = history.get(quote.symbol);
    if (Number(row.dataset.seq ?? -1) >= quote.seq) return;
    prices.push(Number(quote.price));
    if (prices.length > historyLength) prices.shift();
    row.dataset.seq = String(quote.seq);
    row.querySelector('.quote-price').textContent = money(quote.price, quote.currency);
    const change = row.querySelector('.quote-change');
    const pct = quote.changePercent ?? 0;
    change.textContent = `${pct >= 0 ? '+' : ''}${pct.toFixed(2)} %`;
    change.classList.toggle('up', pct > 0);
    change.classList.toggle('down', pct < 0);
    drawSparkline(row.querySelector('.sparkline'), prices);
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    watch();
  });
  // The stream needs only the app key; a new user changes nothing here, so only the first key starts it.
  let started = false;
  const start = () => {
    if (session.apiKey && !started) {
      started = true;
      watch();
    }
  };
  session.addEventListener('change', start);
  start();
}
