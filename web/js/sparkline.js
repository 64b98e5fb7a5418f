// An inline SVG sparkline: one polyline over the last prices, scaled to the box. No library, no canvas, so it stays
// crisp at any zoom and needs nothing from another origin.
const svgNs = 'http://www.w3.org/2000/svg';
const width = 120;
const height = 28;

export function createSparkline(label) {
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('preserveAspectRatio', 'none');
  const line = document.createElementNS(svgNs, 'polyline');
  line.setAttribute('fill', 'none');
  line.setAttribute('vector-effect', 'non-scaling-stroke');
  svg.append(line);
  return svg;
}

export function drawSparkline(svg, values) {
  const line = svg.firstChild;
  if (values.length === 0) {
    line.setAttribute('points', '');
    return;
  }
  const min = Math.min(...values);
  const max = Math.max(...values);
  // A flat series draws a flat line in the middle rather than dividing by zero.
  const span = max - min || 1;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values.map((v, i) => {
    const y = max === min ? height / 2 : height - 2 - ((v - min) / span) * (height - 4);
    return `${(i * step).toFixed(1)},${y.toFixed(1)}`;
  });
  line.setAttribute('points', points.join(' '));
  svg.dataset.points = String(values.length);
  svg.classList.toggle('down', values[values.length - 1] < values[0]);
}
