/**
 * Builds elements. Every string becomes a text node or an attribute value, never HTML: server
 * data placed in the page cannot inject markup.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A link inside the app: ids are URI-encoded so they stay ids. */
export function link(parts, ...children) {
  return h('a', { href: `#/${parts.map(encodeURIComponent).join('/')}` }, ...children);
}

export function replace(target, ...children) {
  target.replaceChildren();
  append(target, children);
}
