// The enrolment QR code arrives as an SVG string. It is never put into the page as markup: it is parsed as XML
// (DOMParser runs no script) and only its drawing (svg, g, rect, path with geometry and colour attributes) is copied
// into new elements. Whatever else it might hold (script, event handlers, links, styles) is left behind, so the page
// keeps its strict CSP (no img-src for data: URLs, no inline style).
const SVG = 'http://www.w3.org/2000/svg';
const ELEMENTS = new Set(['svg', 'g', 'rect', 'path']);
const ATTRIBUTES = new Set(['viewBox', 'width', 'height', 'x', 'y', 'd', 'fill', 'fill-rule', 'shape-rendering', 'transform']);

/** A clean <svg> element drawing the QR code, or null when the text holds no SVG drawing. */
export function qrCodeFrom(svgText) {
  const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml').documentElement;
  if (parsed.namespaceURI !== SVG || parsed.localName !== 'svg') return null; // a parse error yields <parsererror>
  const svg = copy(parsed);
  // Sized by width/height alone it would be cropped, not scaled, when the page draws it smaller.
  if (!svg.hasAttribute('viewBox') && Number(svg.getAttribute('width')) > 0 && Number(svg.getAttribute('height')) > 0) {
    svg.setAttribute('viewBox', `0 0 ${svg.getAttribute('width')} ${svg.getAttribute('height')}`);
  }
  return svg;
}

function copy(source) {
  const target = document.createElementNS(SVG, source.localName);
  for (const attribute of source.attributes) {
    if (attribute.namespaceURI === null && ATTRIBUTES.has(attribute.name) && safeValue(attribute.value)) {
      target.setAttribute(attribute.name, attribute.value);
    }
  }
  for (const child of source.children) {
    if (child.namespaceURI === SVG && ELEMENTS.has(child.localName) && child.localName !== 'svg') target.append(copy(child));
  }
  return target;
}

// Colours and geometry only: no url(...) reference to anything outside.
function safeValue(value) {
  return !/url\s*\(/i.test(value);
}
